// Online read cost: API calls an online plan makes (readLiveSnapshot) against the emulator for
// 200 repositories x 100 images, compared with the minimum (DescribeRegistry + repository pages +
// image pages + one GetLifecyclePolicy per managed repository), and the wall time.
// Imports the built code from dist/ (`npm run bench` builds first).
import {createHash} from 'node:crypto'
import {startEmulator} from './lib/emulator.mjs'

const REPOSITORIES = 200
const IMAGES = 100
const PAGE = 1000

export default async function bench() {
  const {createEcrClient} = await import('../../dist/registry/client.js')
  const {countApiCalls, readLiveSnapshot} = await import('../../dist/registry/read.js')
  const {mapBounded} = await import('../../dist/util/pool.js')
  const {CreateRepositoryCommand, PutImageCommand, PutLifecyclePolicyCommand} = await import('@aws-sdk/client-ecr')
  Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'})

  const emulator = await startEmulator()
  try {
    const client = createEcrClient({endpointUrl: emulator.endpoint, region: 'us-east-1'})
    const setupStart = performance.now()
    const names = Array.from({length: REPOSITORIES}, (_, i) => `bench/repo-${String(i).padStart(3, '0')}`)
    const policy = JSON.stringify({
      rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50}, action: {type: 'expire'}}],
    })
    await mapBounded(names, 8, async (name) => {
      await client.send(new CreateRepositoryCommand({repositoryName: name}))
      if (names.indexOf(name) % 2 === 0) await client.send(new PutLifecyclePolicyCommand({repositoryName: name, lifecyclePolicyText: policy}))
    })
    const pushes = names.flatMap((name) => Array.from({length: IMAGES}, (_, i) => ({name, i})))
    await mapBounded(pushes, 16, async ({name, i}) => {
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: 1000, digest: fakeDigest(`${name}/${i}/c`)},
        layers: [{mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 50_000_000 + i, digest: fakeDigest(`${name}/${i}/l`)}],
      })
      await client.send(new PutImageCommand({repositoryName: name, imageManifest: manifest, imageTag: i % 4 === 0 ? `v${i}` : undefined}))
    })
    console.log(`setup: ${REPOSITORIES} repositories x ${IMAGES} images pushed in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`)

    const minimum = {
      DescribeRegistry: 1,
      DescribeRepositories: Math.ceil(REPOSITORIES / PAGE),
      DescribeImages: REPOSITORIES * Math.ceil(IMAGES / PAGE),
      GetLifecyclePolicy: REPOSITORIES,
    }
    const minimumTotal = Object.values(minimum).reduce((a, b) => a + b, 0)
    for (const [label, options] of [
      ['references (default), concurrency 8', {readManifests: 'references', concurrency: 8}],
      ['references, concurrency 1', {readManifests: 'references', concurrency: 1}],
      ['all manifests (layer sizes), concurrency 8', {readManifests: 'all', concurrency: 8}],
    ]) {
      const counter = countApiCalls(client)
      const start = performance.now()
      const snapshot = await readLiveSnapshot(client, {isManaged: () => true, ...options})
      const seconds = (performance.now() - start) / 1000
      const images = snapshot.repositories.reduce((sum, r) => sum + r.images.length, 0)
      const total = counter.total()
      console.log(`\nreadLiveSnapshot, ${label}: ${images} images in ${seconds.toFixed(2)} s`)
      console.log('  operation              calls  minimum  (HTTP attempts incl. retries)')
      const operations = new Set([...Object.keys(minimum), ...Object.keys(counter.calls)])
      for (const operation of [...operations].sort()) {
        const calls = counter.calls[operation] ?? 0
        const min = minimum[operation] ?? 0
        console.log(`  ${operation.padEnd(22)} ${String(calls).padStart(5)}  ${String(min).padStart(7)}  (${counter.attempts[operation] ?? 0})`)
      }
      const extra = total - minimumTotal
      console.log(`  total                  ${String(total).padStart(5)}  ${String(minimumTotal).padStart(7)}  ${extra === 0 ? '= minimum' : `+${extra} (manifest reads)`}`)
    }
    client.destroy()
  } finally {
    await emulator.stop()
  }
}

const fakeDigest = (seed) => 'sha256:' + createHash('sha256').update(seed).digest('hex')

