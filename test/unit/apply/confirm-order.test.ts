import {describe, expect, it} from 'vitest'
import {addTypedChunk, answerConfirms, decideConfirmation, summarizePendingWork} from '../../../src/apply/confirm.js'
import {chunk, deletionWaves} from '../../../src/apply/order.js'
import {del, digest, image} from './builders.js'

describe('decideConfirmation', () => {
  const base = {accountId: '123456789012', pendingDeletions: 3}
  it('proceeds with --auto-approve, terminal or not', () => {
    expect(decideConfirmation({...base, autoApprove: true, interactive: false}).kind).toBe('proceed')
    expect(decideConfirmation({...base, autoApprove: true, interactive: true}).kind).toBe('proceed')
  })
  it('refuses without a terminal, naming --auto-approve', () => {
    const decision = decideConfirmation({...base, autoApprove: false, interactive: false})
    expect(decision.kind).toBe('refuse')
    if (decision.kind === 'refuse') expect(decision.error.format()).toContain('--auto-approve')
  })
  it('asks for the account id when images are deleted, for "yes" otherwise', () => {
    expect(decideConfirmation({...base, autoApprove: false, interactive: true})).toEqual({kind: 'prompt', expectedAnswer: '123456789012'})
    expect(decideConfirmation({...base, pendingDeletions: 0, autoApprove: false, interactive: true})).toEqual({kind: 'prompt', expectedAnswer: 'yes'})
  })
  it('accepts only the exact answer (surrounding spaces aside)', () => {
    expect(answerConfirms('123456789012', ' 123456789012 ')).toBe(true)
    expect(answerConfirms('123456789012', 'yes')).toBe(false)
    expect(answerConfirms('yes', 'y')).toBe(false)
  })
  it('a chunk with a line break ends the answer there; control characters never join it', () => {
    expect(addTypedChunk('12', '3456789012\r')).toEqual({typed: '123456789012', entered: true})
    expect(addTypedChunk('', '123\r\n456')).toEqual({typed: '123', entered: true})
    expect(addTypedChunk('', 'ye\u001b]0;x\u0007s')).toEqual({typed: 'ye]0;xs', entered: false})
    expect(addTypedChunk('1', '2')).toEqual({typed: '12', entered: false})
  })
})

describe('summarizePendingWork', () => {
  it('counts only pending work per repository', () => {
    const rows = summarizePendingWork([
      {action: del('b', digest(1), [], {sizeBytes: 10}), status: 'pending'},
      {action: del('b', digest(2), [], {sizeBytes: 5}), status: 'pending'},
      {action: del('a', digest(3)), status: 'done'},
      {action: del('a', digest(4)), status: 'stale', why: 'x'},
    ])
    expect(rows).toEqual([
      {repository: 'a', imagesToDelete: 0, imageSizeBytesToDelete: 0, alreadyDone: 1, skippedStale: 1},
      {repository: 'b', imagesToDelete: 2, imageSizeBytesToDelete: 15, alreadyDone: 0, skippedStale: 0},
    ])
  })
})

describe('deletionWaves', () => {
  it('puts an index before its children (from the plan references)', () => {
    const waves = deletionWaves([del('r', digest(1)), del('r', digest(2)), del('r', digest(9), ['v'], {references: [digest(1), digest(2)]})])
    expect(waves.map((w) => w.map((a) => a.imageDigest))).toEqual([[digest(9)], [digest(1), digest(2)]])
  })

  it('uses live manifests too, and puts a referrer before its subject', () => {
    const live = [
      image(digest(9), [], {manifest: {mediaType: 'index', children: [digest(1)]}}),
      image(digest(5), [], {manifest: {mediaType: 'sig', subject: digest(9)}}),
    ]
    const waves = deletionWaves([del('r', digest(1)), del('r', digest(5)), del('r', digest(9))], live)
    expect(waves.map((w) => w.map((a) => a.imageDigest))).toEqual([[digest(5)], [digest(9)], [digest(1)]])
  })

  it('puts a cosign signature before its subject even when the plan recorded no references', () => {
    const signature = `sha256-${digest(9).slice(7)}.sig`
    const live = [image(digest(9), ['v1']), image(digest(5), [signature])]
    const waves = deletionWaves([del('r', digest(9), ['v1']), del('r', digest(5), [signature])], live)
    expect(waves.map((w) => w.map((a) => a.imageDigest))).toEqual([[digest(5)], [digest(9)]])
  })

  it('ignores references to images outside the set, and terminates on a cycle', () => {
    expect(deletionWaves([del('r', digest(1), [], {references: [digest(7)]})])).toHaveLength(1)
    const cycle = deletionWaves([del('r', digest(1), [], {references: [digest(2)]}), del('r', digest(2), [], {references: [digest(1)]})])
    expect(cycle.flat()).toHaveLength(2)
  })

  it('chunks into batches of at most 100', () => {
    expect(chunk(Array.from({length: 250}, (_, i) => i)).map((c) => c.length)).toEqual([100, 100, 50])
  })
})
