/**
 * readLiveSnapshot / readRepositoryImages against the ECR emulator: paging, lifecycle policies,
 * manifests of indexes and referrers, unmanaged repositories, and the errors a user sees.
 */
import {CreateRepositoryCommand, ECRClient} from '@aws-sdk/client-ecr'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../src/errors.js'
import {countApiCalls, readLiveSnapshot, readRepositoryImages} from '../../src/registry/read.js'
import {mapBounded} from '../../src/util/pool.js'
import {requireHooks, startBackend} from '../support/backend.js'
import type {Emulator} from '../support/emulator.js'
import {
  MEDIA,
  createRepository,
  dockerImageManifest,
  imageIndexManifest,
  pushCosignSignature,
  pushImage,
  pushIndex,
  pushManifest,
  pushReferrer,
  sha256,
  testEcrClient,
} from '../support/push.js'

let backend: Emulator
let client: ECRClient

beforeAll(async () => {
  backend = await startBackend()
  client = testEcrClient(backend.endpoint)
})
afterAll(async () => {
  client?.destroy()
  await backend?.stop()
})

const KEEP_TEN = JSON.stringify({
  rules: [{rulePriority: 1, description: 'keep 10', selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10}, action: {type: 'expire'}}],
})

describe('readLiveSnapshot', () => {
  it('reads every page: 1,005 images in one repository and 105 repositories', async () => {
    await backend.reset()
    const names = Array.from({length: 105}, (_, i) => `paging/repo-${String(i).padStart(3, '0')}`)
    await mapBounded(names, 8, (name) => createRepository(client, name))
    const seeds = Array.from({length: 1005}, (_, i) => `big-${i}`)
    await mapBounded(seeds, 8, (seed) => pushImage(client, 'paging/repo-000', {seed, tags: seed.endsWith('7') ? [seed] : []}))
    const counter = countApiCalls(client)

    const snapshot = await readLiveSnapshot(client, {isManaged: (name) => name === 'paging/repo-000' || name === 'paging/repo-104'})

    expect(snapshot.registry).toEqual({accountId: '123456789012', region: 'us-east-1'})
    expect(snapshot.repositories.map((r) => r.name)).toEqual(names)
    const big = snapshot.repositories[0]!
    expect(big.imagesRead).toBe(true)
    expect(big.images).toHaveLength(1005)
    expect(new Set(big.images.map((i) => i.digest)).size).toBe(1005)
    expect(big.images.map((i) => i.digest)).toEqual(seeds.map((seed) => dockerImageManifest({seed}).digest).sort())
    expect(big.images.filter((i) => i.tags.length > 0)).toHaveLength(seeds.filter((s) => s.endsWith('7')).length)
    // maxResults 1000: two pages for 1,005 images, one for the empty repository; nothing for unmanaged ones.
    expect(counter.calls.DescribeImages).toBe(3)
    expect(counter.calls.GetLifecyclePolicy).toBe(2)
    expect(counter.calls.DescribeRegistry).toBe(1)
    expect(counter.calls.DescribeRepositories).toBe(1)
    expect(counter.calls.BatchGetImage).toBeUndefined() // Docker schema 2 images reference nothing
    counter.reset()
  })

  it('reads lifecycle policies (null when none) and only the managed repositories’ images', async () => {
    await createRepository(client, 'life/with-policy', KEEP_TEN)
    await createRepository(client, 'life/without')
    await createRepository(client, 'other/unmanaged')
    await pushImage(client, 'other/unmanaged', {seed: 'unmanaged-1', tags: ['v1']})
    await pushImage(client, 'life/with-policy', {seed: 'life-1', tags: ['v1'], layerSizes: [1000, 2000]})
    const counter = countApiCalls(client)

    const snapshot = await readLiveSnapshot(client, {isManaged: (name) => name.startsWith('life/')})
    const byName = new Map(snapshot.repositories.map((r) => [r.name, r]))

    expect(byName.get('life/with-policy')!.lifecyclePolicy).toBe(KEEP_TEN)
    expect(byName.get('life/without')!.lifecyclePolicy).toBeNull()
    expect(byName.get('life/without')!.imagesRead).toBe(true)
    expect(byName.get('other/unmanaged')).toEqual({name: 'other/unmanaged', lifecyclePolicy: null, imagesRead: false, images: []})
    expect(byName.get('life/with-policy')!.images[0]).toMatchObject({tags: ['v1'], sizeBytes: 3000, manifestMediaType: MEDIA.dockerManifest})
    expect(counter.calls.GetLifecyclePolicy).toBe(2)
    expect(counter.calls.DescribeImages).toBe(2)
  })

  it('reports tag moves as untagged images, and push/pull times set through the hooks', async () => {
    const hooks = requireHooks(backend)
    await createRepository(client, 'times/app')
    const first = await pushImage(client, 'times/app', {seed: 'times-1', tags: ['latest', 'v1']})
    const second = await pushImage(client, 'times/app', {seed: 'times-2', tags: ['latest']})
    await pushImage(client, 'times/app', {seed: 'times-3', tags: ['scratch']})
    await pushImage(client, 'times/app', {seed: 'times-3b', tags: ['scratch']}) // times-3 is left untagged
    await hooks.setImageTimes({repositoryName: 'times/app', imageDigest: first.digest, imagePushedAt: 1_727_000_000.123, lastRecordedPullTime: 1_738_000_000})

    const images = await readRepositoryImages(client, 'times/app')
    const byDigest = new Map(images.map((i) => [i.digest, i]))
    expect(byDigest.get(first.digest)).toMatchObject({tags: ['v1'], pushedAt: '2024-09-22T10:13:20.123Z', lastPulledAt: '2025-01-27T17:46:40.000Z'})
    expect(byDigest.get(second.digest)!.tags).toEqual(['latest'])
    expect(byDigest.get(second.digest)!.lastPulledAt).toBeUndefined()
    expect(byDigest.get(dockerImageManifest({seed: 'times-3'}).digest)!.tags).toEqual([])
    expect(images.map((i) => i.digest)).toEqual([...images.map((i) => i.digest)].sort())
  })

  it('reads the manifests of indexes, manifest lists and referrers (subject), not of plain images', async () => {
    await createRepository(client, 'graph/app')
    const plain = await pushImage(client, 'graph/app', {seed: 'graph-plain', tags: ['plain']})
    const oci = await pushIndex(client, 'graph/app', {seed: 'graph-oci', tags: ['multi'], architectures: ['amd64', 'arm64']})
    const docker = await pushIndex(client, 'graph/app', {seed: 'graph-docker', tags: ['list'], kind: 'docker'})
    const referrer = await pushReferrer(client, 'graph/app', oci.index, {seed: 'graph-sbom'})
    const signature = await pushCosignSignature(client, 'graph/app', plain.digest, 'graph-sig')
    const counter = countApiCalls(client)

    const images = await readRepositoryImages(client, 'graph/app')
    const byDigest = new Map(images.map((i) => [i.digest, i]))

    expect(byDigest.get(oci.index.digest)!.manifest).toEqual({mediaType: MEDIA.ociIndex, children: oci.children.map((c) => c.digest).sort()})
    expect(byDigest.get(oci.index.digest)!.sizeBytes).toBe(Math.max(...oci.children.map((c) => byDigest.get(c.digest)!.sizeBytes)))
    expect(byDigest.get(docker.index.digest)!.manifest).toEqual({mediaType: MEDIA.dockerManifestList, children: docker.children.map((c) => c.digest).sort()})
    expect(byDigest.get(referrer.digest)!.manifest).toEqual({mediaType: MEDIA.ociManifest, subject: oci.index.digest})
    expect(byDigest.get(signature.digest)!.tags).toEqual([`sha256-${plain.digest.slice(7)}.sig`])
    expect(byDigest.get(plain.digest)!.manifest).toBeUndefined()
    for (const child of docker.children) expect(byDigest.get(child.digest)!.manifest).toBeUndefined()
    for (const image of images) expect(image.manifestError).toBeUndefined()
    // indexes (2) + OCI manifests (2 children, the referrer, the signature) in one batch
    expect(counter.calls.BatchGetImage).toBe(1)

    const all = await readRepositoryImages(client, 'graph/app', {readManifests: 'all'})
    const plainAll = all.find((i) => i.digest === plain.digest)!
    expect(plainAll.manifest!.blobs!.reduce((sum, b) => sum + b.sizeBytes, 0)).toBe(plainAll.sizeBytes + 1469)
    const none = await readRepositoryImages(client, 'graph/app', {readManifests: 'none'})
    expect(none.every((i) => i.manifest === undefined)).toBe(true)
  })

  it('fails closed on a manifest it cannot parse', async () => {
    await createRepository(client, 'graph/broken')
    const broken = JSON.stringify({schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [{mediaType: MEDIA.ociManifest, size: 1}]})
    await pushManifest(client, 'graph/broken', {text: broken, mediaType: MEDIA.ociIndex, digest: sha256(broken)}, ['bad'])
    const images = await readRepositoryImages(client, 'graph/broken')
    expect(images).toHaveLength(1)
    expect(images[0]!.manifest).toBeUndefined()
    expect(images[0]!.manifestError).toMatch(/manifests\[0\] has no valid sha256 digest/)
  })

  it('reads more than 100 manifests in batches of at most 100', async () => {
    await createRepository(client, 'graph/many')
    const children = Array.from({length: 3}, (_, i) => dockerImageManifest({seed: `many-child-${i}`}))
    for (const child of children) await pushManifest(client, 'graph/many', child)
    await mapBounded(Array.from({length: 150}, (_, i) => i), 8, async (i) => {
      const index = imageIndexManifest([{manifest: children[i % 3]!, architecture: `arch-${i}`}], 'docker')
      await pushManifest(client, 'graph/many', index, [`v${i}`])
    })
    const counter = countApiCalls(client)
    const images = await readRepositoryImages(client, 'graph/many')
    expect(images.filter((i) => i.manifest?.children?.length === 1)).toHaveLength(150)
    expect(counter.calls.BatchGetImage).toBe(2)
  })
})

describe('errors the user sees', () => {
  it('names a repository that does not exist', async () => {
    const error = await readRepositoryImages(client, 'does/not-exist').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EcrctlError)
    expect((error as EcrctlError).format()).toMatch(/Repository does\/not-exist does not exist/)
  })

  it('names the endpoint when it cannot be reached', async () => {
    await client.send(new CreateRepositoryCommand({repositoryName: 'reach/me'})).catch(() => undefined)
    const unreachable = new ECRClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: {accessKeyId: 'x', secretAccessKey: 'y'},
      maxAttempts: 1,
    })
    const error = await readLiveSnapshot(unreachable, {isManaged: () => true}).catch((e: unknown) => e)
    unreachable.destroy()
    expect(error).toBeInstanceOf(EcrctlError)
    expect((error as EcrctlError).message).toBe('Cannot reach the ECR API at http://127.0.0.1:9.')
    expect((error as EcrctlError).format()).toMatch(/--endpoint-url/)
  })

  it('says how to provide credentials when there are none', async () => {
    const saved = {...process.env}
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key]
    Object.assign(process.env, {
      AWS_CONFIG_FILE: '/nonexistent/ecrctl-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/ecrctl-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    })
    try {
      const anonymous = new ECRClient({endpoint: backend.endpoint, region: 'us-east-1', maxAttempts: 1})
      const error = await readLiveSnapshot(anonymous, {isManaged: () => true}).catch((e: unknown) => e)
      anonymous.destroy()
      expect(error).toBeInstanceOf(EcrctlError)
      expect((error as EcrctlError).message).toBe('No AWS credentials found.')
      expect((error as EcrctlError).format()).toMatch(/AWS_PROFILE.*aws configure/)
    } finally {
      process.env = saved
    }
  })
})
