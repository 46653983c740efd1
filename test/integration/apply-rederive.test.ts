/**
 * Apply re-derives what it deletes: a plan is a reviewed proposal, not an authority. Against the
 * emulator, with the built CLI: a plan evaluated in the future is refused (and `plan --now` warns
 * when it makes one); an old plan applied after a newer desired state is refused; a forged plan
 * whose checksum was recomputed has its forged actions found stale and left undone.
 */
import {copyFile, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {DescribeImagesCommand} from '@aws-sdk/client-ecr'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import type {DeleteImageAction, PlanAction, PlanDocument} from '../../src/model/plan.js'
import {computePlanChecksum} from '../../src/planfile/seal.js'
import {createRepository, pushImage} from '../support/push.js'
import {runCli, startApplyFixture, type ApplyFixture} from './apply-fixture.js'

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

const KEEP_PROD = 'version: 1\nrepositories:\n  app:\n    keep:\n      - tag: prod\n'

describe('apply re-derives every action from the desired state at hand', () => {
  beforeEach(async () => {
    await fx.reset()
  })

  it('an old plan A applied after plan B, whose desired state keeps old-2, is refused: the desired state changed', async () => {
    await createRepository(fx.client, 'app')
    const [, old2] = [
      await pushImage(fx.client, 'app', {seed: 'o1', tags: ['old-1']}),
      await pushImage(fx.client, 'app', {seed: 'o2', tags: ['old-2']}),
      await pushImage(fx.client, 'app', {seed: 'o3', tags: ['old-3']}),
    ]
    const prod = await pushImage(fx.client, 'app', {seed: 'prod', tags: ['prod']})
    await fx.writeDesired(KEEP_PROD)
    expect((await fx.plan()).code).toBe(0)
    const planA = join(fx.dir, 'plan-a.json')
    await copyFile(fx.planPath, planA)

    await fx.writeDesired(`${KEEP_PROD}      - tag: old-2\n`)
    expect((await fx.plan()).code).toBe(0)
    const applyB = await fx.apply(['--auto-approve'])
    expect(applyB.code, applyB.stderr).toBe(0)
    expect([...(await fx.images('app')).keys()].sort()).toEqual([old2.digest, prod.digest].sort())

    fx.proxy.resetCounts()
    const applyA = await runCli(['apply', planA, '-f', fx.desiredPath, '--endpoint-url', fx.proxy.endpoint, '--auto-approve'])
    expect(applyA.code).toBe(1)
    expect(applyA.stderr).toContain('The desired state changed since this plan was made; re-plan. Nothing was changed.')
    expect((await fx.images('app')).has(old2.digest)).toBe(true)
    expect(fx.proxy.counts.BatchDeleteImage ?? 0).toBe(0)
  })

  describe('a forged plan with a recomputed checksum', () => {
    let legit: string
    let prod: string
    let unmanaged: string
    beforeEach(async () => {
      await createRepository(fx.client, 'app')
      await createRepository(fx.client, 'other')
      legit = (await pushImage(fx.client, 'app', {seed: 'legit', tags: ['old-1']})).digest
      prod = (await pushImage(fx.client, 'app', {seed: 'prod', tags: ['prod']})).digest
      unmanaged = (await pushImage(fx.client, 'other', {seed: 'other', tags: ['x']})).digest
      await fx.writeDesired(KEEP_PROD)
      const plan = await fx.plan()
      expect(plan.code, plan.stderr).toBe(0)
    })

    /** Edits the saved plan and seals it again, as anyone who knows the public checksum algorithm can. */
    async function forge(edit: (plan: PlanDocument) => void): Promise<void> {
      const plan = JSON.parse(await readFile(fx.planPath, 'utf8')) as PlanDocument
      edit(plan)
      plan.checksum = computePlanChecksum(plan)
      await writeFile(fx.planPath, `${JSON.stringify(plan, null, 2)}\n`)
    }

    /** A deletion of `digest` shaped like the plan's own deletion of the legitimate image. */
    async function forgedDeletion(plan: PlanDocument, repository: string, digest: string): Promise<DeleteImageAction> {
      const template = plan.actions.find((action): action is DeleteImageAction => action.type === 'deleteImage')!
      const described = await fx.client.send(new DescribeImagesCommand({repositoryName: repository, imageIds: [{imageDigest: digest}]}))
      const detail = described.imageDetails![0]!
      return {...template, repository, imageDigest: digest, imageTags: [...detail.imageTags!].sort(), imagePushedAt: detail.imagePushedAt!.toISOString(), sizeBytes: detail.imageSizeInBytes!}
    }

    async function expectForgedActionStale(why: RegExp): Promise<void> {
      const refused = await fx.apply(['--auto-approve'])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('The plan is stale: 1 of its 2 actions')
      expect(refused.stderr).toMatch(why)
      expect(fx.proxy.counts.BatchDeleteImage ?? 0).toBe(0)
      expect(fx.proxy.counts.PutLifecyclePolicy ?? 0).toBe(0)

      const rest = await fx.apply(['--auto-approve', '--skip-stale'])
      expect(rest.code, rest.stderr).toBe(0)
      expect(rest.stdout).toContain('1 stale action skipped')
      expect((await fx.images('app')).has(legit)).toBe(false)
      expect((await fx.images('app')).has(prod)).toBe(true)
      expect((await fx.images('other')).has(unmanaged)).toBe(true)
    }

    it('deleting an image in an unmanaged repository: stale, not done', async () => {
      const template = JSON.parse(await readFile(fx.planPath, 'utf8')) as PlanDocument
      const deletion = await forgedDeletion(template, 'other', unmanaged)
      await forge((plan) => {
        plan.actions.push(deletion)
        plan.unmanagedRepositories = plan.unmanagedRepositories.filter((name) => name !== 'other')
        plan.managedRepositories = [...plan.managedRepositories, 'other'].sort()
      })
      fx.proxy.resetCounts()
      await expectForgedActionStale(/the desired state does not manage repository other/)
    })

    it('deleting the production image the desired state keeps: stale, not done', async () => {
      const template = JSON.parse(await readFile(fx.planPath, 'utf8')) as PlanDocument
      const deletion = await forgedDeletion(template, 'app', prod)
      await forge((plan) => {
        plan.kept = plan.kept.filter((image) => image.imageDigest !== prod)
        plan.actions.push(deletion)
      })
      fx.proxy.resetCounts()
      await expectForgedActionStale(/the desired state keeps it: keep rule app keep\[0\]/)
    })

    it('installing an expire-everything lifecycle policy: stale, not done', async () => {
      const expireEverything = JSON.stringify({
        rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1}, action: {type: 'expire'}}],
      })
      await forge((plan) => {
        plan.actions.push({type: 'putLifecyclePolicy', repository: 'app', before: null, after: expireEverything, declaredBy: {entry: 'app', file: 'desired-state/app.yaml', line: 1}} as PlanAction)
      })
      fx.proxy.resetCounts()
      await expectForgedActionStale(/the desired state would not change the lifecycle policy of app/)
      expect(fx.proxy.counts.PutLifecyclePolicy ?? 0).toBe(0)
    })
  })

  it('without a desired state at hand, says only registry checks were made; --require-desired-state refuses', async () => {
    await createRepository(fx.client, 'app')
    await pushImage(fx.client, 'app', {seed: 'legit', tags: ['old-1']})
    await fx.writeDesired('version: 1\nrepositories:\n  app:\n    keep: []\n')
    expect((await fx.plan()).code).toBe(0)
    const args = ['apply', fx.planPath, '--endpoint-url', fx.proxy.endpoint, '--auto-approve']

    const required = await runCli([...args, '--require-desired-state'], {}, fx.dir)
    expect(required.code).toBe(1)
    expect(required.stderr).toContain('No desired state at hand, and --require-desired-state')
    expect((await fx.images('app')).size).toBe(1)

    // fx.dir has no desired-state/ directory: nothing at hand.
    const applied = await runCli(args, {}, fx.dir)
    expect(applied.code, applied.stderr).toBe(0)
    expect(applied.stderr).toMatch(/^Warning: No desired state at hand \(the plan was made from .*desired\.yaml\): only registry checks were made\./m)
    expect(applied.stdout).toContain('Only registry checks were made')
    expect((await fx.images('app')).size).toBe(0)
  })
})
