/**
 * Apply under a hostile network: 30% of requests throttled, 500/503, reset before or after the
 * emulator acted. And a crash: kill -9 mid-way, then re-run. The registry must end in exactly the
 * planned state and no kept image may ever be deleted.
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createRepository, pushImage, pushIndex} from '../support/push.js'
import {spawnCli, startApplyFixture, type ApplyFixture} from './apply-fixture.js'

let fx: ApplyFixture
beforeAll(async () => {
  fx = await startApplyFixture()
})
afterAll(async () => {
  await fx?.stop()
})

interface Expected {
  kept: Map<string, string[]>
  deletedCount: number
}

/** Three repositories, 150 images each (two batches), plus an index pair in one of them. */
async function seedAndPlan(): Promise<Expected> {
  const kept = new Map<string, string[]>()
  let deletedCount = 0
  for (const repo of ['r1', 'r2', 'r3']) {
    await createRepository(fx.client, repo)
    const keep: string[] = []
    for (let i = 0; i < 150; i++) {
      const tag = i % 10 === 0 ? `keep-${i}` : `tmp-${i}`
      const image = await pushImage(fx.client, repo, {seed: `${repo}-${i}`, tags: [tag]})
      if (tag.startsWith('keep')) keep.push(image.digest)
      else deletedCount++
    }
    kept.set(repo, keep)
  }
  const doomedIndex = await pushIndex(fx.client, 'r1', {seed: 'idx-old', tags: ['tmp-index']})
  const keptIndex = await pushIndex(fx.client, 'r1', {seed: 'idx-new', tags: ['keep-index']})
  deletedCount += 1 + doomedIndex.children.length
  kept.get('r1')!.push(keptIndex.index.digest, ...keptIndex.children.map((c) => c.digest))
  await fx.writeDesired('version: 1\nrepositories:\n  "r*":\n    keep:\n      - tag: "keep-*"\n')
  const plan = await fx.plan()
  expect(plan.code, plan.stderr).toBe(0)
  return {kept, deletedCount}
}

async function expectExactlyKept(expected: Expected): Promise<void> {
  for (const [repo, digests] of expected.kept) {
    expect([...(await fx.images(repo)).keys()].sort(), repo).toEqual([...digests].sort())
  }
}

describe('ecrctl apply under faults', () => {
  let expected: Expected
  beforeEach(async () => {
    await fx.reset()
    expected = await seedAndPlan()
  })

  it('with 30% faults (throttling, 500, 503, resets before and after the call) ends in exactly the planned state', async () => {
    fx.proxy.configure({faultRate: 0.3})
    const result = await fx.apply(['--auto-approve', '--format', 'json'])
    const injected = {...fx.proxy.faultsInjected}
    fx.proxy.configure({faultRate: 0})
    expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(5)
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    // A delete whose response was lost is retried and then found gone: deleted or alreadyGone, never failed.
    expect(report.totals.imagesDeleted + report.totals.imagesAlreadyGone).toBe(expected.deletedCount)
    expect(report.totals.imagesFailed).toBe(0)
    await expectExactlyKept(expected)
  })

  it('killed with SIGKILL mid-way (slow proxy), a re-run completes the plan', async () => {
    fx.proxy.configure({latencyMs: 150})
    const child = spawnCli(['apply', fx.planPath, '-f', fx.desiredPath, '--endpoint-url', fx.proxy.endpoint, '--auto-approve', '--concurrency', '1'])
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    const exited = new Promise((resolve) => child.on('close', resolve))
    // Wait until some, but not all, deletions happened.
    const started = Date.now()
    while (!output.includes(': deleted ') && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50))
    child.kill('SIGKILL')
    await exited
    expect(output).toContain(': deleted ')
    expect(output).not.toContain('Apply complete')

    const partway = [...(await fx.images('r1')).keys()].length + [...(await fx.images('r2')).keys()].length + [...(await fx.images('r3')).keys()].length
    const keptTotal = [...expected.kept.values()].reduce((n, d) => n + d.length, 0)
    expect(partway).toBeGreaterThan(keptTotal)
    expect(partway).toBeLessThan(keptTotal + expected.deletedCount)

    fx.proxy.configure({latencyMs: 0})
    const rerun = await fx.apply(['--auto-approve', '--format', 'json'])
    expect(rerun.code, rerun.stderr).toBe(0)
    const report = JSON.parse(rerun.stdout)
    expect(report.totals.imagesAlreadyGone).toBeGreaterThan(0)
    expect(report.totals.imagesDeleted + report.totals.imagesAlreadyGone).toBe(expected.deletedCount)
    await expectExactlyKept(expected)
    // The audit log holds both runs: the killed one's outcomes up to the kill, then the re-run.
    const log = await fx.auditLog()
    expect(log.filter((r) => r.event === 'applyStarted')).toHaveLength(2)
    expect(log.filter((r) => r.event === 'applyFinished')).toHaveLength(1)
  })
})

describe('a delete whose answer is lost', () => {
  beforeEach(async () => {
    await fx.reset()
  })

  it('is recorded as deleted, confirmed on retry (not already gone) when the retry finds the images gone', async () => {
    await createRepository(fx.client, 'lost')
    const doomed: string[] = []
    for (let i = 0; i < 3; i++) doomed.push((await pushImage(fx.client, 'lost', {seed: `lost-${i}`, tags: [`tmp-${i}`]})).digest)
    const kept = await pushImage(fx.client, 'lost', {seed: 'lost-keep', tags: ['keep-1']})
    await fx.writeDesired('version: 1\nrepositories:\n  lost:\n    keep:\n      - tag: "keep-*"\n')
    const plan = await fx.plan()
    expect(plan.code, plan.stderr).toBe(0)

    // The emulator deletes, the answer never arrives; the SDK sends the same request again.
    fx.proxy.configure({faultRate: 1, faults: ['resetAfterForward'], faultOperations: ['BatchDeleteImage'], faultLimit: 1})
    const result = await fx.apply(['--auto-approve', '--format', 'json'])
    expect(fx.proxy.faultsInjected.resetAfterForward).toBe(1)
    expect(fx.proxy.counts.BatchDeleteImage).toBe(2)
    expect(result.code, result.stderr).toBe(0)
    expect([...(await fx.images('lost')).keys()]).toEqual([kept.digest])

    const report = JSON.parse(result.stdout)
    expect(report.totals).toMatchObject({imagesDeleted: 3, imagesAlreadyGone: 0, imagesConfirmedOnRetry: 3})
    const records = (await fx.auditLog()).filter((record) => record.event === 'image')
    expect(records.map((record) => record.imageDigest).sort()).toEqual([...doomed].sort())
    for (const record of records) {
      expect(record).toMatchObject({call: 'BatchDeleteImage', result: 'deleted', confirmedOnRetry: true})
      expect(record.message).toMatch(/^deleted, confirmed on retry/)
    }
    expect(result.stderr).toContain('deleted (confirmed on retry)')
  })
})
