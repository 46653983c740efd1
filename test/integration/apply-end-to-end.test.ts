/**
 * ecrctl plan → apply against the emulator (through the fault proxy): the registry ends with
 * exactly the kept images, a new plan has no changes, and a second apply is a no-op.
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createRepository, pushImage, pushIndex} from '../support/push.js'
import {startApplyFixture, type ApplyFixture} from './apply-fixture.js'

let fx: ApplyFixture
beforeAll(async () => {
  fx = await startApplyFixture()
})
afterAll(async () => {
  await fx?.stop()
})

const DESIRED = `version: 1
repositories:
  app:
    keep:
      - tag: release-4
      - tag: latest
  lib:
    keep: []
`

interface Seeded {
  keptApp: string[]
  deletedApp: string[]
  other: string
}

async function seed(): Promise<Seeded> {
  const c = fx.client
  await createRepository(c, 'app')
  await createRepository(c, 'lib')
  await createRepository(c, 'other')
  const releases = []
  for (let i = 1; i <= 5; i++) releases.push((await pushImage(c, 'app', {seed: `app${i}`, tags: [`release-${i}`]})).digest)
  const oldIndex = await pushIndex(c, 'app', {seed: 'multi-old', tags: ['old-multi']})
  const newIndex = await pushIndex(c, 'app', {seed: 'multi-new', tags: ['latest']})
  for (let i = 1; i <= 3; i++) await pushImage(c, 'lib', {seed: `lib${i}`, tags: i === 1 ? [] : [`l${i}`]})
  const other = (await pushImage(c, 'other', {seed: 'other', tags: ['x']})).digest
  await fx.writeDesired(DESIRED)
  return {
    keptApp: [releases[3]!, newIndex.index.digest, ...newIndex.children.map((m) => m.digest)].sort(),
    deletedApp: [releases[0]!, releases[1]!, releases[2]!, releases[4]!, oldIndex.index.digest, ...oldIndex.children.map((m) => m.digest)],
    other,
  }
}

describe('ecrctl apply end to end', () => {
  let seeded: Seeded
  beforeEach(async () => {
    await fx.reset()
    seeded = await seed()
  })

  it('deletes exactly the planned images, indexes before children; a new plan has no changes; a second apply is a no-op', async () => {
    const plan = await fx.plan()
    expect(plan.code, plan.stderr).toBe(0)
    const apply = await fx.apply(['--auto-approve'])
    expect(apply.code, apply.stderr + apply.stdout).toBe(0)
    expect(apply.stdout).toContain('Apply complete: 10 images deleted')

    expect([...(await fx.images('app')).keys()].sort()).toEqual(seeded.keptApp)
    expect((await fx.images('lib')).size).toBe(0)
    expect([...(await fx.images('other')).keys()]).toEqual([seeded.other])
    // Indexes went first: the emulator refuses a child while its index exists, and nothing failed.
    expect(apply.stdout).not.toContain('FAILED')

    const replan = await fx.plan(['--detailed-exitcode'])
    expect(replan.code, replan.stdout + replan.stderr).toBe(0)

    // The original plan again: everything is already done.
    const planAgain = await fx.plan()
    expect(planAgain.code).toBe(0)
    fx.proxy.resetCounts()
    const second = await fx.apply(['--auto-approve', '--format', 'json'])
    expect(second.code, second.stderr).toBe(0)
    const report = JSON.parse(second.stdout)
    expect(report.totals.imagesDeleted).toBe(0)
    expect(fx.proxy.counts.BatchDeleteImage ?? 0).toBe(0)
  })

  it('uses the minimum number of BatchDeleteImage calls and writes an audit record per image', async () => {
    expect((await fx.plan()).code).toBe(0)
    fx.proxy.resetCounts()
    const apply = await fx.apply(['--auto-approve', '--format', 'json'])
    expect(apply.code, apply.stderr).toBe(0)
    const report = JSON.parse(apply.stdout)
    expect(report.kind).toBe('ecrctl-apply-result')
    expect(report.totals).toMatchObject({imagesDeleted: 10, imagesFailed: 0})
    // app: one wave of 4 releases + the old index, then the two children; lib: one call.
    expect(fx.proxy.counts.BatchDeleteImage).toBe(3)
    const log = await fx.auditLog()
    const deleted = log.filter((r) => r.event === 'image' && r.result === 'deleted')
    expect(deleted.map((r) => r.imageDigest).sort()).toEqual(
      [...seeded.deletedApp, ...report.actions.filter((a: {repository: string}) => a.repository === 'lib').map((a: {imageDigest: string}) => a.imageDigest)].sort(),
    )
    for (const record of deleted) expect(record).toMatchObject({call: 'BatchDeleteImage', repository: expect.any(String), time: expect.any(String), imageTags: expect.any(Array)})
    expect(log[0]).toMatchObject({event: 'applyStarted'})
    expect(log.at(-1)).toMatchObject({event: 'applyFinished', exitCode: 0})
  })
})
