// Manifest reads for the image graph and unique-bytes savings: one repository of 10,000 images,
// 20% of them image indexes (2,000 Docker manifest lists x 4 platform manifests), read from the
// emulator with readManifests none / references / all. Prints BatchGetImage calls (minimum:
// ceil(manifests / 100)), wall time, and the cost of the graph closure and unique-bytes pass.
// Imports the built code from dist/ (`npm run bench` builds first).
import {createHash} from 'node:crypto'
import {startEmulator} from './lib/emulator.mjs'

const INDEXES = 2_000
const CHILDREN_PER_INDEX = 4
const REPOSITORY = 'bench/multiarch'
const LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'

export default async function bench() {
  const {createEcrClient} = await import('../../dist/registry/client.js')
  const {countApiCalls, readRepositoryImages} = await import('../../dist/registry/read.js')
  const {mapBounded} = await import('../../dist/util/pool.js')
  const {resolveRepositoryGraph} = await import('../../dist/graph/resolve.js')
  const {uniqueBytesFreed} = await import('../../dist/graph/savings.js')
  const {CreateRepositoryCommand, PutImageCommand} = await import('@aws-sdk/client-ecr')
  Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'})

  const emulator = await startEmulator()
  try {
    const client = createEcrClient({endpointUrl: emulator.endpoint, region: 'us-east-1'})
    const setupStart = performance.now()
    await client.send(new CreateRepositoryCommand({repositoryName: REPOSITORY}))
    const base = {mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 80_000_000, digest: fakeDigest('shared-base')}
    await mapBounded(Array.from({length: INDEXES}, (_, i) => i), 16, async (i) => {
      const children = []
      for (let c = 0; c < CHILDREN_PER_INDEX; c++) {
        const text = JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST,
          config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: 1500, digest: fakeDigest(`${i}/${c}/config`)},
          layers: [base, {mediaType: base.mediaType, size: 20_000_000 + i, digest: fakeDigest(`${i}/${c}/app`)}],
        })
        await client.send(new PutImageCommand({repositoryName: REPOSITORY, imageManifest: text, imageManifestMediaType: MANIFEST}))
        children.push({mediaType: MANIFEST, size: Buffer.byteLength(text), digest: fakeDigest(text, true), platform: {architecture: `arch${c}`, os: 'linux'}})
      }
      const list = JSON.stringify({schemaVersion: 2, mediaType: LIST, manifests: children})
      await client.send(new PutImageCommand({repositoryName: REPOSITORY, imageManifest: list, imageManifestMediaType: LIST, imageTag: `v${i}`}))
    })
    const total = INDEXES * (CHILDREN_PER_INDEX + 1)
    console.log(`setup: 1 repository, ${total} images (${INDEXES} indexes) pushed in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`)

    console.log('\n  readManifests  images  BatchGetImage (min)  DescribeImages  wall s   graph+savings ms  uniqueBytesFreed (keep newest 10%)')
    for (const mode of ['none', 'references', 'all']) {
      const counter = countApiCalls(client)
      const start = performance.now()
      const images = await readRepositoryImages(client, REPOSITORY, {readManifests: mode})
      const seconds = (performance.now() - start) / 1000
      const wanted = mode === 'none' ? 0 : mode === 'all' ? images.length : images.filter((image) => image.manifestMediaType === LIST).length
      const graphStart = performance.now()
      // keep the newest 10% of the indexes by tag; the graph keeps their children
      const ownKept = new Set(images.filter((image) => image.tags.some((tag) => Number(tag.slice(1)) >= INDEXES * 0.9)).map((image) => image.digest))
      const resolution = resolveRepositoryGraph(REPOSITORY, images, ownKept, Date.now())
      const kept = new Set([...ownKept, ...resolution.keepReasons.keys()])
      const deleted = new Set(images.filter((image) => !kept.has(image.digest)).map((image) => image.digest))
      const unique = uniqueBytesFreed(images, deleted)
      const graphMs = performance.now() - graphStart
      console.log(
        `  ${mode.padEnd(13)}  ${String(images.length).padStart(6)}  ${String(counter.calls.BatchGetImage ?? 0).padStart(6)} (${String(Math.ceil(wanted / 100)).padStart(3)})          ${String(counter.calls.DescribeImages ?? 0).padStart(5)}        ${seconds.toFixed(2).padStart(6)}  ${graphMs.toFixed(0).padStart(10)}        ${unique === undefined ? 'unknown (manifests not read)' : `${(unique / 1e9).toFixed(2)} GB (kept ${kept.size}, deleted ${deleted.size})`}`,
      )
      if (mode === 'none' && resolution.warnings.length > 0) console.log(`                 (fail closed: ${resolution.warnings.length} index manifests unread, nothing deleted)`)
    }
    client.destroy()
  } finally {
    await emulator.stop()
  }
}

function fakeDigest(seed, exact = false) {
  return 'sha256:' + createHash('sha256').update(exact ? seed : `seed:${seed}`).digest('hex')
}

