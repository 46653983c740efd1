/**
 * A signature or OCI referrer pushed while apply waits for its confirmation (after its first read
 * of the registry, before any delete) must save its subject: the re-check right before each
 * BatchDeleteImage looks for new referrers, not only for changed tags. The apply session runs in
 * this process against the emulator, so the confirmation port can push in exactly that window.
 */
import type {ECRClient} from '@aws-sdk/client-ecr'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {openAuditLog} from '../../src/apply/audit-log.js'
import {runApplySession, type ApplyPorts} from '../../src/apply/session.js'
import type {ApplyReport} from '../../src/model/apply-result.js'
import {readPlanFile} from '../../src/planfile/index.js'
import {EcrApplyCalls} from '../../src/registry/apply-calls.js'
import {createRepository, pushCosignSignature, pushImage, pushReferrer, testEcrClient, type Manifest} from '../support/push.js'
import {startApplyFixture, type ApplyFixture} from './apply-fixture.js'

let fx: ApplyFixture
let applyClient: ECRClient
beforeAll(async () => {
  fx = await startApplyFixture()
  applyClient = testEcrClient(fx.proxy.endpoint)
})
afterAll(async () => {
  applyClient?.destroy()
  await fx?.stop()
})

interface Seeded {
  subject: Manifest
  other: Manifest
  kept: Manifest
}

/** app: two images the plan deletes (`subject`, `other`) and one it keeps. */
async function seedAndPlan(): Promise<Seeded> {
  await createRepository(fx.client, 'app')
  const subject = await pushImage(fx.client, 'app', {seed: 'subject', tags: ['old-1']})
  const other = await pushImage(fx.client, 'app', {seed: 'other', tags: ['old-2']})
  const kept = await pushImage(fx.client, 'app', {seed: 'kept', tags: ['keep-1']})
  await fx.writeDesired('version: 1\nrepositories:\n  app:\n    keep:\n      - tag: "keep-*"\n')
  const planned = await fx.plan()
  expect(planned.code, planned.stderr).toBe(0)
  return {subject, other, kept}
}

/** Applies the plan, confirming in a "terminal" whose person first lets `duringConfirmation` happen. */
async function applyWhile(duringConfirmation: () => Promise<unknown>): Promise<ApplyReport> {
  const plan = await readPlanFile(fx.planPath)
  const ports: ApplyPorts = {
    registry: new EcrApplyCalls(applyClient),
    confirm: {
      interactive: true,
      async ask() {
        await duringConfirmation()
        return true
      },
    },
    startProgress: async () => ({onEvent() {}, async finish() {}}),
    openAuditLog: () => openAuditLog(fx.auditLogPath),
  }
  return runApplySession(
    {plan, planPath: fx.planPath, autoApprove: false, skipStale: false, concurrency: 1, ecrctlVersion: 'test', pid: process.pid},
    ports,
  )
}

const outcomeOf = (report: ApplyReport, digest: string) => report.actions.find((action) => action.imageDigest === digest)

describe('apply re-checks each batch for referrers pushed during the apply', () => {
  let seeded: Seeded
  beforeEach(async () => {
    await fx.reset()
    seeded = await seedAndPlan()
  })

  it('a cosign signature (sha256-<hex>.sig tag) pushed during confirmation keeps its subject', async () => {
    const report = await applyWhile(() => pushCosignSignature(fx.client, 'app', seeded.subject.digest, 'late-signature'))
    const images = await fx.images('app')
    expect(images.has(seeded.subject.digest)).toBe(true)
    expect(images.has(seeded.other.digest)).toBe(false)
    expect(outcomeOf(report, seeded.subject.digest)).toMatchObject({outcome: 'skippedStale', code: 'ReferrerAdded'})
    expect(outcomeOf(report, seeded.subject.digest)?.message).toContain('.sig')
    expect(outcomeOf(report, seeded.other.digest)).toMatchObject({outcome: 'deleted'})
    // Stale during the apply without --skip-stale: the reviewer did not agree to leave it.
    expect(report.exitCode).toBe(1)
  })

  it('an OCI referrer (manifest `subject`) pushed during confirmation keeps its subject', async () => {
    const report = await applyWhile(() => pushReferrer(fx.client, 'app', seeded.subject, {seed: 'late-sbom'}))
    const images = await fx.images('app')
    expect(images.has(seeded.subject.digest)).toBe(true)
    expect(images.has(seeded.other.digest)).toBe(false)
    expect(outcomeOf(report, seeded.subject.digest)).toMatchObject({outcome: 'skippedStale', code: 'ReferrerAdded'})
    expect(outcomeOf(report, seeded.subject.digest)?.message).toContain('subject')
    const audit = await fx.auditLog()
    expect(audit.find((record) => record.event === 'image' && record.imageDigest === seeded.subject.digest)).toMatchObject({
      result: 'skippedStale',
      failureCode: 'ReferrerAdded',
    })
  })

  it('a plain image pushed during confirmation changes nothing: both planned deletions go ahead', async () => {
    const report = await applyWhile(() => pushImage(fx.client, 'app', {seed: 'unrelated', tags: ['new-1'], format: 'oci'}))
    const images = await fx.images('app')
    expect(images.has(seeded.subject.digest)).toBe(false)
    expect(images.has(seeded.other.digest)).toBe(false)
    expect(images.has(seeded.kept.digest)).toBe(true)
    expect(report.exitCode).toBe(0)
  })
})
