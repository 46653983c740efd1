/**
 * Apply re-derives what it deletes: a plan is a reviewed proposal, not an authority. Against the
 * emulator, with the built CLI: a plan evaluated in the future is refused (and `plan --now` warns
 * when it makes one).
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createRepository, pushImage} from '../support/push.js'
import {startApplyFixture, type ApplyFixture} from './apply-fixture.js'

let fx: ApplyFixture
beforeAll(async () => {
  fx = await startApplyFixture()
})
afterAll(async () => {
  await fx?.stop()
})

const HOUR_S = 3600

describe('apply refuses a plan evaluated in the future', () => {
  beforeEach(async () => {
    await fx.reset()
  })

  it('plan --now four days ahead warns; apply refuses it and deletes nothing (not the image pushed two hours ago, not the one pushedWithin keeps)', async () => {
    await createRepository(fx.client, 'app')
    const old = await pushImage(fx.client, 'app', {seed: 'old', tags: ['old']})
    const fresh = await pushImage(fx.client, 'app', {seed: 'fresh', tags: ['fresh']})
    const recent = await pushImage(fx.client, 'app', {seed: 'recent', tags: ['recent']})
    const nowS = Date.now() / 1000
    await fx.backend.setImageTimes({repositoryName: 'app', imageDigest: fresh.digest, imagePushedAt: nowS - 2 * HOUR_S})
    await fx.backend.setImageTimes({repositoryName: 'app', imageDigest: recent.digest, imagePushedAt: nowS - 4 * 24 * HOUR_S})
    await fx.writeDesired('version: 1\nrepositories:\n  app:\n    keep:\n      - pushedWithin: 1w\n')

    const future = new Date(Date.now() + 4 * 24 * HOUR_S * 1000).toISOString()
    const plan = await fx.plan(['--now', future])
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stderr).toMatch(/^Warning: --now \S+ is in the future \(\d+ days ahead\).*apply refuses this plan until /m)

    const apply = await fx.apply(['--auto-approve'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(/This plan was evaluated at \S+, later than the current time/)
    expect([...(await fx.images('app')).keys()].sort()).toEqual([old.digest, fresh.digest, recent.digest].sort())
    expect(fx.proxy.counts.BatchDeleteImage ?? 0).toBe(0)
  })

  it('plan with the real clock is not warned about, and apply deletes only what is past every window', async () => {
    await createRepository(fx.client, 'app')
    const old = await pushImage(fx.client, 'app', {seed: 'old', tags: ['old']})
    const fresh = await pushImage(fx.client, 'app', {seed: 'fresh', tags: ['fresh']})
    await fx.backend.setImageTimes({repositoryName: 'app', imageDigest: fresh.digest, imagePushedAt: Date.now() / 1000 - 2 * HOUR_S})
    await fx.writeDesired('version: 1\nrepositories:\n  app:\n    keep: []\n')

    const plan = await fx.plan()
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stderr).not.toContain('Warning')
    const apply = await fx.apply(['--auto-approve'])
    expect(apply.code, apply.stderr).toBe(0)
    expect([...(await fx.images('app')).keys()]).toEqual([fresh.digest])
    expect((await fx.images('app')).has(old.digest)).toBe(false)
  })
})
