/**
 * Planning one managed repository: which images go, which stay and why. This is where a deletion
 * is decided. Pure; `createPlan` calls it once per managed repository and merges the results, so
 * further per-repository concerns (lifecycle policy actions, graph cascades) extend `RepositoryPlan`
 * and this function rather than the whole-plan code.
 *
 * Order of decisions (every reason that applies is recorded, not only the first):
 *  1. keep rules of every matching entry (union), in entry and rule order;
 *  2. the grace period (the longest among matching entries);
 *  3. fail closed: while any manifest in the repository is unreadable, every untagged image stays;
 *  4. index children: everything a kept index lists stays, to a fixed point;
 *  everything else is deleted with `noKeepRule`.
 * A repository matched only by lifecycle-only entries (no `keep`) has no image decisions at all.
 */
import {closeOverIndexChildren, compareStrings, indexChildren, unreadableManifests} from '../graph/closure.js'
import {EcrctlError} from '../errors.js'
import type {RepositoryEntry} from '../model/desired.js'
import type {DeleteImageAction, ImageFacts, KeptImage, PlanWarning, Reason, RepositorySummary} from '../model/plan.js'
import type {LiveImage, LiveRepository} from '../model/snapshot.js'
import {applyKeepRule, type CompiledKeepRule, compileKeepRule} from './keep-rules.js'
import {
  gracePeriodReason,
  indexChildReason,
  joinReasons,
  keepRuleReason,
  manifestUnreadableReason,
  noKeepRuleReason,
  shortDigest,
} from './reasons.js'
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

  const unreadable = unreadableManifests(repository.images)
  const failClosed = unreadable.length > 0
  const unreadableReason = failClosed ? manifestUnreadableReason(unreadable) : undefined

  const keptBeforeGraph = new Set<string>()
  for (const image of images) {
    const digest = image.image.digest
    if (ruleReasons.has(digest) || withinGrace(image) || (failClosed && image.image.tags.length === 0)) {
      keptBeforeGraph.add(digest)
    }
  }
  const closure = closeOverIndexChildren(imagesByDigest, keptBeforeGraph)

  const deletions: DeleteImageAction[] = []
  const kept: KeptImage[] = []
  let bytesDeleted = 0
  for (const image of images) {
    const {digest} = image.image
    const reasons: Reason[] = [...(ruleReasons.get(digest) ?? [])]
    const ageMs = nowMs - image.pushedMs
    if (withinGrace(image)) reasons.push(gracePeriodReason(image.image.pushedAt, ageMs, gracePeriodMs))
    for (const parent of closure.keptParents.get(digest) ?? []) reasons.push(indexChildReason(parent))
    if (unreadableReason !== undefined && image.image.tags.length === 0) reasons.push(unreadableReason)

    if (reasons.length > 0) {
      kept.push({...imageFacts(repository.name, image.image), reasons})
    } else {
      const deleteReasons = [noKeepRuleReason(image.image.pushedAt, ageMs)]
      deletions.push(deleteAction(repository.name, image.image, deleteReasons))
      bytesDeleted += image.image.sizeBytes
    }
  }

  const warnings: PlanWarning[] = [
    ...unreadable.map(({digest, problem}) => ({
      repository: repository.name,
      imageDigest: digest,
      message: `the manifest of ${shortDigest(digest)} could not be read (${problem}); no untagged image in ${repository.name} is deleted until it can be`,
    })),
    ...closure.missingChildren.map(({parent, child}) => ({
      repository: repository.name,
      imageDigest: parent,
      message: `kept index ${shortDigest(parent)} lists ${shortDigest(child)}, which is not in the repository; the index cannot be pulled completely`,
    })),
  ]

  return {
    repository: repository.name,
    deletions,
    kept,
    warnings,
    summary: {
      repository: repository.name,
      imagesTotal: images.length,
      imagesKept: kept.length,
      imagesDeleted: deletions.length,
      bytesDeleted,
    },
  }
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

function imageFacts(repository: string, image: LiveImage): ImageFacts {
  const facts: ImageFacts = {
    repository,
    imageDigest: image.digest,
    imageTags: [...image.tags].sort(compareStrings),
    imagePushedAt: image.pushedAt,
    sizeBytes: image.sizeBytes,
  }
  if (image.status !== undefined) facts.status = image.status
  return facts
}

function deleteAction(repository: string, image: LiveImage, reasons: Reason[]): DeleteImageAction {
  const action: DeleteImageAction = {
    type: 'deleteImage',
    ...imageFacts(repository, image),
    reason: joinReasons(reasons),
    reasons,
  }
  const references = [...new Set(indexChildren(image))].sort(compareStrings)
  if (references.length > 0) action.references = references
  return action
}
