// Apply cost: 10,000 deletions across 50 repositories against the emulator, behind a local proxy
// that adds 20 ms to every API request (a stand-in for the network round trip to ECR).
// Prints BatchDeleteImage calls vs the minimum (ceil(n/100) per repository) and the wall time of
// a concurrent run (8 repositories at a time) vs a sequential one (concurrency 1).
// Imports the built code from dist/ (`npm run bench` builds first).
import {createHash} from 'node:crypto'
import {createServer, request} from 'node:http'
import {startEmulator} from './lib/emulator.mjs'

const REPOSITORIES = 50
const IMAGES = 200
const LATENCY_MS = 20

export default async function bench() {
  const {createEcrClient} = await import('../../dist/registry/client.js')
  const {mapBounded} = await import('../../dist/util/pool.js')
  const {EcrApplyCalls, readTouchedRepository} = await import('../../dist/registry/apply-calls.js')
  const {checkActions} = await import('../../dist/apply/preconditions.js')
  const {executePlan} = await import('../../dist/apply/execute.js')
  const {canonicalPolicyText} = await import('../../dist/lifecycle/canonical.js')
  const {CreateRepositoryCommand, PutImageCommand} = await import('@aws-sdk/client-ecr')
  Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'})

  const emulator = await startEmulator()
  const proxy = await startLatencyProxy(emulator.endpoint, LATENCY_MS)
  const direct = createEcrClient({endpointUrl: emulator.endpoint, region: 'us-east-1'})
  const names = Array.from({length: REPOSITORIES}, (_, i) => `bench/apply-${String(i).padStart(2, '0')}`)

  /** Pushes the registry and returns the plan's deleteImage actions (every image). */
  async function seed() {
    await fetch(`${emulator.endpoint}/moto-api/reset`, {method: 'POST'})
    const start = performance.now()
    await mapBounded(names, 8, (name) => direct.send(new CreateRepositoryCommand({repositoryName: name})))
    const pushes = names.flatMap((name) => Array.from({length: IMAGES}, (_, i) => ({name, i})))
    const actions = await mapBounded(pushes, 16, async ({name, i}) => {
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: 1000, digest: fakeDigest(`${name}/${i}/c`)},
        layers: [{mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 10_000_000 + i, digest: fakeDigest(`${name}/${i}/l`)}],
      })
      const tags = i % 3 === 0 ? [`build-${i}`] : []
      await direct.send(new PutImageCommand({repositoryName: name, imageManifest: manifest, imageTag: tags[0]}))
      return {
        type: 'deleteImage',
        repository: name,
        imageDigest: 'sha256:' + createHash('sha256').update(manifest).digest('hex'),
        imageTags: tags,
        imagePushedAt: new Date(0).toISOString(),
        sizeBytes: 10_000_000 + i,
        reason: 'bench',
        reasons: [],
      }
    })
    console.log(`setup: ${names.length} repositories x ${IMAGES} images pushed in ${((performance.now() - start) / 1000).toFixed(1)} s`)
    return actions.sort((a, b) => (a.repository + a.imageDigest < b.repository + b.imageDigest ? -1 : 1))
  }

  const minimum = names.length * Math.ceil(IMAGES / 100)
  try {
    for (const concurrency of [8, 1]) {
      const actions = await seed()
      const client = createEcrClient({endpointUrl: proxy.endpoint, region: 'us-east-1'})
      proxy.reset()
      const readStart = performance.now()
      const states = await mapBounded(names, concurrency, (name) => readTouchedRepository(client, name))
      const checks = checkActions({actions, kept: []}, new Map(states.map((s) => [s.repository, s])), canonicalPolicyText)
      const readSeconds = (performance.now() - readStart) / 1000
      const reads = {...proxy.counts}
      proxy.reset()
      const start = performance.now()
      const result = await executePlan(checks, new Map(states.map((s) => [s.repository, s])), new EcrApplyCalls(client), {
        concurrency,
        canonicalPolicy: canonicalPolicyText,
      })
      const seconds = (performance.now() - start) / 1000
      const calls = proxy.counts.BatchDeleteImage ?? 0
      console.log(`\napply of ${actions.length} deletions, ${names.length} repositories, ${LATENCY_MS} ms latency, concurrency ${concurrency}:`)
      console.log(`  pre-apply re-read + checks: ${readSeconds.toFixed(2)} s (${Object.entries(reads).map(([op, n]) => `${op} ${n}`).join(', ')})`)
      console.log(`  deleted ${result.totals.imagesDeleted}, failed ${result.totals.imagesFailed}, in ${seconds.toFixed(2)} s`)
      console.log(`  BatchDeleteImage calls: ${calls} (minimum ${minimum}: ceil(${IMAGES}/100) x ${names.length}); re-check DescribeImages calls: ${proxy.counts.DescribeImages ?? 0}`)
      client.destroy()
    }
  } finally {
    direct.destroy()
    await proxy.stop()
    await emulator.stop()
  }
}

const fakeDigest = (seed) => 'sha256:' + createHash('sha256').update(seed).digest('hex')

/** A pass-through proxy that waits `latencyMs` before forwarding and counts requests per ECR operation. */
async function startLatencyProxy(target, latencyMs) {
  const url = new URL(target)
  const counts = {}
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? 'other').split('.').pop()
      counts[operation] = (counts[operation] ?? 0) + 1
      setTimeout(() => {
        const upstream = request({host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers}, (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
          upstreamRes.pipe(res)
        })
        upstream.on('error', () => req.socket.destroy())
        upstream.end(Buffer.concat(chunks))
      }, latencyMs)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    counts,
    reset: () => Object.keys(counts).forEach((key) => delete counts[key]),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(resolve)
    }),
  }
}

