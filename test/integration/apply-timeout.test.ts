/**
 * Apply against an endpoint that stops answering mid-way (issue 9, item 7): every read goes
 * through, then BatchDeleteImage is accepted and never answered. With `--timeout` the apply gives
 * up on each batch after the SDK's retries, records the failures with the endpoint, and exits 1,
 * with nothing deleted. Before the fix it waited for ever (here: until the test timed out).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createRepository, pushImage} from '../support/push.js'
import {startApplyFixture, type ApplyFixture} from './apply-fixture.js'

let fx: ApplyFixture
beforeAll(async () => {
  fx = await startApplyFixture()
})
afterAll(async () => {
  await fx?.stop()
})

describe('apply against an endpoint that stops answering', () => {
  it('gives up after the retries, records each failure with the endpoint, and deletes nothing', async () => {
    await fx.reset()
    await createRepository(fx.client, 'stuck')
    const keep = await pushImage(fx.client, 'stuck', {seed: 'stuck-keep', tags: ['keep-1']})
    const doomed = await pushImage(fx.client, 'stuck', {seed: 'stuck-old', tags: ['old-1']})
    await fx.writeDesired('version: 1\nrepositories:\n  stuck:\n    keep:\n      - tag: "keep-*"\n')
    const plan = await fx.plan()
    expect(plan.code, plan.stderr).toBe(0)

    fx.proxy.configure({faultRate: 1, faults: ['hang'], faultOperations: ['BatchDeleteImage']})
    try {
      const result = await fx.apply(['--auto-approve', '--format', 'json', '--timeout', '1s'])
      expect(result.code, result.stderr).toBe(1)
      const report = JSON.parse(result.stdout)
      expect(report.totals.imagesFailed).toBe(1)
      const failure = report.actions.find((action: {imageDigest?: string}) => action.imageDigest === doomed.digest)
      expect(failure).toMatchObject({outcome: 'failed', code: 'timedOut'})
      expect(failure.message).toBe(`no answer from ${fx.proxy.endpoint} to BatchDeleteImage within 1 s, 8 attempts`)
      expect(fx.proxy.faultsInjected.hang).toBe(8)
    } finally {
      fx.proxy.configure({faultRate: 0, faults: undefined, faultOperations: undefined})
    }
    const log = await fx.auditLog()
    expect(log.find((record) => record.event === 'image' && record.imageDigest === doomed.digest)).toMatchObject({result: 'failed', failureCode: 'timedOut'})
    expect([...(await fx.images('stuck')).keys()].sort()).toEqual([keep.digest, doomed.digest].sort())
  })
})
