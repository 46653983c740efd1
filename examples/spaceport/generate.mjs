#!/usr/bin/env node
// Generates the bundled example registry from the seed report (../../../shared/seed): the pushes
// that build it (registry.json, replayed into the emulator by `npm run demo:registry`) and the
// live snapshot ecrctl reads from it (live-state.json). Deterministic: same script, same bytes.
// Run: node examples/spaceport/generate.mjs
import {createHash} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import stableStringify from 'json-stable-stringify'

export const TAKEN_AT = '2025-01-31T12:00:00.000Z'
export const REGISTRY = {accountId: '123456789012', region: 'us-east-1'}

const MT = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
}

// The CDK stack's rule from the seed report: `max_image_count=10, rule_priority=1`.
const KEEP_TEN_POLICY = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'Keep only 10 most recent images',
      selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10},
      action: {type: 'expire'},
    },
  ],
})

const MB = 1024 * 1024

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = mulberry32(20250131)
const between = (low, high) => low + Math.floor(random() * (high - low + 1))

const sha256 = (text) => 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex')
const blob = (mediaType, label, size) => ({mediaType, size, digest: sha256(`spaceport-example-blob:${label}`)})

/** Docker schema 2 image manifest, indented as `docker push` writes it. */
function dockerImage(label, layerSizes) {
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.dockerManifest,
    config: blob(MT.dockerConfig, `${label}/config`, between(4000, 16000)),
    layers: layerSizes.map(([name, size]) => blob(MT.dockerLayer, name.startsWith('/') ? name : `${label}/${name}`, size)),
  }
  return {mediaType: MT.dockerManifest, text: JSON.stringify(manifest, null, 3)}
}

function ociImage(label, layerSizes, platform) {
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: blob(MT.ociConfig, `${label}/${platform}/config`, between(4000, 16000)),
    layers: layerSizes.map(([name, size]) => blob(MT.ociLayer, name.startsWith('/') ? `${name}/${platform}` : `${label}/${platform}/${name}`, size)),
  }
  return {mediaType: MT.ociManifest, text: JSON.stringify(manifest)}
}

function ociIndex(children) {
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: children.map(({image, platform}) => ({
      mediaType: image.mediaType,
      digest: sha256(image.text),
      size: Buffer.byteLength(image.text, 'utf8'),
      platform: {architecture: platform, os: 'linux'},
    })),
  }
  return {mediaType: MT.ociIndex, text: JSON.stringify(manifest)}
}

const pad = (n) => String(n).padStart(2, '0')
/** deploy.sh's tag: the build's start time as YYYYMMDD-HHMMSS. */
const timestampTag = (date) =>
  `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`

/** A build day at a working hour, and the push a few minutes after the build started (ms precision). */
function buildTimes(day) {
  const start = new Date(`${day}T00:00:00Z`)
  start.setUTCHours(between(8, 19), between(0, 59), between(0, 59))
  const pushedAt = new Date(start.getTime() + between(180, 900) * 1000 + between(0, 999))
  return {tag: timestampTag(start), pushedAt: pushedAt.toISOString()}
}

// -- the registry, repository by repository ----------------------------------------------------------
// Each event pushes one manifest with zero or more tags at a time; later tags move (ECR semantics:
// the image that had the tag keeps its other tags, or stays untagged).
const repositories = []
function repository(name, lifecyclePolicy) {
  const repo = {name, lifecyclePolicy, events: [], pulls: []}
  repositories.push(repo)
  return repo
}
const push = (repo, image, pushedAt, tags) => repo.events.push({image, pushedAt, tags})
const pulled = (repo, image, at) => repo.pulls.push({digest: sha256(image.text), at})

// spaceport/sfm: COLMAP builds. deploy.sh tags every build with a timestamp and `latest`; the
// production tag `real-colmap-fixed-final` was put on one build, then moved to a later fix.
{
  const sfm = repository('spaceport/sfm', KEEP_TEN_POLICY)
  const base = [['/ubuntu-22.04', 30_408_982], ['/colmap-3.11.1-deps', 612 * MB + 331_177]]
  const days = ['2024-09-03', '2024-09-12', '2024-09-24', '2024-10-04', '2024-10-15', '2024-10-29', '2024-11-08',
    '2024-11-19', '2024-12-03', '2024-12-12', '2024-12-19', '2025-01-08', '2025-01-14', '2025-01-21', '2025-01-28']
  days.forEach((day, i) => {
    const {tag, pushedAt} = buildTimes(day)
    const image = dockerImage(`sfm/${tag}`, [...base, ['colmap-app', between(38, 190) * MB + between(0, MB)]])
    const tags = [tag, 'latest']
    if (day === '2024-12-12' || day === '2025-01-08') tags.push('real-colmap-fixed-final')
    push(sfm, image, pushedAt, tags)
    if (day === '2024-10-15') {
      // a hand-built image pushed as `latest` only; the next deploy leaves it untagged
      const manual = dockerImage('sfm/manual-2024-10-17', [...base, ['colmap-app', 151 * MB + 40_961]])
      push(sfm, manual, '2024-10-17T16:42:09.318Z', ['latest'])
    }
    if (day === '2025-01-08') pulled(sfm, image, '2025-01-31T09:14:07.000Z')
    if (i === days.length - 1) pulled(sfm, image, '2025-01-29T10:02:51.000Z')
  })
}

// spaceport/3dgs: Gaussian-splatting training. `optimized-v1` from production_deploy.sh; the
// newest build (`latest`) is a multi-arch index with two untagged platform manifests.
{
  const gs = repository('spaceport/3dgs', KEEP_TEN_POLICY)
  const base = [['/pytorch-2.4-cuda12.1-runtime', 486 * MB + 772_341], ['/gsplat-deps', 214 * MB + 55_120]]
  const days = ['2024-09-06', '2024-09-19', '2024-10-01', '2024-10-11', '2024-10-24', '2024-11-06', '2024-11-20',
    '2024-12-05', '2024-12-16', '2025-01-07', '2025-01-16', '2025-01-27']
  days.forEach((day, i) => {
    const {tag, pushedAt} = buildTimes(day)
    if (i === days.length - 1) {
      const layers = [...base, ['trainer', 97 * MB + 3_331]]
      const amd64 = ociImage(`3dgs/${tag}`, layers, 'amd64')
      const arm64 = ociImage(`3dgs/${tag}`, [...base, ['trainer', 92 * MB + 871_004]], 'arm64')
      const childPushedAt = new Date(Date.parse(pushedAt) - 2_000).toISOString()
      push(gs, amd64, childPushedAt, [])
      push(gs, arm64, new Date(Date.parse(pushedAt) - 1_000).toISOString(), [])
      const index = ociIndex([{image: amd64, platform: 'amd64'}, {image: arm64, platform: 'arm64'}])
      push(gs, index, pushedAt, [tag, 'latest'])
      pulled(gs, index, '2025-01-31T09:14:09.000Z')
      pulled(gs, amd64, '2025-01-31T09:14:09.000Z')
      return
    }
    const image = dockerImage(`3dgs/${tag}`, [...base, ['trainer', between(60, 140) * MB + between(0, MB)]])
    push(gs, image, pushedAt, [tag, 'latest'])
    if (day === '2024-11-20') {
      const optimized = dockerImage('3dgs/optimized-v1', [...base, ['trainer-optimized', 131 * MB + 600_221]])
      push(gs, optimized, '2024-11-21T11:03:44.120Z', ['optimized-v1'])
      pulled(gs, optimized, '2024-12-02T15:20:00.000Z')
    }
    if (day === '2024-12-05') {
      const manual = dockerImage('3dgs/manual-2024-12-09', [...base, ['trainer', 88 * MB + 12_007]])
      push(gs, manual, '2024-12-09T20:11:52.604Z', ['latest'])
    }
  })
}

// spaceport/compressor: the SOGS compressor under its new name, from November on.
{
  const compressor = repository('spaceport/compressor', KEEP_TEN_POLICY)
  const base = [['/python-3.11-slim', 48 * MB + 911_020], ['/sogs-deps', 163 * MB + 402_118]]
  const days = ['2024-11-05', '2024-11-14', '2024-11-26', '2024-12-04', '2024-12-11', '2024-12-18', '2025-01-09',
    '2025-01-15', '2025-01-22', '2025-01-29']
  days.forEach((day, i) => {
    const {tag, pushedAt} = buildTimes(day)
    const image = dockerImage(`compressor/${tag}`, [...base, ['sogs', between(55, 125) * MB + between(0, MB)]])
    push(compressor, image, pushedAt, [tag, 'latest'])
    if (i === days.length - 1) pulled(compressor, image, '2025-01-31T09:52:40.000Z')
  })
}

// spaceport-ml-sogs-compressor: the legacy name. `latest` was pushed three times, `simple` once.
{
  const legacy = repository('spaceport-ml-sogs-compressor', null)
  const base = [['/python-3.10', 342 * MB + 118_770]]
  push(legacy, dockerImage('legacy/1', [...base, ['sogs', 71 * MB + 4_410]]), '2024-09-10T14:22:31.553Z', ['latest'])
  push(legacy, dockerImage('legacy/2', [...base, ['sogs', 73 * MB + 90_112]]), '2024-09-18T10:05:12.007Z', ['latest'])
  push(legacy, dockerImage('legacy/simple', [...base, ['sogs-simple', 12 * MB + 6_006]]), '2024-09-25T17:40:58.990Z', ['simple'])
  push(legacy, dockerImage('legacy/3', [...base, ['sogs', 74 * MB + 1_337]]), '2024-10-02T09:31:20.475Z', ['latest'])
}

// sagemaker-unzip: the extractor only the tests still reference.
{
  const unzip = repository('sagemaker-unzip', null)
  const base = [['/amazonlinux-2023', 52 * MB + 301_442]]
  push(unzip, dockerImage('unzip/1', [...base, ['unzip', 3 * MB + 12_800]]), '2024-09-05T13:10:44.250Z', ['latest'])
  const current = dockerImage('unzip/2', [...base, ['unzip', 3 * MB + 99_001]])
  push(unzip, current, '2024-10-14T08:55:03.611Z', ['latest'])
  pulled(unzip, current, '2024-11-02T07:30:00.000Z')
}

// team-x/tools: another team's repository that the spaceport desired state does not manage.
{
  const tools = repository('team-x/tools', null)
  const base = [['/alpine-3.20', 3 * MB + 641_200]]
  push(tools, dockerImage('tools/1', [...base, ['tools', 21 * MB]]), '2024-08-01T12:00:00.000Z', ['v1.0.0'])
  push(tools, dockerImage('tools/2', [...base, ['tools', 22 * MB + 512]]), '2024-12-01T12:00:00.000Z', ['v1.1.0', 'latest'])
}

// -- derive what ECR holds after these pushes --------------------------------------------------------
function simulate(repo) {
  const images = new Map() // digest -> image
  for (const {image, pushedAt, tags} of repo.events) {
    const digest = sha256(image.text)
    for (const tag of tags) {
      for (const other of images.values()) if (other.digest !== digest) other.tags.delete(tag)
    }
    if (!images.has(digest)) images.set(digest, {digest, image, pushedAt, tags: new Set()})
    for (const tag of tags) images.get(digest).tags.add(tag)
  }
  const pulls = new Map(repo.pulls.map((p) => [p.digest, p.at]))
  const parsed = new Map([...images.values()].map((i) => [i.digest, JSON.parse(i.image.text)]))
  const layerTotal = (digest) => parsed.get(digest).layers.reduce((sum, layer) => sum + layer.size, 0)
  return [...images.values()]
    .map(({digest, image, pushedAt, tags}) => {
      const manifest = parsed.get(digest)
      const live = {digest, tags: [...tags].sort(), pushedAt, manifestMediaType: image.mediaType}
      if (image.mediaType === MT.ociIndex) {
        const children = manifest.manifests.map((m) => m.digest)
        live.sizeBytes = Math.max(...children.filter((c) => images.has(c)).map(layerTotal))
        live.manifest = {mediaType: MT.ociIndex, children: [...new Set(children)].sort()}
      } else {
        live.sizeBytes = layerTotal(digest)
        // `ecrctl snapshot` reads every manifest by default (--manifests all): config and layer
        // blobs in manifest order, for unique-bytes savings. No manifest here has a `subject`.
        const blobs = [manifest.config, ...manifest.layers].map((b) => ({digest: b.digest, sizeBytes: b.size}))
        live.manifest = {mediaType: manifest.mediaType, blobs}
      }
      if (pulls.has(digest)) live.lastPulledAt = pulls.get(digest)
      return live
    })
    .sort((a, b) => (a.digest < b.digest ? -1 : 1))
}

export const UNMANAGED = ['team-x/tools']

const snapshot = {
  kind: 'ecrctl-live-snapshot',
  formatVersion: 1,
  takenAt: TAKEN_AT,
  registry: REGISTRY,
  repositories: repositories
    .map((repo) =>
      UNMANAGED.includes(repo.name)
        ? {name: repo.name, lifecyclePolicy: null, imagesRead: false, images: []}
        : {name: repo.name, lifecyclePolicy: repo.lifecyclePolicy, imagesRead: true, images: simulate(repo)},
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1)),
}

const registry = {
  description: 'Pushes that rebuild the spaceport example registry. Generated by examples/spaceport/generate.mjs; do not edit.',
  registry: REGISTRY,
  takenAt: TAKEN_AT,
  unmanaged: UNMANAGED,
  repositories: repositories.map((repo) => ({
    name: repo.name,
    lifecyclePolicy: repo.lifecyclePolicy,
    pushes: repo.events.map(({image, pushedAt, tags}) => ({
      digest: sha256(image.text),
      mediaType: image.mediaType,
      tags,
      pushedAt,
      manifest: image.text,
    })),
    pulls: repo.pulls,
  })),
}

const here = new URL('.', import.meta.url)
const write = (name, value) => writeFileSync(new URL(name, here), stableStringify(value, {space: 2}) + '\n')
write('live-state.json', snapshot)
write('registry.json', registry)
const images = snapshot.repositories.reduce((n, r) => n + r.images.length, 0)
console.log(`wrote examples/spaceport/live-state.json (${images} images) and registry.json`)
