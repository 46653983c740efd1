/**
 * Planning the images of one managed repository: which go, which stay and why. This is where a
 * deletion is decided. Pure; `createPlan` calls it once per managed repository and merges the
 * results. The image graph's part (cascades, fail-closed keeps) is src/graph/resolve.ts; the
 * repository's lifecycle policy is planned beside this, not in it (lifecycle/plan-lifecycle.ts).
 *
 * Order of decisions (every reason that applies is recorded, not only the first):
 *  1. keep rules of every matching entry (union), in entry and rule order;
 *  2. the grace period (the longest among matching entries);
 *  3. the image graph (src/graph/resolve.ts): children of kept indexes, referrers and subjects of
 *     kept images stay, to a fixed point; fail closed: nothing an unreadable manifest might
 *     reference is deleted, tagged or not;
 *  everything else is deleted with `noKeepRule`, after the graph edge that explains it, if any.
 * A repository matched only by lifecycle-only entries (no `keep`) has no image decisions at all.
 */
import {compareStrings} from '../util/order.js'
import {resolveRepositoryGraph} from '../graph/resolve.js'
import {uniqueBytesFreed} from '../graph/savings.js'
import {EcrctlError} from '../errors.js'
import type {RepositoryEntry} from '../model/desired.js'
import type {DeleteImageAction, KeptImage, PlanWarning, Reason, RepositorySummary} from '../model/plan.js'
import type {LiveImage, LiveRepository} from '../model/snapshot.js'
import {applyKeepRule, type CompiledKeepRule, compileKeepRule} from './keep-rules.js'
import {gracePeriodReason, keepRuleReason, noKeepRuleReason} from './reasons.js'
import {type TimedImage, timeImage} from './timed-image.js'

/** A desired-state entry with its rules compiled (once per plan, shared by every repository it matches). */
export interface CompiledEntry {
  entry: RepositoryEntry
  rules: CompiledKeepRule[]
}

/** Lifecycle-only entries (no `keep` key) say nothing about images; see `managesImages` in src/desired/entries.ts. */
export const managesImages = (entry: RepositoryEntry): boolean => entry.keepOmitted !== true

export function compileEntry(entry: RepositoryEntry): CompiledEntry {
  return {entry, rules: entry.keep.map(compileKeepRule)}
}

export interface RepositoryPlanContext {
  nowMs: number
  defaultGracePeriodMs: number
}

export interface RepositoryPlan {
  repository: string
  /** Sorted by digest. */
  deletions: DeleteImageAction[]
  /** Sorted by digest. */
  kept: KeptImage[]
  warnings: PlanWarning[]
  summary: RepositorySummary
}

export function planRepository(
  repository: LiveRepository,
  entries: readonly CompiledEntry[],
  context: RepositoryPlanContext,
): RepositoryPlan {
  if (entries.length === 0) throw new Error(`planRepository called for unmanaged repository ${repository.name}`)
  if (!entries.some(({entry}) => managesImages(entry))) return imagesNotManaged(repository.name)
  const {nowMs} = context
  const images = repository.images.map((image) => timeImage(repository.name, image)).sort(byDigest)
  const imagesByDigest = indexByDigest(repository.name, images)

  const ruleReasons = new Map<string, Reason[]>()
  for (const {rules} of entries) {
    for (const compiled of rules) {
      const outcome = applyKeepRule(compiled, images, nowMs)
      for (const {image, rank} of outcome.kept) {
        const reason = keepRuleReason(compiled.rule, rank, outcome.matchCount)
        const reasons = ruleReasons.get(image.image.digest)
        if (reasons === undefined) ruleReasons.set(image.image.digest, [reason])
        else reasons.push(reason)
      }
    }
  }

  const gracePeriodMs = Math.max(...entries.map(({entry}) => entry.gracePeriodMs ?? context.defaultGracePeriodMs))
  const withinGrace = (image: TimedImage) => nowMs - image.pushedMs < gracePeriodMs

  // The image graph (src/graph/resolve.ts) closes the kept set over index children, referrers and
  // subjects, fails closed on unreadable manifests, and explains graph-driven deletions. It only
  // ever adds keeps: what rules or the grace period keep is never deleted.
  const ownKept = new Set<string>()
  for (const image of images) if (ruleReasons.has(image.image.digest) || withinGrace(image)) ownKept.add(image.image.digest)
  const graph = resolveRepositoryGraph(repository.name, [...imagesByDigest.values()], ownKept, nowMs)

  const deletions: DeleteImageAction[] = []
  const kept: KeptImage[] = []
  const deletedDigests = new Set<string>()
  let bytesDeleted = 0
  for (const image of images) {
    const {digest} = image.image
    // the rule reasons array is not read again, so it is extended in place (a million images)
    const reasons: Reason[] = ruleReasons.get(digest) ?? []
    if (withinGrace(image)) reasons.push(gracePeriodReason(gracePeriodMs))
    reasons.push(...(graph.keepReasons.get(digest) ?? []))

    if (reasons.length > 0) {
      kept.push(keptImage(repository.name, image.image, reasons))
    } else {
      const deleteReasons = [...(graph.deleteReasons.get(digest) ?? []), noKeepRuleReason()]
      deletions.push(deleteAction(repository.name, image.image, deleteReasons, graph.references.get(digest), graph.notes.get(digest)))
      deletedDigests.add(digest)
      bytesDeleted += image.image.sizeBytes
    }
  }

  const summary: RepositorySummary = {
    repository: repository.name,
    imagesTotal: images.length,
    imagesKept: kept.length,
    imagesDeleted: deletions.length,
    bytesDeleted,
  }
  const uniqueBytes = uniqueBytesFreed(repository.images, deletedDigests)
  if (uniqueBytes !== undefined) summary.uniqueBytesFreed = uniqueBytes
  return {repository: repository.name, deletions, kept, warnings: graph.warnings, summary}
}

function imagesNotManaged(repository: string): RepositoryPlan {
  return {
    repository,
    deletions: [],
    kept: [],
    warnings: [],
    summary: {repository, imagesManaged: false, imagesTotal: 0, imagesKept: 0, imagesDeleted: 0, bytesDeleted: 0},
  }
}

function byDigest(a: TimedImage, b: TimedImage): number {
  return compareStrings(a.image.digest, b.image.digest)
}

function indexByDigest(repository: string, images: readonly TimedImage[]): Map<string, LiveImage> {
  const byDigestMap = new Map<string, LiveImage>()
  for (const {image} of images) {
    if (byDigestMap.has(image.digest)) {
      throw new EcrctlError(`The snapshot lists image ${image.digest} twice in repository ${repository}.`, {
        detail: 'A digest identifies one image per repository, so the snapshot is corrupt.',
        nextSteps: ['Re-take the snapshot with `ecrctl snapshot`.'],
      })
    }
    byDigestMap.set(image.digest, image)
  }
  return byDigestMap
}

/**
 * The plan's images are built with their keys in sorted order: the plan file writer then
 * stringifies each natively instead of making a sorted copy (a million images; see isCanonical
 * in src/planfile/canonical-json.ts, which checks it and takes the copying path otherwise).
 */
function keptImage(repository: string, image: LiveImage, reasons: Reason[]): KeptImage {
  const kept: KeptImage = {
    imageDigest: image.digest,
    imagePushedAt: image.pushedAt,
    imageTags: sortedTags(image.tags),
    reasons,
    repository,
    sizeBytes: image.sizeBytes,
  }
  if (image.status !== undefined) kept.status = image.status // last in key order
  return kept
}

/** A copy (the plan never shares arrays with the snapshot), sorted as the snapshot promises. */
function sortedTags(tags: readonly string[]): string[] {
  return tags.length <= 1 ? tags.slice() : [...tags].sort(compareStrings)
}

function deleteAction(
  repository: string,
  image: LiveImage,
  reasons: Reason[],
  references: string[] | undefined,
  notes: string[] | undefined,
): DeleteImageAction {
  const imageDigest = image.digest
  const imagePushedAt = image.pushedAt
  const imageTags = sortedTags(image.tags)
  const lastPulledAt = image.lastPulledAt ?? null
  const sizeBytes = image.sizeBytes
  const type = 'deleteImage'
  const hasNotes = notes !== undefined && notes.length > 0
  const hasReferences = references !== undefined && references.length > 0
  // keys in sorted order (see keptImage)
  if (!hasNotes && !hasReferences && image.status === undefined) {
    return {imageDigest, imagePushedAt, imageTags, lastPulledAt, reasons, repository, sizeBytes, type}
  }
  return {
    imageDigest,
    imagePushedAt,
    imageTags,
    lastPulledAt,
    ...(hasNotes ? {notes} : {}),
    reasons,
    ...(hasReferences ? {references} : {}),
    repository,
    sizeBytes,
    ...(image.status !== undefined ? {status: image.status} : {}),
    type,
  }
}
