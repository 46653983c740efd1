/**
 * Property tests of the graph closure on random repositories: indexes (nested, shared children,
 * missing children, cycles), OCI referrers (manifest subject or ECR's subjectManifestDigest),
 * cosign tags, unreadable manifests of every media type, and random sets kept by rules.
 * The expectations are computed here the slow, obvious way, independently of src/graph.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {LiveImage} from '../../../src/model/snapshot.js'
import {resolveRepositoryGraph} from '../../../src/graph/resolve.js'
import {NOW, OCI_INDEX, OCI_MANIFEST, digest} from '../../support/builders.js'

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const MAX_IMAGES = 14

interface Seed {
  kind: 'plain' | 'index' | 'referrer' | 'apiReferrer' | 'cosign'
  targets: number[]
  unreadable: boolean
  mediaTypeWhenUnreadable: string | undefined
  ownKept: boolean
}

const seed: fc.Arbitrary<Seed> = fc.record({
  kind: fc.constantFrom('plain', 'plain', 'index', 'referrer', 'apiReferrer', 'cosign'),
  // indexes into the repository; values ≥ its size become digests that are not in it
  targets: fc.uniqueArray(fc.nat({max: MAX_IMAGES + 2}), {minLength: 1, maxLength: 3}),
  unreadable: fc.integer({min: 0, max: 24}).map((roll) => roll === 0),
  mediaTypeWhenUnreadable: fc.constantFrom(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST, undefined),
  ownKept: fc.boolean(),
})

function build(seeds: Seed[], salt: number): {images: LiveImage[]; ownKept: Set<string>} {
  const digests = seeds.map((_, i) => digest(`${salt}-${i}`))
  const target = (n: number) => (n < seeds.length ? (digests[n] as string) : digest(`missing-${n}`))
  const images = seeds.map((s, i): LiveImage => {
    const image: LiveImage = {digest: digests[i] as string, tags: [], pushedAt: '2024-01-01T00:00:00.000Z', sizeBytes: 1}
    const first = target(s.targets[0] as number)
    if (s.kind === 'index') {
      image.manifestMediaType = OCI_INDEX
      image.manifest = {mediaType: OCI_INDEX, children: s.targets.map(target)}
    } else if (s.kind === 'referrer') {
      image.manifestMediaType = OCI_MANIFEST
      image.manifest = {mediaType: OCI_MANIFEST, subject: first}
    } else if (s.kind === 'apiReferrer') {
      image.manifestMediaType = OCI_MANIFEST
      image.subjectDigest = first
    } else if (s.kind === 'cosign') {
      image.tags = [`sha256-${first.slice(7)}.sig`]
    } else {
      image.manifestMediaType = DOCKER_MANIFEST
      image.manifest = {mediaType: DOCKER_MANIFEST, blobs: []}
    }
    if (s.unreadable) {
      delete image.manifest
      image.manifestError = 'unparseable'
      if (s.mediaTypeWhenUnreadable === undefined) delete image.manifestMediaType
      else image.manifestMediaType = s.mediaTypeWhenUnreadable
    }
    return image
  })
  return {images, ownKept: new Set(images.filter((_, i) => seeds[i]?.ownKept).map((image) => image.digest))}
}

/** What each image references, read straight from the fixture (not through src/graph). */
function childrenOf(image: LiveImage): string[] {
  return image.manifest?.children ?? []
}
function subjectsOf(image: LiveImage): string[] {
  const subjects: string[] = []
  if (image.subjectDigest) subjects.push(image.subjectDigest)
  if (image.manifest?.subject) subjects.push(image.manifest.subject)
  for (const tag of image.tags) {
    const match = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/.exec(tag)
    if (match) subjects.push(`sha256:${match[1]}`)
  }
  return subjects
}

function descendants(start: string, byDigest: Map<string, LiveImage>): Set<string> {
  const seen = new Set<string>()
  const stack = [start]
  while (stack.length > 0) {
    const current = byDigest.get(stack.pop() as string)
    if (!current) continue
    for (const child of childrenOf(current)) {
      if (!seen.has(child)) {
        seen.add(child)
        stack.push(child)
      }
    }
  }
  return seen
}

const repository = fc.array(seed, {maxLength: MAX_IMAGES})

function run(seeds: Seed[]) {
  const {images, ownKept} = build(seeds, 1)
  const resolution = resolveRepositoryGraph('app', images, ownKept, NOW.getTime())
  const kept = new Set([...ownKept, ...resolution.keepReasons.keys()])
  return {images, ownKept, resolution, kept, byDigest: new Map(images.map((image) => [image.digest, image]))}
}

describe('resolveRepositoryGraph properties', () => {
  it('never deletes an image kept on its own, nor any descendant or referrer of a kept image', () => {
    fc.assert(
      fc.property(repository, (seeds) => {
        const {images, ownKept, kept, byDigest} = run(seeds)
        for (const digest of ownKept) expect(kept.has(digest)).toBe(true)
        for (const digest of ownKept) {
          for (const descendant of descendants(digest, byDigest)) {
            if (byDigest.has(descendant)) expect(kept.has(descendant), `descendant ${descendant} of kept ${digest}`).toBe(true)
          }
        }
        for (const image of images) {
          if (!kept.has(image.digest)) continue
          for (const child of childrenOf(image)) if (byDigest.has(child)) expect(kept.has(child)).toBe(true)
          for (const subject of subjectsOf(image)) if (byDigest.has(subject)) expect(kept.has(subject)).toBe(true)
        }
        for (const referrer of images) {
          for (const subject of subjectsOf(referrer)) {
            // an image that names itself as its subject is not a referrer of anything
            if (subject !== referrer.digest && kept.has(subject)) expect(kept.has(referrer.digest), `referrer ${referrer.digest} of kept ${subject}`).toBe(true)
          }
        }
      }),
      {numRuns: 500},
    )
  })

  it('fails closed: an unreadable manifest that might reference anything blocks every other deletion', () => {
    fc.assert(
      fc.property(repository, (seeds) => {
        const {images, kept} = run(seeds)
        for (const blocker of images) {
          if (blocker.manifestError === undefined) continue
          const type = blocker.manifestMediaType
          const mightReferenceAny = type === undefined || type === OCI_INDEX || (type === OCI_MANIFEST && !blocker.subjectDigest)
          if (!mightReferenceAny) continue
          for (const other of images) if (other.digest !== blocker.digest) expect(kept.has(other.digest)).toBe(true)
        }
      }),
      {numRuns: 500},
    )
  })

  it('gives every graph keep and every graph delete a reason, and lists every reference of a deleted image', () => {
    fc.assert(
      fc.property(repository, (seeds) => {
        const {images, ownKept, resolution, kept} = run(seeds)
        for (const image of images) {
          if (kept.has(image.digest)) {
            if (!ownKept.has(image.digest)) expect(resolution.keepReasons.get(image.digest)?.length ?? 0).toBeGreaterThan(0)
            expect(resolution.deleteReasons.has(image.digest)).toBe(false)
            continue
          }
          const referenced = [...new Set([...childrenOf(image), ...subjectsOf(image)])].filter((d) => d !== image.digest).sort()
          expect(resolution.references.get(image.digest) ?? []).toEqual(referenced)
          // a deleted image that is a referrer says why its subject does not keep it
          if (subjectsOf(image).some((d) => d !== image.digest)) {
            expect(resolution.deleteReasons.get(image.digest)?.map((r) => r.code)).toContain('orphanReferrer')
          }
        }
      }),
      {numRuns: 500},
    )
  })

  it('does not depend on the order of the images', () => {
    fc.assert(
      fc.property(repository, fc.integer({min: 1, max: 1000}), (seeds, shift) => {
        const {images, ownKept, resolution} = run(seeds)
        const rotated = images.map((_, i) => images[(i + shift) % images.length] as LiveImage)
        const again = resolveRepositoryGraph('app', rotated, ownKept, NOW.getTime())
        expect(again.keepReasons).toEqual(resolution.keepReasons)
        expect(again.deleteReasons).toEqual(resolution.deleteReasons)
        expect(again.warnings).toEqual(resolution.warnings)
      }),
      {numRuns: 200},
    )
  })
})
