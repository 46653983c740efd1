/**
 * The graph closure of one repository: given the images that keep rules and the grace period keep
 * on their own, which further images the graph keeps, why each deleted image goes, what each
 * delete references (for apply's ordering), and what the reviewer should be warned about.
 *
 * Rules (see docs/image-graph.md):
 *  1. Kept images are closed, to a fixed point, over three edges: the children of a kept index
 *     (`indexChild`), the referrers of a kept image (`referrerOfKept`), and the subject of a kept
 *     referrer (`subjectOfKept`: keeping more is the safe direction).
 *  2. Fail closed: a manifest that could not be read or parsed might reference any image of the
 *     repository (a leaf Docker manifest references none; an OCI manifest whose subject ECR reported
 *     references only that), and nothing it might reference is deleted (`manifestUnreadable`).
 *  3. Everything else is deleted. The graph never deletes an image that a keep rule or the grace
 *     period keeps: it only adds keeps. A deleted image gets edge reasons when it is a child of
 *     deleted indexes (`childOfDeletedIndex`) or a referrer whose subject is deleted or gone
 *     (`orphanReferrer`).
 * Pure; cost linear in images plus edges.
 */
import type {
  ChildOfDeletedIndexReason,
  IndexChildReason,
  ManifestUnreadableReason,
  OrphanReferrerReason,
  PlanWarning,
  Reason,
  ReasonCode,
  ReferrerOfKeptReason,
  SubjectOfKeptReason,
} from '../model/plan.js'
import type {LiveImage} from '../model/snapshot.js'
import {compareStrings} from '../util/order.js'
import type {UnreadableManifest} from './unreadable-manifests.js'
import {describeTags, plural} from '../util/words.js'
import {shortDigest} from '../util/short-digest.js'
import {describeImage} from './describe.js'
import {referencedDigests, type SubjectEdge} from '../model/image-edges.js'
import {buildRepositoryGraph, type RepositoryGraph} from './graph.js'
import {ARCHIVE_MINIMUM_DAYS} from '../model/ecr-facts.js'
import {LEAF_MEDIA_TYPES, MEDIA_TYPES} from '../model/media-types.js'
import {DAY_MS} from '../util/time.js'


export interface GraphResolution {
  graph: RepositoryGraph
  /** Digests kept by the graph but not on their own, and every graph reason of every kept image. */
  keepReasons: Map<string, Reason[]>
  /** For each image the graph leaves deleted: the edge reasons (may be empty = no edge involved). */
  deleteReasons: Map<string, Reason[]>
  /** For each image that references others: the digests, sorted (children and subjects). */
  references: Map<string, string[]>
  /** Display-only notes for deleted images (archive minimum duration). */
  notes: Map<string, string[]>
  warnings: PlanWarning[]
}

/**
 * @param ownKept digests that keep rules or the grace period keep; never deleted by the graph.
 * @param nowMs the evaluation time (for archive notes).
 */
export function resolveRepositoryGraph(
  repository: string,
  images: readonly LiveImage[],
  ownKept: ReadonlySet<string>,
  nowMs: number,
): GraphResolution {
  const graph = buildRepositoryGraph(repository, images)
  const keepReasons = new Map<string, Reason[]>()
  const kept = new Set<string>()
  const queue: string[] = []
  const keep = (digest: string, reason: Reason | undefined) => {
    if (reason !== undefined) addReason(keepReasons, digest, reason)
    if (!kept.has(digest)) {
      kept.add(digest)
      queue.push(digest)
    }
  }

  for (const digest of [...ownKept].sort(compareStrings)) if (graph.images.has(digest)) keep(digest, undefined)
  for (const [target, reason] of failClosedKeeps(graph)) keep(target, reason)

  for (let next = 0; next < queue.length; next++) {
    const digest = queue[next] as string
    const image = graph.images.get(digest) as LiveImage
    for (const child of graph.children.get(digest) ?? []) {
      if (graph.images.has(child)) keep(child, indexChildReason(digest))
    }
    // Subject edges give a reason only to an image not kept yet: both ends of the edge keep each
    // other, and "kept because it is kept" would only be noise.
    for (const referrer of graph.referrers.get(digest) ?? []) {
      if (kept.has(referrer)) continue
      for (const edge of edgesTo(graph, referrer, digest)) keep(referrer, referrerOfKeptReason(digest, edge))
    }
    for (const edge of graph.subjects.get(digest) ?? []) {
      if (graph.images.has(edge.subject) && !kept.has(edge.subject)) keep(edge.subject, subjectOfKeptReason(digest, edge))
    }
  }

  const deleteReasons = new Map<string, Reason[]>()
  const references = new Map<string, string[]>()
  const notes = new Map<string, string[]>()
  for (const [digest, image] of [...graph.images].sort(([a], [b]) => compareStrings(a, b))) {
    const referenced = referencedDigests({children: graph.children.get(digest) ?? [], subjects: graph.subjects.get(digest) ?? []})
    if (referenced.length > 0) references.set(digest, referenced)
    if (kept.has(digest)) continue
    const reasons: Reason[] = []
    for (const parent of graph.parents.get(digest) ?? []) reasons.push(childOfDeletedIndexReason(parent))
    for (const edge of graph.subjects.get(digest) ?? []) reasons.push(orphanReferrerReason(edge, graph.images.get(edge.subject)))
    deleteReasons.set(digest, reasons)
    const note = archiveNote(image, nowMs)
    if (note !== undefined) notes.set(digest, [note])
  }
  for (const reasons of keepReasons.values()) reasons.sort(byReasonOrder)

  return {graph, keepReasons, deleteReasons, references, notes, warnings: graphWarnings(graph, kept, ownKept)}
}

/**
 * For each unreadable manifest, the images it might reference, each with one reason (naming the
 * first unreadable manifest and how many there are), in digest order. Linear in images plus
 * unreadable manifests: blockers that might reference anything are shared, not copied per image.
 */
function failClosedKeeps(graph: RepositoryGraph): Array<[string, Reason]> {
  const anyBlockers: UnreadableManifest[] = []
  const specific = new Map<string, UnreadableManifest[]>()
  for (const unreadable of graph.unreadable) {
    const scope = possibleReferences(graph.images.get(unreadable.digest) as LiveImage)
    if (scope === 'any') {
      anyBlockers.push(unreadable)
      continue
    }
    for (const target of scope) {
      if (target === unreadable.digest || !graph.images.has(target)) continue
      const list = specific.get(target)
      if (list === undefined) specific.set(target, [unreadable])
      else list.push(unreadable)
    }
  }
  const anyDigests = new Set(anyBlockers.map((blocker) => blocker.digest))
  const keeps: Array<[string, Reason]> = []
  for (const target of [...graph.images.keys()].sort(compareStrings)) {
    const own = specific.get(target) ?? []
    const count = anyBlockers.length - (anyDigests.has(target) ? 1 : 0) + own.length
    if (count === 0) continue
    // anyBlockers is sorted by digest; skipping the target itself takes at most one step
    const firstAny = anyBlockers.find((blocker) => blocker.digest !== target)
    const first = [...(firstAny === undefined ? [] : [firstAny]), ...own].reduce((a, b) => (compareStrings(a.digest, b.digest) <= 0 ? a : b))
    keeps.push([target, manifestUnreadableReason(first, count)])
  }
  return keeps
}

/** What an image whose manifest is unknown might reference. */
function possibleReferences(image: LiveImage): 'any' | readonly string[] {
  const mediaType = image.manifestMediaType ?? image.manifest?.mediaType
  if (mediaType !== undefined && LEAF_MEDIA_TYPES.has(mediaType)) return []
  if (mediaType === MEDIA_TYPES.ociManifest && image.subjectDigest !== undefined) return [image.subjectDigest]
  return 'any'
}

function edgesTo(graph: RepositoryGraph, referrer: string, subject: string): SubjectEdge[] {
  return (graph.subjects.get(referrer) ?? []).filter((edge) => edge.subject === subject)
}

function graphWarnings(graph: RepositoryGraph, kept: ReadonlySet<string>, ownKept: ReadonlySet<string>): PlanWarning[] {
  const {repository} = graph
  const warnings: PlanWarning[] = []
  for (const {digest, problem} of graph.unreadable) {
    const image = graph.images.get(digest) as LiveImage
    const possible = possibleReferences(image)
    const scope = possible === 'any' ? graph.images.size - 1 : possible.filter((target) => target !== digest && graph.images.has(target)).length
    warnings.push({
      repository,
      imageDigest: digest,
      message:
        scope === 0
          ? `the manifest of ${describeImage(digest, image)} could not be read (${problem}); it references no other image by its media type, so only savings are affected`
          : `the manifest of ${describeImage(digest, image)} could not be read (${problem}); nothing it might reference is deleted (${plural(scope, 'image')} in ${repository}) until it can be read`,
    })
  }
  for (const digest of [...kept].sort(compareStrings)) {
    const image = graph.images.get(digest) as LiveImage
    for (const child of graph.children.get(digest) ?? []) {
      const childImage = graph.images.get(child)
      if (childImage === undefined) {
        warnings.push({
          repository,
          imageDigest: digest,
          message: `kept index ${describeImage(digest, image)} lists ${shortDigest(child)}, which is not in the repository; the index cannot be pulled completely`,
        })
      } else if (childImage.status === 'ARCHIVED' && image.status !== 'ARCHIVED') {
        warnings.push({
          repository,
          imageDigest: digest,
          message: `kept index ${describeImage(digest, image)} lists ${shortDigest(child)}, which is archived; pulls of that platform fail until it is restored`,
        })
      }
    }
    if (!ownKept.has(digest)) continue
    for (const edge of graph.subjects.get(digest) ?? []) {
      if (graph.images.has(edge.subject)) continue
      warnings.push({
        repository,
        imageDigest: digest,
        message: `${edge.kind} ${describeImage(digest, image)} is kept by a keep rule or the grace period, but its subject ${shortDigest(edge.subject)} is not in the repository`,
      })
    }
  }
  return warnings
}

function archiveNote(image: LiveImage, nowMs: number): string | undefined {
  if (image.status !== 'ARCHIVED') return undefined
  if (image.lastArchivedAt === undefined) {
    return `archived (archive date unknown): ECR bills archived images for at least ${ARCHIVE_MINIMUM_DAYS} days, which may still be billed after deletion`
  }
  const archivedMs = Date.parse(image.lastArchivedAt)
  const daysInArchive = Math.floor((nowMs - archivedMs) / DAY_MS)
  if (Number.isNaN(archivedMs) || daysInArchive >= ARCHIVE_MINIMUM_DAYS) return undefined
  const remaining = ARCHIVE_MINIMUM_DAYS - Math.max(0, daysInArchive)
  return `archived ${Math.max(0, daysInArchive)} days ago: the ${ARCHIVE_MINIMUM_DAYS}-day minimum archive storage duration is still billed (about ${remaining} more days) even if it is deleted now`
}

// ---- reasons (data only: src/render words them; keys in sorted order) ----

const REASON_ORDER: ReasonCode[] = ['indexChild', 'referrerOfKept', 'subjectOfKept', 'manifestUnreadable']

const relatedDigestOf = (reason: Reason): string => ('relatedDigest' in reason ? reason.relatedDigest : '')
const edgeOf = (reason: Reason): string => ('via' in reason ? `${reason.kind} ${reason.via}` : '')

function byReasonOrder(a: Reason, b: Reason): number {
  return (
    REASON_ORDER.indexOf(a.code) - REASON_ORDER.indexOf(b.code) ||
    compareStrings(relatedDigestOf(a), relatedDigestOf(b)) ||
    compareStrings(edgeOf(a), edgeOf(b))
  )
}

function addReason(map: Map<string, Reason[]>, digest: string, reason: Reason): void {
  const list = map.get(digest)
  if (list === undefined) map.set(digest, [reason])
  else if (!list.some((existing) => sameGraphReason(existing, reason))) list.push(reason)
}

/** Graph reasons are equal when they name the same edge: code, related image, kind and source. */
function sameGraphReason(a: Reason, b: Reason): boolean {
  return a.code === b.code && relatedDigestOf(a) === relatedDigestOf(b) && edgeOf(a) === edgeOf(b)
}

function indexChildReason(parent: string): IndexChildReason {
  return {code: 'indexChild', relatedDigest: parent}
}

function referrerOfKeptReason(subject: string, edge: SubjectEdge): ReferrerOfKeptReason {
  return {code: 'referrerOfKept', kind: edge.kind, relatedDigest: subject, via: edge.via}
}

function subjectOfKeptReason(referrer: string, edge: SubjectEdge): SubjectOfKeptReason {
  return {code: 'subjectOfKept', kind: edge.kind, relatedDigest: referrer, via: edge.via}
}

function manifestUnreadableReason(first: UnreadableManifest, count: number): ManifestUnreadableReason {
  return {code: 'manifestUnreadable', problem: first.problem, relatedDigest: first.digest, unreadableCount: count}
}

function childOfDeletedIndexReason(parent: string): ChildOfDeletedIndexReason {
  return {code: 'childOfDeletedIndex', relatedDigest: parent}
}

function orphanReferrerReason(edge: SubjectEdge, subjectImage: LiveImage | undefined): OrphanReferrerReason {
  return {code: 'orphanReferrer', kind: edge.kind, relatedDigest: edge.subject, subjectInRepository: subjectImage !== undefined, via: edge.via}
}
