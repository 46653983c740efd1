/**
 * The edges of one image: which other images it references. The one derivation the planner's
 * graph (src/graph), apply's deletion order and staleness checks (src/apply) and the lifecycle
 * evaluator (src/lifecycle) all read, so they cannot disagree about what an image drags along.
 *
 *  - child: an image index / Docker manifest list → each platform manifest it lists;
 *  - subject: an OCI referrer (a signature, attestation or SBOM) → the image it is about, from
 *    ECR's `subjectManifestDigest` (`subjectDigest`) or the manifest's own `subject`;
 *  - subject, cosign style: an image tagged `sha256-<hex>.sig|.att|.sbom` → the image `sha256:<hex>`.
 *
 * Which edges each use counts (docs/image-graph.md, "Who counts which edge"): everything that
 * protects an image (the keep closure, apply's staleness check, apply's order) counts all three;
 * the lifecycle evaluator, which predicts what ECR will do, counts only what ECR itself knows
 * (`ecrSubject`): to ECR a cosign-tagged signature is an ordinary tagged image.
 *
 * Edges may point at digests that are not in the repository (a child that is gone, a signature
 * whose image was deleted); each use decides what that means. Pure.
 */
import {compareStrings} from '../util/order.js'
import type {LiveImage} from './snapshot.js'

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

export interface ImageEdges {
  /** The platform manifests an index lists: unique, sorted, never the image itself. */
  children: string[]
  /** What a referrer is about, deduplicated by subject and source, sorted by subject, then source. */
  subjects: SubjectEdge[]
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

const NO_CHILDREN: readonly string[] = []

/** Every edge of one image. */
export function imageEdges(image: LiveImage): ImageEdges {
  const listed = image.manifest?.children ?? NO_CHILDREN
  const children = listed.length === 0 ? [] : [...new Set(listed)].filter((child) => child !== image.digest).sort(compareStrings)

  const subjects: SubjectEdge[] = []
  const kind = referrerKind(image.artifactMediaType)
  if (image.subjectDigest !== undefined) subjects.push({subject: image.subjectDigest, kind, via: 'subjectManifestDigest'})
  const manifestSubject = image.manifest?.subject
  if (manifestSubject !== undefined && manifestSubject !== image.subjectDigest) {
    subjects.push({subject: manifestSubject, kind, via: 'manifest subject'})
  }
  for (const tag of image.tags) {
    const cosign = cosignSubject(tag)
    if (cosign !== undefined) subjects.push({subject: cosign.subject, kind: cosign.kind, via: 'cosign tag', tag})
  }
  return {
    children,
    subjects: subjects
      .filter((edge) => edge.subject !== image.digest)
      .sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.via, b.via) || compareStrings(a.tag ?? '', b.tag ?? '')),
  }
}

/** Every digest an image references (children and subjects of every source), unique and sorted. */
export function referencedDigests(edges: {readonly children: readonly string[]; readonly subjects: readonly SubjectEdge[]}): string[] {
  if (edges.subjects.length === 0) return [...edges.children]
  return [...new Set([...edges.children, ...edges.subjects.map((edge) => edge.subject)])].sort(compareStrings)
}

/**
 * The subject ECR itself links a referrer to: its `subjectManifestDigest`, else the manifest's
 * `subject` (ECR derives the one from the other). What ECR's lifecycle makes a referrer follow;
 * a cosign tag is not among them, since ECR does not read tags as links.
 */
export function ecrSubject(edges: {readonly subjects: readonly SubjectEdge[]}): string | undefined {
  return (edges.subjects.find((edge) => edge.via === 'subjectManifestDigest') ?? edges.subjects.find((edge) => edge.via === 'manifest subject'))?.subject
}
