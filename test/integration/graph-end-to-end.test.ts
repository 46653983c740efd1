/**
 * The image graph against the emulator, with real manifests pushed through the ECR API:
 * two multi-arch indexes sharing a platform manifest (one kept, one not), cosign `.sig` tags for a
 * kept and a deleted image, OCI referrers (`subject`) of a kept and a deleted image, and a Docker
 * schema 2 image. plan → apply (built CLI) → every kept tag is fully pullable (index and all
 * children present) and the orphans are gone. The emulator refuses to delete a child while an
 * index references it, as ECR does, so a wrong delete order fails the apply.
 *
 * The emulator has no referrers API and no subjectManifestDigest: these tests exercise the
 * manifest's `subject`; the API path is covered by test/unit/graph.
 */
import {readFile} from 'node:fs/promises'
import {BatchGetImageCommand} from '@aws-sdk/client-ecr'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import type {DeleteImageAction, KeptImage, PlanDocument} from '../../src/model/plan.js'
import {
  type Manifest,
  cosignSignatureTag,
  createRepository,
  ociImageManifest,
  pushCosignSignature,
  pushImage,
  pushIndex,
  pushReferrer,
} from '../support/push.js'
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
  shop/web:
    keep:
      - tag: v2
`

interface Pushed {
  keptIndex: Manifest
  shared: Manifest
  keptArm: Manifest
  oldIndex: Manifest
  oldArm: Manifest
  keptSig: Manifest
  oldSig: Manifest
  keptSbom: Manifest
  legacy: Manifest
  legacySbom: Manifest
}

async function seed(): Promise<Pushed> {
  const c = fx.client
  await createRepository(c, 'shop/web')
  const shared = ociImageManifest({seed: 'web/amd64', layerSizes: [40_000, 2_000]})
  const oldArm = ociImageManifest({seed: 'web/arm64-v1', layerSizes: [39_000]})
  const keptArm = ociImageManifest({seed: 'web/arm64-v2', layerSizes: [41_000]})
  const old = await pushIndex(c, 'shop/web', {seed: 'web-v1', tags: ['v1'], children: [shared, oldArm]})
  const kept = await pushIndex(c, 'shop/web', {seed: 'web-v2', tags: ['v2'], children: [shared, keptArm]})
  const keptSig = await pushCosignSignature(c, 'shop/web', kept.index.digest, 'sig-v2')
  const oldSig = await pushCosignSignature(c, 'shop/web', old.index.digest, 'sig-v1')
  const keptSbom = await pushReferrer(c, 'shop/web', kept.index, {seed: 'sbom-v2'})
  const legacy = await pushImage(c, 'shop/web', {seed: 'web-v0', tags: ['v0'], layerSizes: [30_000], format: 'docker'})
  const legacySbom = await pushReferrer(c, 'shop/web', legacy, {seed: 'sbom-v0'})
  await fx.writeDesired(DESIRED)
  return {keptIndex: kept.index, shared, keptArm, oldIndex: old.index, oldArm, keptSig, oldSig, keptSbom, legacy, legacySbom}
}

async function readPlan(): Promise<PlanDocument> {
  return JSON.parse(await readFile(fx.planPath, 'utf8')) as PlanDocument
}

/** What `docker pull shop/web:<tag>` needs: the tagged manifest and, for an index, every child. */
async function pullable(tag: string): Promise<{ok: boolean; missing: string[]}> {
  const byTag = await fx.client.send(new BatchGetImageCommand({repositoryName: 'shop/web', imageIds: [{imageTag: tag}]}))
  const top = byTag.images?.[0]?.imageManifest
  if (!top) return {ok: false, missing: [tag]}
  const children = ((JSON.parse(top) as {manifests?: Array<{digest: string}>}).manifests ?? []).map((m) => m.digest)
  if (children.length === 0) return {ok: true, missing: []}
  const got = await fx.client.send(
    new BatchGetImageCommand({repositoryName: 'shop/web', imageIds: children.map((imageDigest) => ({imageDigest}))}),
  )
  const present = new Set((got.images ?? []).map((image) => image.imageId?.imageDigest))
  const missing = children.filter((child) => !present.has(child))
  return {ok: missing.length === 0, missing}
}

const blobBytes = (...manifests: Manifest[]): number =>
  manifests
    .flatMap((m) => {
      const doc = JSON.parse(m.text) as {config?: {size: number}; layers?: Array<{size: number}>}
      return [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]
    })
    .reduce((sum, blob) => sum + blob.size, 0)

describe('image graph: plan → apply against the emulator', () => {
  let pushed: Pushed
  beforeEach(async () => {
    await fx.reset()
    pushed = await seed()
  })

  it('plans the graph: shared child kept, old platform manifest and orphans deleted, each with its edge', async () => {
    const result = await fx.plan(['--manifests', 'all'])
    expect(result.code, result.stderr).toBe(0)
    const plan = await readPlan()
    const deleted = new Map(
      plan.actions.filter((a): a is DeleteImageAction => a.type === 'deleteImage').map((a) => [a.imageDigest, a]),
    )
    const kept = new Map(plan.kept.map((k: KeptImage) => [k.imageDigest, k]))

    expect([...deleted.keys()].sort()).toEqual(
      [pushed.oldIndex, pushed.oldArm, pushed.oldSig, pushed.legacy, pushed.legacySbom].map((m) => m.digest).sort(),
    )
    expect(kept.get(pushed.shared.digest)?.reasons.map((r) => r.code)).toEqual(['indexChild'])
    expect(kept.get(pushed.keptArm.digest)?.reasons[0]).toEqual({code: 'indexChild', relatedDigest: pushed.keptIndex.digest})
    expect(kept.get(pushed.keptSig.digest)?.reasons.map((r) => r.code)).toEqual(['referrerOfKept'])
    expect(kept.get(pushed.keptSbom.digest)?.reasons[0]).toMatchObject({code: 'referrerOfKept', via: 'manifest subject'})

    expect(deleted.get(pushed.oldArm.digest)?.reasons[0]).toMatchObject({code: 'childOfDeletedIndex', relatedDigest: pushed.oldIndex.digest})
    expect(deleted.get(pushed.oldSig.digest)?.reasons[0]).toMatchObject({code: 'orphanReferrer', relatedDigest: pushed.oldIndex.digest})
    expect(deleted.get(pushed.oldSig.digest)?.imageTags).toEqual([cosignSignatureTag(pushed.oldIndex.digest)])
    expect(deleted.get(pushed.legacySbom.digest)?.reasons[0]).toMatchObject({code: 'orphanReferrer', relatedDigest: pushed.legacy.digest})

    // Apply orders by these: referrers and indexes before what they reference.
    expect(deleted.get(pushed.oldIndex.digest)?.references).toEqual([pushed.shared.digest, pushed.oldArm.digest].sort())
    expect(deleted.get(pushed.oldSig.digest)?.references).toEqual([pushed.oldIndex.digest])

    // Unique bytes: the shared child's layers stay; the old arm64, the legacy image and the orphans' blobs go.
    const freed = blobBytes(pushed.oldArm, pushed.oldSig, pushed.legacy, pushed.legacySbom)
    expect(plan.summary.uniqueBytesFreed).toBe(freed)
    expect(plan.summary.estimateBasis).toBe('uniqueBytes')
    expect(plan.summary.bytesDeleted).toBeGreaterThan(freed)
  })

  it('applies in a safe order: kept tags stay fully pullable and the orphans are gone', async () => {
    const planned = await fx.plan()
    expect(planned.code, planned.stderr).toBe(0)
    const applied = await fx.apply(['--auto-approve'])
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(applied.stdout).not.toContain('FAILED')
    // apply's own post-apply check: the kept index v2 (the only index left) still has every child.
    expect(applied.stdout).toContain('Pullability check: 1 multi-arch index in 1 touched repository, every platform manifest present.')

    const remaining = await fx.images('shop/web')
    expect([...remaining.keys()].sort()).toEqual(
      [pushed.keptIndex, pushed.shared, pushed.keptArm, pushed.keptSig, pushed.keptSbom].map((m) => m.digest).sort(),
    )
    expect(await pullable('v2')).toEqual({ok: true, missing: []})
    expect(await pullable(cosignSignatureTag(pushed.keptIndex.digest))).toEqual({ok: true, missing: []})
    for (const gone of ['v1', 'v0', cosignSignatureTag(pushed.oldIndex.digest)]) expect((await pullable(gone)).ok).toBe(false)

    const replan = await fx.plan(['--detailed-exitcode'])
    expect(replan.code, replan.stdout + replan.stderr).toBe(0)
  })
})
