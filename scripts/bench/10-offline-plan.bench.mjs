// Offline plan at scale: 1,000,000 images over 1,000 repositories, generated in memory (no files),
// planned by the built planner (dist/). Prints the wall time of createPlan and the peak memory of
// the process; never passes or fails. Run with `npm run bench` (node --expose-gc) or
// `node --expose-gc scripts/bench/index.mjs offline-plan`.
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {prng} from './lib/prng.mjs'

const REPOSITORIES = 1_000
const IMAGES_PER_REPOSITORY = 1_000
const NOW = new Date('2025-02-01T00:00:00.000Z')
const DAY_MS = 86_400_000
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'

const TEAMS = ['spaceport', 'payments', 'search', 'ml', 'platform', 'data', 'web', 'mobile', 'infra', 'legacy']

function timestampTag(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

function generateSnapshot() {
  const random = prng(42)
  // Digests are sha256 of a counter: realistic length and distribution, cheap enough for 1M.
  let counter = 0
  const nextDigest = () => `sha256:${createHash('sha256').update(String(counter++)).digest('hex')}`

  const repositories = []
  for (let r = 0; r < REPOSITORIES; r++) {
    const name = `${TEAMS[r % TEAMS.length]}/service-${String(r).padStart(4, '0')}`
    const images = []
    let pushedMs = NOW.getTime() - 400 * DAY_MS
    const step = (400 * DAY_MS) / IMAGES_PER_REPOSITORY
    while (images.length < IMAGES_PER_REPOSITORY) {
      pushedMs += step * (0.5 + random())
      const pushedAt = new Date(Math.min(pushedMs, NOW.getTime() + DAY_MS)).toISOString()
      const roll = random()
      const lastPulledAt = roll < 0.3 ? new Date(pushedMs + random() * 30 * DAY_MS).toISOString() : undefined
      const sizeBytes = 50_000_000 + Math.floor(random() * 800_000_000)
      if (roll > 0.95 && images.length + 3 <= IMAGES_PER_REPOSITORY) {
        // a multi-arch build: two untagged platform manifests and a tagged index
        const amd64 = {digest: nextDigest(), tags: [], pushedAt, sizeBytes, manifestMediaType: DOCKER_MANIFEST}
        const arm64 = {digest: nextDigest(), tags: [], pushedAt, sizeBytes, manifestMediaType: DOCKER_MANIFEST}
        images.push(amd64, arm64, {
          digest: nextDigest(),
          tags: [timestampTag(pushedMs), `v${images.length}`].sort(),
          pushedAt,
          sizeBytes,
          manifestMediaType: OCI_INDEX,
          manifest: {mediaType: OCI_INDEX, children: [amd64.digest, arm64.digest]},
        })
        continue
      }
      const tags =
        roll < 0.15 ? [] : roll < 0.7 ? [timestampTag(pushedMs)] : roll < 0.85 ? [`v1.${images.length}.0`] : [`pr-${images.length}`]
      const image = {digest: nextDigest(), tags, pushedAt, sizeBytes, manifestMediaType: DOCKER_MANIFEST}
      if (lastPulledAt !== undefined) image.lastPulledAt = lastPulledAt
      images.push(image)
    }
    const newest = images[images.length - 1]
    newest.tags = [...newest.tags, 'latest'].sort()
    images.sort((a, b) => (a.digest < b.digest ? -1 : 1))
    repositories.push({name, lifecyclePolicy: null, imagesRead: true, images})
  }
  return {
    kind: 'ecrctl-live-snapshot',
    formatVersion: 1,
    takenAt: NOW.toISOString(),
    registry: {accountId: '123456789012', region: 'us-east-1'},
    repositories,
  }
}

function generateDesiredState() {
  const source = {file: 'bench.yaml', line: 1, column: 1}
  const rule = (entry, index, fields) => ({label: `${entry} keep[${index}]`, entry, index, source, ...fields})
  const entry = (pattern, keep, extra = {}) => ({
    pattern,
    source,
    keep: keep.map((fields, index) => rule(pattern, index, fields)),
    ...extra,
  })
  return {
    version: 1,
    defaults: {gracePeriodMs: DAY_MS},
    entries: [
      entry('*', [
        {tags: ['latest'], reason: 'what is deployed'},
        {tags: ['20*-*'], newest: 10},
        {tags: ['v*'], pushedWithinMs: 90 * DAY_MS},
      ]),
      entry('spaceport/*', [{tags: ['v1.*.0', 'v2*'], newest: 20}, {pulledWithinMs: 30 * DAY_MS}], {gracePeriodMs: 3 * DAY_MS}),
      entry('payments/service-0001', [{tags: ['pr-*'], pushedWithinMs: 14 * DAY_MS}]),
      entry('legacy/*', []),
    ],
    sha256: '0'.repeat(64),
    files: ['bench.yaml'],
  }
}

export default async function offlinePlanBench() {
  const {createPlan} = await import(new URL('../../dist/planner/plan.js', import.meta.url))
  const gc = globalThis.gc
  if (gc === undefined) console.log('(run with node --expose-gc for heap figures after GC)')

  let peakRss = process.memoryUsage().rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 20)
  sampler.unref()

  const generateStart = performance.now()
  const snapshot = generateSnapshot()
  const desired = generateDesiredState()
  const generateMs = performance.now() - generateStart
  gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const rssBefore = process.memoryUsage().rss

  const planStart = performance.now()
  const cpuStart = process.cpuUsage()
  // createPlan is synchronous, so the sampler cannot run during it: sample right after too.
  const plan = createPlan(desired, snapshot, {now: NOW, pricePerGbMonth: 0.1, ecrctlVersion: 'bench'})
  const planMs = performance.now() - planStart
  const cpu = process.cpuUsage(cpuStart)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  const heapWithPlan = process.memoryUsage().heapUsed
  gc?.()
  const heapAfterGc = process.memoryUsage().heapUsed
  clearInterval(sampler)

  const images = snapshot.repositories.reduce((sum, repository) => sum + repository.images.length, 0)
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
  console.log(`snapshot: ${images.toLocaleString('en-US')} images in ${snapshot.repositories.length} repositories (generated in ${(generateMs / 1000).toFixed(1)} s)`)
  console.log(`plan: ${plan.summary.imagesDeleted.toLocaleString('en-US')} deletions, ${plan.summary.imagesKept.toLocaleString('en-US')} kept, ${plan.warnings.length} warnings`)
  console.log(`createPlan wall time: ${(planMs / 1000).toFixed(2)} s   (target ≤ 15 s); CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (wall > CPU means the machine was busy)`)
  console.log(`peak RSS (process, incl. the generated snapshot): ${mb(peakRss)}   (target ≤ 2 GB)`)
  console.log(`RSS before planning: ${mb(rssBefore)}; heap: snapshot ${mb(heapBefore)}, + plan ${mb(heapWithPlan - heapBefore)} (before GC), ${mb(heapAfterGc)} after GC`)
  cliEndToEnd(snapshot)
}

/** The same desired state as generateDesiredState(), as the YAML a user would write. */
const DESIRED_YAML = `version: 1
defaults: {gracePeriod: 24h}
repositories:
  "*":
    keep:
      - {tag: latest, reason: what is deployed}
      - {tag: "20*-*", newest: 10}
      - {tag: "v*", pushedWithin: 90d}
  "spaceport/*":
    gracePeriod: 3d
    keep:
      - {tags: ["v1.*.0", "v2*"], newest: 20}
      - {pulledWithin: 30d}
  payments/service-0001:
    keep:
      - {tag: "pr-*", pushedWithin: 14d}
  "legacy/*":
    keep: []
`

/**
 * What a user runs: `ecrctl plan --live-state FILE --out plan.json` in a fresh process, reading the
 * snapshot file, planning, sealing (checksum) and writing the plan, text rendered to /dev/null.
 * Peak memory is the child's maximum RSS as the kernel reports it (GNU time), not a sample.
 */
function cliEndToEnd(snapshot) {
  const dir = mkdtempSync(join(tmpdir(), 'ecrctl-bench-'))
  try {
    const snapshotPath = join(dir, 'live-state.json')
    writeFileSync(snapshotPath, JSON.stringify(snapshot))
    writeFileSync(join(dir, 'desired.yaml'), DESIRED_YAML)
    const planPath = join(dir, 'plan.json')
    const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
    const args = [bin, 'plan', '-f', join(dir, 'desired.yaml'), '--live-state', snapshotPath, '--now', NOW.toISOString(), '--out', planPath]
    const hasGnuTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], {encoding: 'utf8'}).status === 0
    const started = performance.now()
    const run = hasGnuTime
      ? spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...args], {encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26})
      : spawnSync(process.execPath, args, {encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26})
    const wallS = (performance.now() - started) / 1000
    if (run.status !== 0) {
      console.log(`CLI end to end: exit ${run.status}: ${run.stderr.slice(-2000)}`)
      return
    }
    const rssKb = /maxrss_kb=(\d+)/.exec(run.stderr)?.[1]
    const mbOf = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`
    console.log(
      `CLI end to end (ecrctl plan --live-state ${mbOf(statSync(snapshotPath).size)} snapshot --out plan.json, text to /dev/null): ` +
        `${wallS.toFixed(2)} s wall, peak RSS ${rssKb ? `${(Number(rssKb) / 1024).toFixed(0)} MB` : 'n/a (no /usr/bin/time)'}, plan file ${mbOf(statSync(planPath).size)}   (target ≤ 15 s, ≤ 2 GB)`,
    )
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
