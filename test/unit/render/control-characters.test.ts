/**
 * Text from the desired state, the registry or a plan file reaches terminals and pull-request
 * comments: an escape sequence in a tag, reason, repository name, message or policy must arrive
 * as visible text, never raw (issue 9, item 10).
 */
import {describe, expect, it} from 'vitest'
import type {ApplyEvent} from '../../../src/model/apply-events.js'
import type {ApplyReport} from '../../../src/model/apply-result.js'
import {formatApplySummary} from '../../../src/render/apply-summary.js'
import {sealPlan} from '../../../src/planfile/seal.js'
import {renderMarkdown} from '../../../src/render/markdown.js'
import {renderText} from '../../../src/render/text.js'
import {formatApplyEvent} from '../../../src/render/apply-progress.js'
import {printable, printableLines} from '../../../src/util/printable.js'
import {buildPlan, deleteImage, keptImage} from '../planfile/plan-builders.js'

const CLEAR_SCREEN = '\u001B[2J\u001B[H'
const SET_TITLE = '\u001B]0;pwned\u0007'
const C1_CSI = '\u009B31m'
const BIDI = 'abc\u202Efed'
const HOSTILE = `${CLEAR_SCREEN}${SET_TITLE}${C1_CSI}\r${BIDI}`
const REPOSITORY = `evil${SET_TITLE}/repo`

/** Any control or bidi character, except the line breaks between lines. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
/** The colours the text renderer paints itself: SGR sequences only. */
const OWN_COLOURS = /\u001B\[\d+m/g

function hostilePlan() {
  return sealPlan(
    buildPlan({
      actions: [
        deleteImage({
          repository: REPOSITORY,
          tags: [`v1${CLEAR_SCREEN}`],
          reasons: [{code: 'orphanReferrer', kind: 'signature', relatedDigest: `sha256:${'a'.repeat(64)}`, subjectInRepository: false, via: 'cosign tag'}, {code: 'noKeepRule'}],
        }),
        {
          type: 'putLifecyclePolicy',
          repository: REPOSITORY,
          before: null,
          after: JSON.stringify({rules: [{rulePriority: 1, description: `expire ${C1_CSI}`, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}, action: {type: 'expire'}}]}),
          declaredBy: {entry: `desired ${SET_TITLE}`, file: `desired-state/${BIDI}.yaml`, line: 3},
        },
      ],
      kept: [
        keptImage({
          repository: REPOSITORY,
          tags: [`prod${SET_TITLE}`],
          reasons: [
            {code: 'keepRule', entry: REPOSITORY, index: 0, reason: `kept ${HOSTILE}`, rule: `r keep[0] tag=${C1_CSI}`},
            {code: 'manifestUnreadable', problem: `not JSON ${HOSTILE}`, relatedDigest: `sha256:${'b'.repeat(64)}`, unreadableCount: 1},
            {code: 'inUse', references: [{source: 'kubernetes', resource: `pod/${CLEAR_SCREEN}`, field: 'spec.containers[0].image', text: `app${SET_TITLE}`}]},
          ],
        }),
      ],
      warnings: [
        {repository: REPOSITORY, message: `repository warning ${HOSTILE}`},
        {message: `general warning ${HOSTILE}\nsecond line`},
      ],
      unmanaged: [`other${CLEAR_SCREEN}`],
    }),
  )
}

describe('printable', () => {
  it('shows control characters as escapes and leaves ordinary text (also non-ASCII) alone', () => {
    expect(printable('v1.2-ünïcode ✓')).toBe('v1.2-ünïcode ✓')
    expect(printable(`a${SET_TITLE}b`)).toBe('a\\x1B]0;pwned\\x07b')
    expect(printable('a\nb\tc\rd\u007F\u009B\u202E')).toBe('a\\nb\\tc\\rd\\x7F\\x9B\\u202E')
    expect(printableLines('line 1\n\tline 2\r\u001B[2J')).toBe('line 1\n\tline 2\\r\\x1B[2J')
  })
})

describe('renderers neutralise control characters', () => {
  it('text without colour has none at all, and shows each as an escape', () => {
    const text = renderText(hostilePlan(), {color: false})
    expect(text).not.toMatch(RAW)
    expect(text).toContain('\\x1B]0;pwned\\x07')
    expect(text).toContain('\\x1B[2J')
    expect(text).toContain('\\x9B31m')
    expect(text).toContain('\\u202E')
    expect(text).toContain('general warning')
  })

  it('text with colour has only its own colour sequences', () => {
    const text = renderText(hostilePlan(), {color: true})
    expect(text).toMatch(OWN_COLOURS)
    expect(text.replace(OWN_COLOURS, '')).not.toMatch(RAW)
  })

  it('markdown has none, and a policy cannot close its diff fence', () => {
    const plan = hostilePlan()
    const markdown = renderMarkdown(plan)
    expect(markdown).not.toMatch(RAW)
    expect(markdown).toContain('\\x1B]0;pwned\\x07')

    const fenceBreaker = sealPlan(
      buildPlan({
        actions: [{type: 'putLifecyclePolicy', repository: 'r', before: null, after: '{"rules":[{"description":"```\\n# injected"}]}', declaredBy: {entry: 'r', file: 'r.yaml', line: 1}}],
      }),
    )
    const lines = renderMarkdown(fenceBreaker).split('\n')
    const open = lines.findIndex((line) => /^`{3,}diff$/.test(line))
    const fence = lines[open]!.replace('diff', '')
    expect(fence.length).toBeGreaterThan(3)
    expect(lines.slice(open + 1).findIndex((line) => line === fence)).toBeGreaterThan(lines.slice(open + 1).findIndex((line) => line.includes('```')))
  })

  it('apply progress lines and the closing summary have none', () => {
    const event: ApplyEvent = {
      type: 'image',
      repository: REPOSITORY,
      imageDigest: 'sha256:abc',
      imageTags: [`v1${CLEAR_SCREEN}`],
      call: 'BatchDeleteImage',
      outcome: 'failed',
      code: 'ServerException',
      message: `boom ${HOSTILE}`,
    } as ApplyEvent
    expect(formatApplyEvent(event)).not.toMatch(RAW)
    expect(formatApplyEvent(event)).toContain('\\x1B[2J')

    const report = {
      exitCode: 1,
      totals: {imagesDeleted: 0, imageSizeBytesDeleted: 0, imagesAlreadyGone: 0, policiesApplied: 0, policiesAlreadyDone: 0, imagesSkippedStale: 0, policiesSkippedStale: 0},
      actions: [{type: 'deleteImage', repository: REPOSITORY, imageDigest: 'sha256:abc', outcome: 'failed', code: 'X', message: `boom ${HOSTILE}`}],
      auditLog: `log${SET_TITLE}.jsonl`,
    } as unknown as ApplyReport
    expect(formatApplySummary(report)).not.toMatch(RAW)
  })
})
