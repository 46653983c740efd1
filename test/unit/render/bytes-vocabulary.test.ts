/**
 * One bytes vocabulary from plan to audit log: the plan headline, the apply confirmation, apply's
 * progress lines and view, its summary and its audit record name the same measure with the same
 * words: "sum of image sizes" (imageSizeInBytes added up, shared layers counted once per image)
 * and "unique bytes freed" (blobs no remaining image uses).
 */
import {createElement as h} from 'react'
import {render} from 'ink-testing-library'
import {describe, expect, it} from 'vitest'
import {summarizePendingWork} from '../../../src/apply/confirm.js'
import {totalsOf} from '../../../src/apply/totals.js'
import type {ApplyEvent} from '../../../src/model/apply-events.js'
import type {ApplyReport} from '../../../src/model/apply-result.js'
import {formatApplyEvent} from '../../../src/render/apply-progress.js'
import {formatApplySummary} from '../../../src/render/apply-summary.js'
import {ApplyProgress} from '../../../src/ui/ApplyProgress.js'
import {ConfirmApply} from '../../../src/ui/ConfirmApply.js'
import {reduceProgress, type ProgressState} from '../../../src/ui/progress-state.js'
import {del, digest} from '../apply/builders.js'

const deleted = (n: number, sizeBytes: number): ApplyEvent => ({
  type: 'image',
  repository: 'app',
  imageDigest: digest(n),
  imageTags: [],
  sizeBytes,
  call: 'BatchDeleteImage',
  outcome: 'deleted',
})
const events: ApplyEvent[] = [
  {type: 'repositoryStarted', repository: 'app', images: 2, imageSizeBytes: 3_000_000_000, policyChanges: 0},
  deleted(1, 1_000_000_000),
  deleted(2, 2_000_000_000),
  {type: 'repositoryFinished', repository: 'app'},
]

describe('the bytes apply reports', () => {
  it('totals and the audit record name the measure: imageSizeBytesDeleted, no bare bytesFreed', () => {
    const totals = totalsOf(events)
    expect(totals.imageSizeBytesDeleted).toBe(3_000_000_000)
    expect(Object.keys(totals)).not.toContain('bytesFreed')
  })

  it('progress lines, the live view and the summary say "sum of image sizes"', () => {
    expect(formatApplyEvent(events[0]!)).toBe('app: 2 images to delete (sum of image sizes 3.0 GB)')
    const state = events.reduce<ProgressState>(reduceProgress, [])
    expect(render(h(ApplyProgress, {progress: state})).lastFrame()).toMatch(/2 deleted, sum of image sizes 3\.0 GB/)
    const report = {exitCode: 0, totals: totalsOf(events), actions: [], auditLog: 'log.jsonl'} as unknown as ApplyReport
    expect(formatApplySummary(report)).toContain('Apply complete: 2 images deleted (sum of image sizes 3.0 GB)')
  })

  it('the confirmation shows the sum of image sizes, and the unique bytes freed when the plan has them for all that is left', () => {
    const checks = [
      {action: del('app', digest(1), [], {sizeBytes: 1_000_000_000}), status: 'pending' as const},
      {action: del('app', digest(2), [], {sizeBytes: 2_000_000_000}), status: 'pending' as const},
      {action: del('lib', digest(3), [], {sizeBytes: 500_000_000}), status: 'pending' as const},
      {action: del('lib', digest(4), [], {sizeBytes: 500_000_000}), status: 'done' as const},
    ]
    const summary = {
      repositories: [
        {repository: 'app', imagesTotal: 3, imagesKept: 1, imagesDeleted: 2, bytesDeleted: 3_000_000_000, uniqueBytesFreed: 400_000_000},
        {repository: 'lib', imagesTotal: 2, imagesKept: 0, imagesDeleted: 2, bytesDeleted: 1_000_000_000, uniqueBytesFreed: 900_000_000},
      ],
    }
    const rows = summarizePendingWork(checks, summary)
    expect(rows.map((row) => [row.repository, row.imageSizeBytesToDelete, row.uniqueBytesFreed])).toEqual([
      ['app', 3_000_000_000, 400_000_000],
      // One of lib's deletions is already done: the plan's unique figure no longer describes what is left.
      ['lib', 500_000_000, undefined],
    ])
    const frame = render(h(ConfirmApply, {registry: {accountId: '123456789012', region: 'us-east-1'}, rows, expectedAnswer: '123456789012', onDecision: () => {}})).lastFrame()!
    expect(frame).toMatch(/app\s+2 images\s+sum of image sizes 3\.0 GB; unique bytes freed 400\.0 MB/)
    expect(frame).toMatch(/lib\s+1 image\s+sum of image sizes 500\.0 MB\n/)
  })

})
