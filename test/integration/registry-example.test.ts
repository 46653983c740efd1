/**
 * The bundled example is honest: what `npm run demo:registry` builds in the emulator (the registry,
 * then the start_ml_job Lambda and the SageMaker jobs it started) snapshots to exactly
 * examples/spaceport/live-state.json (takenAt aside), read the way `ecrctl snapshot` reads it by
 * default (every manifest, with layer sizes); and the real AWS in-use scanners, resolved against
 * that registry, keep exactly the seed's three production images, with their evidence.
 */
import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EXAMPLE_REGISTRY, loadExampleRegistry} from '../../examples/spaceport/load.mjs'
import {SAGEMAKER_JOBS, loadExampleWorkloads} from '../../examples/spaceport/workloads.mjs'
import {DEFAULT_MANIFEST_READ_MODE} from '../../src/commands/_shared/command-flags.js'
import {extractReferences, repositoryNames} from '../../src/inuse/references.js'
import {resolveInUse} from '../../src/inuse/resolve.js'
import type {LiveSnapshot} from '../../src/model/snapshot.js'
import {scanAws} from '../../src/registry/inuse/index.js'
import {readLiveSnapshot} from '../../src/registry/read.js'
import {serializeSnapshot} from '../../src/registry/snapshot-file.js'
import {startBackend, requireHooks} from '../support/backend.js'
import type {Emulator} from '../support/emulator.js'
import {testEcrClient} from '../support/push.js'

const {accountId, region} = EXAMPLE_REGISTRY.registry
const bundledText = readFileSync(new URL('../../examples/spaceport/live-state.json', import.meta.url), 'utf8')
const bundled = JSON.parse(bundledText) as LiveSnapshot
let backend: Emulator

beforeAll(async () => {
  // The in-use scanners use the SDK's default credential chain; the emulator accepts anything.
  process.env.AWS_ACCESS_KEY_ID ??= 'test'
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test'
  backend = requireHooks(await startBackend())
  await loadExampleRegistry(backend.endpoint)
  await loadExampleWorkloads(backend.endpoint)
})
afterAll(async () => {
  await backend?.stop()
})

const digestTagged = (repository: string, tag: string) =>
  bundled.repositories.find((r) => r.name === repository)!.images.find((image) => image.tags.includes(tag))!.digest

describe('the spaceport example registry', () => {
  it('loaded into the emulator, snapshots to the bundled live-state.json', async () => {
    const client = testEcrClient(backend.endpoint, region)
    const live = await readLiveSnapshot(client, {
      isManaged: (name) => !EXAMPLE_REGISTRY.unmanaged.includes(name),
      now: () => new Date(bundled.takenAt),
      readManifests: DEFAULT_MANIFEST_READ_MODE,
    })
    expect(live).toEqual(bundled)
    // Byte for byte, as `ecrctl snapshot` would write it.
    expect(serializeSnapshot(live)).toBe(bundledText)
  })

  it('runs the start_ml_job Lambda and SageMaker jobs that keep exactly the three production images', async () => {
    const candidates = await scanAws(['lambda', 'sagemaker'], {region, endpointUrl: backend.endpoint, timeoutMs: 30_000}, {concurrency: 4})
    const names = repositoryNames(bundled.repositories.map((repository) => repository.name))
    const resolution = resolveInUse(candidates.flatMap((candidate) => extractReferences(candidate, names)), bundled)

    const lambda = `arn:aws:lambda:${region}:${accountId}:function:start_ml_job:$LATEST`
    const job = (kind: string, name: string) => `arn:aws:sagemaker:${region}:${accountId}:${kind}/${name}`
    const kept = resolution.repositories.map((repository) => ({
      repository: repository.repository,
      images: repository.images.map((image) => ({digest: image.digest, where: image.references.map((r) => `${r.evidence.resource} ${r.evidence.field}`)})),
    }))
    expect(kept).toEqual([
      {
        repository: 'spaceport/3dgs',
        images: [
          {
            digest: digestTagged('spaceport/3dgs', 'latest'),
            where: [`${lambda} Environment.Variables.GAUSSIAN_IMAGE_URI`, `${job('training-job', 'spaceport-3dgs-a1b2c3-1738314427')} AlgorithmSpecification.TrainingImage`],
          },
        ],
      },
      {
        repository: 'spaceport/compressor',
        images: [
          {
            digest: digestTagged('spaceport/compressor', 'latest'),
            where: [`${lambda} Environment.Variables.COMPRESSOR_IMAGE_URI`, `${job('processing-job', 'spaceport-compressor-9f8e7d-1738316950')} AppSpecification.ImageUri`],
          },
        ],
      },
      {
        repository: 'spaceport/sfm',
        images: [
          {
            digest: digestTagged('spaceport/sfm', 'real-colmap-fixed-final'),
            where: [`${lambda} Environment.Variables.SFM_IMAGE_URI`, `${job('processing-job', 'spaceport-sfm-d4e5f6-1738317004')} AppSpecification.ImageUri`],
          },
        ],
      },
    ])
    expect(resolution.broken).toEqual([])
    expect(resolution.otherRegistryReferences).toBe(0)
    // Finished jobs are not in use: the scanner reads only jobs in progress.
    const finished = SAGEMAKER_JOBS.filter((j) => j.status !== 'InProgress').map((j) => j.name)
    expect(finished).toHaveLength(3)
    expect(candidates.filter((c) => finished.some((name) => c.evidence.resource.endsWith(`/${name}`)))).toEqual([])
  })
})
