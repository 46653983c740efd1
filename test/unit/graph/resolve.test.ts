import {describe, expect, it} from 'vitest'
import type {LiveImage} from '../../../src/model/snapshot.js'
import {buildRepositoryGraph} from '../../../src/graph/graph.js'
import {cosignSubject, referrerKind} from '../../../src/model/image-edges.js'
import {resolveRepositoryGraph} from '../../../src/graph/resolve.js'
import {DAY_MS, NOW, OCI_INDEX, OCI_MANIFEST, digest, image, index} from '../../support/builders.js'

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const hex = (d: string) => d.slice(7)

/** Resolve with `ownKept` given as images; returns the kept set and the resolution. */
function resolve(images: LiveImage[], ownKept: LiveImage[]) {
  const resolution = resolveRepositoryGraph('app', images, new Set(ownKept.map((i) => i.digest)), NOW.getTime())
  const kept = new Set([...ownKept.map((i) => i.digest), ...resolution.keepReasons.keys()])
  const deleted = images.filter((i) => !kept.has(i.digest)).map((i) => i.digest).sort()
  return {...resolution, kept, deleted}
}

const codes = (reasons: Array<{code: string}> | undefined) => (reasons ?? []).map((r) => r.code)

function signature(subject: LiveImage | string, suffix: 'sig' | 'att' | 'sbom' = 'sig', fields: Partial<LiveImage> = {}): LiveImage {
  const subjectDigest = typeof subject === 'string' ? subject : subject.digest
  return image({tags: [`sha256-${hex(subjectDigest)}.${suffix}`], manifestMediaType: OCI_MANIFEST, manifest: {mediaType: OCI_MANIFEST}, ...fields})
}

function ociReferrer(subject: LiveImage | string, fields: Partial<LiveImage> = {}): LiveImage {
  const subjectDigest = typeof subject === 'string' ? subject : subject.digest
  return image({manifestMediaType: OCI_MANIFEST, manifest: {mediaType: OCI_MANIFEST, subject: subjectDigest}, ...fields})
}

describe('graph edges', () => {
  it('reads cosign tags for signatures, attestations and SBOMs, and nothing else', () => {
    const d = digest('subject')
    expect(cosignSubject(`sha256-${hex(d)}.sig`)).toEqual({subject: d, kind: 'signature'})
    expect(cosignSubject(`sha256-${hex(d)}.att`)).toEqual({subject: d, kind: 'attestation'})
    expect(cosignSubject(`sha256-${hex(d)}.sbom`)).toEqual({subject: d, kind: 'SBOM'})
    expect(cosignSubject(`sha256-${hex(d)}.txt`)).toBeUndefined()
    expect(cosignSubject(`sha256-${hex(d).slice(1)}.sig`)).toBeUndefined()
    expect(cosignSubject('v1.sig')).toBeUndefined()
  })

  it('names referrer kinds from the artifact media type', () => {
    expect(referrerKind('application/vnd.dev.cosign.artifact.sig.v1+json')).toBe('signature')
    expect(referrerKind('application/spdx+json')).toBe('SBOM')
    expect(referrerKind('application/vnd.in-toto+json')).toBe('attestation')
    expect(referrerKind(undefined)).toBe('referrer')
  })

  it('links children to parents and referrers to subjects, ignoring self-references', () => {
    const child = image()
    const parent = index([child, digest('absent')], {tags: ['v1']})
    const sig = signature(parent)
    const viaApi = image({subjectDigest: parent.digest})
    const graph = buildRepositoryGraph('app', [child, parent, sig, viaApi])
    expect(graph.children.get(parent.digest)).toEqual([child.digest, digest('absent')].sort())
    expect(graph.parents.get(child.digest)).toEqual([parent.digest])
    expect(graph.referrers.get(parent.digest)).toEqual([sig.digest, viaApi.digest].sort())
    expect(graph.subjects.get(viaApi.digest)).toEqual([{subject: parent.digest, kind: 'referrer', via: 'subjectManifestDigest'}])
  })
})

describe('resolveRepositoryGraph: indexes', () => {
  it('keeps the children of a kept index and names the edge', () => {
    const amd64 = image()
    const arm64 = image()
    const multi = index([amd64, arm64], {tags: ['v2']})
    const result = resolve([amd64, arm64, multi], [multi])
    expect(result.deleted).toEqual([])
    expect(result.keepReasons.get(amd64.digest)).toEqual([
      {code: 'indexChild', relatedDigest: multi.digest},
    ])
  })

  it('keeps a child shared by a kept and a deleted index; the deleted index takes only its own child', () => {
    const shared = image()
    const onlyOld = image()
    const keptIndex = index([shared], {tags: ['v2']})
    const oldIndex = index([shared, onlyOld], {tags: ['v1']})
    const result = resolve([shared, onlyOld, keptIndex, oldIndex], [keptIndex])
    expect(result.deleted).toEqual([onlyOld.digest, oldIndex.digest].sort())
    expect(codes(result.keepReasons.get(shared.digest))).toEqual(['indexChild'])
    expect(result.deleteReasons.get(onlyOld.digest)).toEqual([
      {code: 'childOfDeletedIndex', relatedDigest: oldIndex.digest},
    ])
    expect(result.references.get(oldIndex.digest)).toEqual([shared.digest, onlyOld.digest].sort())
    expect(result.deleteReasons.get(oldIndex.digest)).toEqual([])
  })

  it('follows nested indexes to a fixed point', () => {
    const leaf = image()
    const inner = index([leaf])
    const outer = index([inner], {tags: ['release']})
    const result = resolve([leaf, inner, outer], [outer])
    expect(result.deleted).toEqual([])
    expect(result.keepReasons.get(leaf.digest)?.[0]).toEqual({code: 'indexChild', relatedDigest: inner.digest})
  })

  it('warns when a kept index lists a child that is missing or archived', () => {
    const archivedChild = image({status: 'ARCHIVED'})
    const parent = index([archivedChild, digest('gone')], {tags: ['v1']})
    const result = resolve([archivedChild, parent], [parent])
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('which is archived'),
      expect.stringContaining('not in the repository'),
    ])
  })
})

describe('resolveRepositoryGraph: signatures and referrers', () => {
  it('keeps the cosign signature of a kept image and deletes the one of a deleted image as an orphan', () => {
    const keptImage = image({tags: ['v2']})
    const oldImage = image({tags: ['v1']})
    const keptSig = signature(keptImage)
    const oldSig = signature(oldImage)
    const result = resolve([keptImage, oldImage, keptSig, oldSig], [keptImage])
    expect(result.deleted).toEqual([oldImage.digest, oldSig.digest].sort())
    expect(result.keepReasons.get(keptSig.digest)).toEqual([
      {code: 'referrerOfKept', kind: 'signature', relatedDigest: keptImage.digest, via: 'cosign tag'},
    ])
    expect(result.deleteReasons.get(oldSig.digest)).toEqual([
      {code: 'orphanReferrer', kind: 'signature', relatedDigest: oldImage.digest, subjectInRepository: true, via: 'cosign tag'},
    ])
    expect(result.references.get(oldSig.digest)).toEqual([oldImage.digest])
  })

  it('treats .att and .sbom tags like signatures', () => {
    const subject = image({tags: ['v1']})
    const att = signature(subject, 'att')
    const sbom = signature(subject, 'sbom')
    const result = resolve([subject, att, sbom], [subject])
    expect(result.deleted).toEqual([])
    expect(result.keepReasons.get(att.digest)?.[0]).toMatchObject({code: 'referrerOfKept', kind: 'attestation', relatedDigest: subject.digest})
    expect(result.keepReasons.get(sbom.digest)?.[0]).toMatchObject({code: 'referrerOfKept', kind: 'SBOM', relatedDigest: subject.digest})
  })

  it('keeps an OCI referrer (manifest subject) of a kept image and deletes one whose subject is deleted', () => {
    const keptImage = image({tags: ['v2']})
    const oldImage = image({tags: ['v1']})
    const keptRef = ociReferrer(keptImage)
    const oldRef = ociReferrer(oldImage)
    const result = resolve([keptImage, oldImage, keptRef, oldRef], [keptImage])
    expect(result.deleted).toEqual([oldImage.digest, oldRef.digest].sort())
    expect(result.keepReasons.get(keptRef.digest)?.[0]).toMatchObject({code: 'referrerOfKept', via: 'manifest subject'})
    expect(codes(result.deleteReasons.get(oldRef.digest))).toEqual(['orphanReferrer'])
  })

  it("uses ECR's subjectManifestDigest when the manifest was not read", () => {
    const keptImage = image({tags: ['v2']})
    const sbom = image({subjectDigest: keptImage.digest, artifactMediaType: 'application/spdx+json'})
    const result = resolve([keptImage, sbom], [keptImage])
    expect(result.keepReasons.get(sbom.digest)).toEqual([
      {code: 'referrerOfKept', kind: 'SBOM', relatedDigest: keptImage.digest, via: 'subjectManifestDigest'},
    ])
  })

  it('deletes a referrer whose subject is not in the repository, naming that', () => {
    const lost = ociReferrer(digest('vanished'))
    const result = resolve([lost], [])
    expect(result.deleted).toEqual([lost.digest])
    expect(result.deleteReasons.get(lost.digest)).toEqual([
      {code: 'orphanReferrer', kind: 'referrer', relatedDigest: digest('vanished'), subjectInRepository: false, via: 'manifest subject'},
    ])
  })

  it('keeps a signature a keep rule matched even though its subject has no rule, and keeps the subject too', () => {
    const subject = image({tags: ['v1']})
    const child = image()
    const subjectIndex = index([child], {tags: ['multi']})
    const sig = signature(subject)
    const indexSig = signature(subjectIndex)
    const result = resolve([subject, child, subjectIndex, sig, indexSig], [sig, indexSig])
    expect(result.deleted).toEqual([])
    expect(codes(result.keepReasons.get(subject.digest))).toEqual(['subjectOfKept'])
    // the subject is kept whole: an index subject keeps its children
    expect(codes(result.keepReasons.get(child.digest))).toEqual(['indexChild'])
  })

  it('keeps the signature of a platform manifest of a kept index', () => {
    const child = image()
    const parent = index([child], {tags: ['v1']})
    const childSig = signature(child)
    const result = resolve([child, parent, childSig], [parent])
    expect(result.deleted).toEqual([])
    expect(result.keepReasons.get(childSig.digest)?.[0]).toMatchObject({code: 'referrerOfKept', relatedDigest: child.digest})
  })
})

describe('resolveRepositoryGraph: fail closed', () => {
  it('deletes nothing an unparseable index might reference, tagged or not, and warns', () => {
    const broken = image({tags: ['v1'], manifestMediaType: OCI_INDEX, manifestError: 'manifest is not JSON'})
    const untagged = image()
    const tagged = image({tags: ['v1-amd64']})
    const result = resolve([broken, untagged, tagged], [broken])
    expect(result.deleted).toEqual([])
    expect(result.keepReasons.get(tagged.digest)).toEqual([
      {code: 'manifestUnreadable', problem: 'manifest is not JSON', relatedDigest: broken.digest, unreadableCount: 1},
    ])
    expect(result.warnings).toEqual([
      expect.objectContaining({imageDigest: broken.digest, message: expect.stringContaining('nothing it might reference is deleted (2 images in app)')}),
    ])
  })

  it('fails closed even when the unreadable index itself is deleted', () => {
    const broken = image({manifestMediaType: OCI_INDEX, manifestError: 'timeout'})
    const other = image()
    const result = resolve([broken, other], [])
    expect(result.deleted).toEqual([broken.digest])
  })

  it('treats an index whose manifest was not read as unreadable', () => {
    const unread = image({tags: ['v1'], manifestMediaType: OCI_INDEX})
    const other = image()
    const result = resolve([unread, other], [])
    expect(codes(result.keepReasons.get(other.digest))).toEqual(['manifestUnreadable'])
  })

  it('limits an unreadable OCI manifest with a known subject to that subject', () => {
    const subject = image({tags: ['v1']})
    const bystander = image()
    const broken = image({manifestMediaType: OCI_MANIFEST, subjectDigest: subject.digest, manifestError: 'bad layers'})
    const result = resolve([subject, bystander, broken], [])
    // the subject stays (fail closed), and so does the broken referrer, as a referrer of a kept image
    expect(result.deleted).toEqual([bystander.digest])
    expect(codes(result.keepReasons.get(subject.digest))).toEqual(['manifestUnreadable'])
    expect(codes(result.keepReasons.get(broken.digest))).toEqual(['referrerOfKept'])
  })

  it('keeps nothing extra for an unreadable Docker image manifest, which cannot reference images', () => {
    const broken = image({manifestMediaType: DOCKER_MANIFEST, manifestError: 'truncated'})
    const other = image()
    const result = resolve([broken, other], [])
    expect(result.deleted).toEqual([broken.digest, other.digest].sort())
    expect(result.warnings[0]?.message).toContain('only savings are affected')
  })

  it('names how many manifests block an image when several are unreadable', () => {
    const a = image({manifestError: 'x'})
    const b = image({manifestError: 'y'})
    const c = image()
    const result = resolve([a, b, c], [])
    const first = a.digest < b.digest ? a : b
    expect(result.keepReasons.get(c.digest)).toEqual([
      {code: 'manifestUnreadable', problem: first.manifestError, relatedDigest: first.digest, unreadableCount: 2},
    ])
    expect(result.deleted).toEqual([])
  })
})

describe('resolveRepositoryGraph: archived images', () => {
  const archivedDaysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString()

  it('notes that the 90-day archive minimum is still billed when deleting a recently archived image', () => {
    const recent = image({status: 'ARCHIVED', lastArchivedAt: archivedDaysAgo(10)})
    const old = image({status: 'ARCHIVED', lastArchivedAt: archivedDaysAgo(120)})
    const unknown = image({status: 'ARCHIVED'})
    const active = image()
    const result = resolve([recent, old, unknown, active], [])
    expect(result.notes.get(recent.digest)).toEqual([
      'archived 10 days ago: the 90-day minimum archive storage duration is still billed (about 80 more days) even if it is deleted now',
    ])
    expect(result.notes.has(old.digest)).toBe(false)
    expect(result.notes.get(unknown.digest)?.[0]).toContain('archive date unknown')
    expect(result.notes.has(active.digest)).toBe(false)
  })

  it('applies the same graph rules to archived images', () => {
    const child = image({status: 'ARCHIVED'})
    const parent = index([child], {tags: ['v1'], status: 'ARCHIVED'})
    const result = resolve([child, parent], [parent])
    expect(result.deleted).toEqual([])
    expect(codes(result.keepReasons.get(child.digest))).toEqual(['indexChild'])
    expect(result.warnings).toEqual([])
  })
})
