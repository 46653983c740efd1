/**
 * Every refusal of ecrctl apply leaves the registry untouched (exit 1, a message naming the cause
 * and the next step); --skip-stale and --auto-approve are the explicit ways past them.
 */
import {readFile, writeFile} from 'node:fs/promises'
import {PutImageCommand, BatchGetImageCommand} from '@aws-sdk/client-ecr'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {computePlanChecksum} from '../../src/planfile/seal.js'
import {createRepository, pushImage} from '../support/push.js'
import {startApplyFixture, type ApplyFixture} from './apply-fixture.js'

let fx: ApplyFixture
beforeAll(async () => {
  fx = await startApplyFixture()
})
afterAll(async () => {
  await fx?.stop()
})

/** app: v1..v4 are deleted, keep-me is kept. */
async function seedAndPlan(): Promise<string[]> {
  await createRepository(fx.client, 'app')
  const doomed = []
  for (let i = 1; i <= 4; i++) doomed.push((await pushImage(fx.client, 'app', {seed: `a${i}`, tags: [`v${i}`]})).digest)
  await pushImage(fx.client, 'app', {seed: 'keep', tags: ['keep-me']})
  await fx.writeDesired('version: 1\nrepositories:\n  app:\n    keep:\n      - tag: keep-me\n')
  const plan = await fx.plan()
  expect(plan.code, plan.stderr).toBe(0)
  return doomed
}

/** Adds a tag to an existing image, as `docker tag && docker push` would. */
async function tagImage(repository: string, digest: string, tag: string): Promise<void> {
  const got = await fx.client.send(new BatchGetImageCommand({repositoryName: repository, imageIds: [{imageDigest: digest}]}))
  const image = got.images![0]!
  await fx.client.send(
    new PutImageCommand({repositoryName: repository, imageManifest: image.imageManifest, imageManifestMediaType: image.imageManifestMediaType, imageTag: tag}),
  )
}

describe('ecrctl apply refuses, changing nothing', () => {
  let doomed: string[]
  beforeEach(async () => {
    await fx.reset()
    doomed = await seedAndPlan()
  })

  it('a stale plan: a new tag on a digest it deletes', async () => {
    await tagImage('app', doomed[1]!, 'hotfix')
    const result = await fx.apply(['--auto-approve'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('The plan is stale')
    expect(result.stderr).toContain(doomed[1]!)
    expect(result.stderr).toContain('tag hotfix added')
    expect(result.stderr).toContain('--skip-stale')
    expect((await fx.images('app')).size).toBe(5)
    expect(fx.proxy.counts.BatchDeleteImage ?? 0).toBe(0)
  })

  it('--skip-stale applies the rest and reports what it skipped', async () => {
    await tagImage('app', doomed[1]!, 'hotfix')
    const result = await fx.apply(['--auto-approve', '--skip-stale'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('1 stale action skipped')
    expect(result.stdout).toContain(`skipped (stale): app@${doomed[1]}`)
    const left = await fx.images('app')
    expect([...left.keys()].filter((d) => doomed.includes(d))).toEqual([doomed[1]])
    expect(left.get(doomed[1]!)).toEqual(['hotfix', 'v2'])
  })

  it('a tampered plan (one digest edited)', async () => {
    const text = await readFile(fx.planPath, 'utf8')
    await writeFile(fx.planPath, text.replace(doomed[0]!.slice(0, 20), 'sha256:0000000000000'))
    const result = await fx.apply(['--auto-approve'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/tampered|corrupted/i)
    expect((await fx.images('app')).size).toBe(5)
  })

  it('a re-sealed plan that puts a lifecycle policy ECR rejects: refused when read, before any delete', async () => {
    // The checksum algorithm is public, so a plan can be edited and re-sealed (issue 9, item 12).
    const doc = JSON.parse(await readFile(fx.planPath, 'utf8'))
    const expireAll = {rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 0}, action: {type: 'expire'}}]}
    doc.actions.push({type: 'putLifecyclePolicy', repository: 'app', before: null, after: JSON.stringify(expireAll), declaredBy: {entry: 'app', file: 'desired-state/app.yaml', line: 1}})
    doc.checksum = computePlanChecksum(doc)
    await writeFile(fx.planPath, JSON.stringify(doc))
    const result = await fx.apply(['--auto-approve'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('is not a valid ecrctl plan')
    expect(result.stderr).toContain('countNumber')
    expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect((await fx.images('app')).size).toBe(5)
    expect(fx.proxy.counts.BatchDeleteImage ?? 0).toBe(0)
  })

  it('another account (the emulator answering as 111122223333)', async () => {
    fx.proxy.configure({accountId: '111122223333'})
    const result = await fx.apply(['--auto-approve'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('made for another registry')
    expect(result.stderr).toContain('111122223333')
    expect(result.stderr).not.toContain('stale')
    expect((await fx.images('app')).size).toBe(5)
  })

  it('another region', async () => {
    const result = await fx.apply(['--auto-approve', '--region', 'eu-west-1'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('made for another registry')
    expect(result.stderr).toContain('eu-west-1')
    expect((await fx.images('app')).size).toBe(5)
  })

  it('no terminal and no --auto-approve: names --auto-approve', async () => {
    const result = await fx.apply()
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('--auto-approve')
    expect((await fx.images('app')).size).toBe(5)
  })

  it('--max-deletions below the plan size; at the plan size it applies', async () => {
    const refused = await fx.apply(['--auto-approve', '--max-deletions', '3'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('deletes 4 images, more than the limit of 3')
    expect((await fx.images('app')).size).toBe(5)
    const applied = await fx.apply(['--auto-approve', '--max-deletions', '4'])
    expect(applied.code, applied.stderr).toBe(0)
    expect([...(await fx.images('app')).values()]).toEqual([['keep-me']])
  })
})

describe('ecrctl apply: lifecycle policy actions', () => {
  const KEEP_TEN = JSON.stringify({
    rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10}, action: {type: 'expire'}}],
  })
  beforeEach(async () => {
    await fx.reset()
    await createRepository(fx.client, 'pol', KEEP_TEN)
    await pushImage(fx.client, 'pol', {seed: 'p', tags: ['v1']})
    await fx.writeDesired('version: 1\nrepositories:\n  pol:\n    keep:\n      - tag: v1\n    lifecycle: none\n')
    const plan = await fx.plan()
    expect(plan.code, plan.stderr).toBe(0)
  })

  it('deletes the policy while it still equals the plan\'s before; a second apply finds it done', async () => {
    const first = await fx.apply(['--auto-approve'])
    expect(first.code, first.stderr + first.stdout).toBe(0)
    expect(first.stdout).toContain('pol: lifecycle policy deleted')
    expect(fx.proxy.counts.DeleteLifecyclePolicy).toBe(1)
    fx.proxy.resetCounts()
    const second = await fx.apply(['--auto-approve'])
    expect(second.code, second.stderr).toBe(0)
    expect(fx.proxy.counts.DeleteLifecyclePolicy ?? 0).toBe(0)
  })

  it('refuses when the policy was changed since the plan', async () => {
    const {PutLifecyclePolicyCommand} = await import('@aws-sdk/client-ecr')
    await fx.client.send(new PutLifecyclePolicyCommand({repositoryName: 'pol', lifecyclePolicyText: KEEP_TEN.replace('10', '20')}))
    const result = await fx.apply(['--auto-approve'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('lifecycle policy was changed since the plan')
    expect(fx.proxy.counts.DeleteLifecyclePolicy ?? 0).toBe(0)
  })
})
