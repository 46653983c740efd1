/**
 * The reference graph of one repository's images. Pure: built from snapshot images only.
 *
 * Edges (what an image references):
 *  - child: an image index / Docker manifest list → each platform manifest it lists;
 *  - subject: an OCI referrer (a signature, attestation or SBOM) → the image it is about, from
 *    ECR's `subjectManifestDigest` (`subjectDigest`) or the manifest's own `subject`;
 *  - subject, cosign style: an image tagged `sha256-<hex>.sig|.att|.sbom` → the image `sha256:<hex>`.
 *
 * Edges may point at digests that are not in the repository (a child that is gone, a signature
 * whose image was deleted); they are kept here and judged by the closure.
 */
import type {LiveImage} from '../model/snapshot.js'
import {compareStrings} from '../util/order.js'
import {type UnreadableManifest, unreadableManifests} from './closure.js'

export type ReferrerKind = 'signature' | 'attestation' | 'SBOM' | 'referrer'

export interface SubjectEdge {
  /** The digest of the image this referrer is about. */
  subject: string
  kind: ReferrerKind
  /** How the edge was learned, for reasons: the API field, the manifest, or a cosign tag. */
  via: 'subjectManifestDigest' | 'manifest subject' | 'cosign tag'
  /** The cosign tag, when `via` is 'cosign tag'. */
  tag?: string
}

export interface RepositoryGraph {
  repository: string
  /** Every image of the repository by digest. */
  images: ReadonlyMap<string, LiveImage>
  /** Index → the digests it lists (sorted, unique; may include digests not in the repository). */
  children: ReadonlyMap<string, readonly string[]>
  /** Image → the indexes in the repository that list it (sorted). */
  parents: ReadonlyMap<string, readonly string[]>
  /** Referrer → the subjects it is about (sorted by subject, then how learned). */
  subjects: ReadonlyMap<string, readonly SubjectEdge[]>
  /** Subject → the referrers in the repository about it (sorted). */
  referrers: ReadonlyMap<string, readonly string[]>
  /** Images whose references could not be learned (see closure.ts), sorted by digest. */
  unreadable: readonly UnreadableManifest[]
}

const COSIGN_TAG = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/
const COSIGN_KIND: Record<string, ReferrerKind> = {sig: 'signature', att: 'attestation', sbom: 'SBOM'}

/** The subject a cosign-style tag names, or undefined for any other tag. */
export function cosignSubject(tag: string): {subject: string; kind: ReferrerKind} | undefined {
  const match = COSIGN_TAG.exec(tag)
  if (match === null) return undefined
  return {subject: `sha256:${match[1]}`, kind: COSIGN_KIND[match[2] as string] as ReferrerKind}
}

/** What kind of referrer an OCI artifact is, from its artifact media type (best effort, for wording). */
export function referrerKind(artifactMediaType: string | undefined): ReferrerKind {
  const type = (artifactMediaType ?? '').toLowerCase()
  if (type.includes('signature') || type.includes('cosign') || type.includes('notary')) return 'signature'
  if (type.includes('spdx') || type.includes('cyclonedx') || type.includes('sbom') || type.includes('syft')) return 'SBOM'
  if (type.includes('in-toto') || type.includes('intoto') || type.includes('attestation') || type.includes('provenance')) {
    return 'attestation'
  }
  return 'referrer'
}

/** The subject edges of one image, deduplicated by subject and source. */
export function subjectEdges(image: LiveImage): SubjectEdge[] {
  const edges: SubjectEdge[] = []
  const kind = referrerKind(image.artifactMediaType)
  if (image.subjectDigest !== undefined) edges.push({subject: image.subjectDigest, kind, via: 'subjectManifestDigest'})
  const manifestSubject = image.manifest?.subject
  if (manifestSubject !== undefined && manifestSubject !== image.subjectDigest) {
    edges.push({subject: manifestSubject, kind, via: 'manifest subject'})
  }
  for (const tag of image.tags) {
    const cosign = cosignSubject(tag)
    if (cosign !== undefined) edges.push({subject: cosign.subject, kind: cosign.kind, via: 'cosign tag', tag})
  }
  return edges
    .filter((edge) => edge.subject !== image.digest)
    .sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.via, b.via) || compareStrings(a.tag ?? '', b.tag ?? ''))
}

export function buildRepositoryGraph(repository: string, images: readonly LiveImage[]): RepositoryGraph {
  const byDigest = new Map<string, LiveImage>()
  for (const image of images) byDigest.set(image.digest, image)
  const digests = [...byDigest.keys()].sort(compareStrings)

  const children = new Map<string, string[]>()
  const parents = new Map<string, string[]>()
  const subjects = new Map<string, SubjectEdge[]>()
  const referrers = new Map<string, string[]>()
  for (const digest of digests) {
    const image = byDigest.get(digest) as LiveImage
    const listed = [...new Set(image.manifest?.children ?? [])].filter((child) => child !== digest).sort(compareStrings)
    if (listed.length > 0) {
      children.set(digest, listed)
      for (const child of listed) if (byDigest.has(child)) push(parents, child, digest)
    }
    const edges = subjectEdges(image)
    if (edges.length > 0) {
      subjects.set(digest, edges)
      for (const subject of new Set(edges.map((edge) => edge.subject))) {
        if (byDigest.has(subject)) push(referrers, subject, digest)
      }
    }
  }
  // Digests were visited in order, so every list built by push is already sorted.
  return {repository, images: byDigest, children, parents, subjects, referrers, unreadable: unreadableManifests(images)}
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
