// .ts rather than .tsx: the unit project only collects *.test.ts files.
import {createElement as h} from 'react'
import {render} from 'ink-testing-library'
import {describe, expect, it} from 'vitest'
import {ApplyProgress} from '../../../src/ui/ApplyProgress.js'
import {ConfirmApply} from '../../../src/ui/ConfirmApply.js'
import {formatApplyEvent} from '../../../src/render/apply-progress.js'
import {reduceProgress, type ProgressState} from '../../../src/ui/progress-state.js'
import type {ApplyEvent} from '../../../src/model/apply-events.js'

const tick = () => new Promise((resolve) => setTimeout(resolve, 20))
const rows = [
  {repository: 'spaceport/sfm', imagesToDelete: 12, imageSizeBytesToDelete: 1_200_000_000, alreadyDone: 0, skippedStale: 0, policyChange: 'put' as const},
  {repository: 'spaceport/3dgs', imagesToDelete: 3, imageSizeBytesToDelete: 310_000_000, alreadyDone: 0, skippedStale: 0},
]
const registry = {accountId: '123456789012', region: 'us-east-1'}

/** Polls: ink reads stdin and re-renders asynchronously, slower on a loaded machine. */
async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the screen')
    await tick()
  }
}

async function type(stdin: {write(data: string): void}, text: string) {
  for (const ch of text) {
    stdin.write(ch)
    await tick()
  }
}

describe('ConfirmApply', () => {
  it('shows the summary per repository and asks for the account id', () => {
    const {lastFrame} = render(h(ConfirmApply, {registry, rows, expectedAnswer: '123456789012', onDecision: () => {}}))
    const frame = lastFrame()!
    expect(frame).toContain('123456789012 (us-east-1)')
    expect(frame).toMatch(/spaceport\/sfm\s+12 images\s+sum of image sizes 1\.2 GB\s+lifecycle policy: put/)
    expect(frame).toMatch(/spaceport\/3dgs\s+3 images\s+sum of image sizes 310\.0 MB/)
    expect(frame).toContain('Type the account id 123456789012 to delete 15 images')
  })

  it('confirms only when the account id is typed, then Enter', async () => {
    const decisions: boolean[] = []
    const {stdin, lastFrame} = render(h(ConfirmApply, {registry, rows, expectedAnswer: '123456789012', onDecision: (d) => decisions.push(d)}))
    await tick()
    await type(stdin, '123456789012')
    await waitFor(() => lastFrame()!.includes('> 123456789012'))
    stdin.write('\r')
    await waitFor(() => decisions.length > 0)
    expect(decisions).toEqual([true])
    await waitFor(() => lastFrame()!.includes('confirmed'))
  })

  // A terminal delivers a paste as one chunk, and ink 6 hands useInput the whole chunk as one
  // `input` (key.return is set only for a lone "\r"): the Enter inside must still submit.
  for (const [name, chunk] of [
    ['id + CR', '123456789012\r'],
    ['id + LF', '123456789012\n'],
    ['id + CRLF', '123456789012\r\n'],
  ] as const) {
    it(`a paste of ${name} in one chunk confirms exactly like typing it`, async () => {
      const decisions: boolean[] = []
      const {stdin, lastFrame} = render(h(ConfirmApply, {registry, rows, expectedAnswer: '123456789012', onDecision: (d) => decisions.push(d)}))
      await tick()
      stdin.write(chunk)
      await waitFor(() => decisions.length > 0)
      expect(decisions).toEqual([true])
      await waitFor(() => lastFrame()!.includes('confirmed'))
      expect(lastFrame()).toContain('> 123456789012 confirmed')
      expect(lastFrame()).not.toMatch(/[\r\n]\s*confirmed|confirmed\d/)
    })
  }

  it('a pasted wrong answer with Enter cancels, and text after the Enter is not typed', async () => {
    const decisions: boolean[] = []
    const {stdin, lastFrame} = render(h(ConfirmApply, {registry, rows, expectedAnswer: '123456789012', onDecision: (d) => decisions.push(d)}))
    await tick()
    stdin.write('12345678901\r2')
    await waitFor(() => decisions.length > 0)
    expect(decisions).toEqual([false])
    await waitFor(() => lastFrame()!.includes('cancelled'))
    expect(lastFrame()).toContain('> 12345678901 cancelled')
  })

  it('a pasted id without Enter waits for Enter, as typing does', async () => {
    const decisions: boolean[] = []
    const {stdin, lastFrame} = render(h(ConfirmApply, {registry, rows, expectedAnswer: '123456789012', onDecision: (d) => decisions.push(d)}))
    await tick()
    stdin.write('123456789012')
    await waitFor(() => lastFrame()!.includes('> 123456789012'))
    expect(decisions).toEqual([])
    stdin.write('\r')
    await waitFor(() => decisions.length > 0)
    expect(decisions).toEqual([true])
  })

  it('cancels on anything else, e.g. "yes" when the account id is required', async () => {
    const decisions: boolean[] = []
    const {stdin, lastFrame} = render(h(ConfirmApply, {registry, rows, expectedAnswer: '123456789012', onDecision: (d) => decisions.push(d)}))
    await tick()
    await type(stdin, 'yes')
    await waitFor(() => lastFrame()!.includes('> yes'))
    stdin.write('\r')
    await waitFor(() => decisions.length > 0)
    expect(decisions).toEqual([false])
  })
})

describe('ApplyProgress and its state', () => {
  const events: ApplyEvent[] = [
    {type: 'repositoryStarted', repository: 'app', images: 2, imageSizeBytes: 3000, policyChanges: 0},
    {type: 'image', repository: 'app', imageDigest: 'sha256:aa', imageTags: [], sizeBytes: 9, call: 'DescribeImages', outcome: 'alreadyGone', preChecked: true},
    {type: 'image', repository: 'app', imageDigest: 'sha256:a1', imageTags: ['v1'], sizeBytes: 2000, call: 'BatchDeleteImage', outcome: 'deleted'},
    {type: 'image', repository: 'app', imageDigest: 'sha256:a2', imageTags: [], sizeBytes: 1000, call: 'BatchDeleteImage', outcome: 'failed', code: 'KmsError', message: 'kms'},
    {type: 'repositoryFinished', repository: 'app'},
  ]

  it('folds events into per-repository counts (pre-checked ones are not progress)', () => {
    const state = events.reduce<ProgressState>(reduceProgress, [])
    expect(state).toEqual([{repository: 'app', total: 2, done: 2, deleted: 1, failed: 1, skipped: 0, imageSizeBytesDeleted: 2000, finished: true}])
  })

  it('renders one line per repository', () => {
    const state = events.reduce<ProgressState>(reduceProgress, [])
    const {lastFrame} = render(h(ApplyProgress, {progress: state}))
    expect(lastFrame()).toMatch(/✘ app\s+2\/2\s+1 deleted, sum of image sizes 2\.0 kB\s+1 failed/)
  })

  it('plain lines name the digest, tags and failure code', () => {
    expect(formatApplyEvent(events[2]!)).toBe('app: deleted sha256:a1 (v1)')
    expect(formatApplyEvent(events[3]!)).toBe('app: FAILED sha256:a2 (<untagged>): KmsError: kms')
    expect(formatApplyEvent(events[0]!)).toBe('app: 2 images to delete (sum of image sizes 3.0 kB)')
  })
})
