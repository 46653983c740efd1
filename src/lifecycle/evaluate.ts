/**
 * The offline lifecycle evaluator: what ECR would do to a repository's images under a policy at a
 * given time, and when it would act on the images it spares today. Pure. The semantics (and each
 * inference where ECR's guide is silent) are in docs/lifecycle.md; the documented examples of the
 * guide are golden cases in test/unit/lifecycle/golden-examples.test.ts.
 */
import type {LifecyclePolicyDoc, LifecycleRule} from '../model/desired.js'
import {ARCHIVE_MINIMUM_DAYS} from '../model/ecr-facts.js'
import {ecrSubject, imageEdges} from '../model/image-edges.js'
import type {ImageForecast, LifecycleAction, LifecycleDecision, LifecycleFigures, ShieldReason} from '../model/lifecycle-forecast.js'
import type {LiveImage} from '../model/snapshot.js'
import {globMatches} from '../util/glob.js'
import {compareStrings} from '../util/order.js'
import {DAY_MS} from '../util/time.js'
import {ruleStorageClass} from './validate.js'


export interface LifecycleEvaluation {
  /** Every image's outcome at the evaluation time, keyed by digest: the acting rule, or null. */
  decisions: Map<string, LifecycleDecision | null>
  /** Per image, sorted by digest. */
  forecasts: ImageForecast[]
}

const time = (iso: string): number => Date.parse(iso)

/** The image's storage class for rule selection; undefined while it is being restored. */
function storageClassOf(image: LiveImage): 'standard' | 'archive' | undefined {
  if (image.status === 'ARCHIVED') return 'archive'
  if (image.status === 'ACTIVATING') return undefined
  return 'standard'
}

/** Whether the rule's tag requirements hold: every list entry must match at least one tag (AND). */
export function matchesTagSelection(rule: LifecycleRule, tags: readonly string[]): boolean {
  const {tagStatus, tagPatternList, tagPrefixList} = rule.selection
  if (tagStatus === 'any') return true
  if (tagStatus === 'untagged') return tags.length === 0
  if (tags.length === 0) return false
  if (tagPatternList) return tagPatternList.every((pattern) => tags.some((tag) => globMatches(pattern, tag)))
  if (tagPrefixList) return tagPrefixList.every((prefix) => tags.some((tag) => tag.startsWith(prefix)))
  return false
}

/** Whether a rule identifies the image: its storage class and its tag requirements. */
export function ruleIdentifies(rule: LifecycleRule, image: LiveImage): boolean {
  const storageClass = storageClassOf(image)
  return storageClass !== undefined && ruleStorageClass(rule) === storageClass && matchesTagSelection(rule, image.tags)
}

/** The time a since-rule measures from. */
export function sinceReferenceTime(rule: LifecycleRule, image: LiveImage): number {
  switch (rule.selection.countType) {
    case 'sinceImagePulled': {
      const pulled = image.lastPulledAt === undefined ? undefined : time(image.lastPulledAt)
      const activated = image.lastActivatedAt === undefined ? undefined : time(image.lastActivatedAt)
      if (activated !== undefined && (pulled === undefined || pulled < activated)) return activated
      return pulled ?? time(image.pushedAt)
    }
    case 'sinceImageTransitioned':
      // Missing lastArchivedAt: push time is a lower bound, so the forecast errs towards "sooner".
      return time(image.lastArchivedAt ?? image.pushedAt)
    default:
      return time(image.pushedAt)
  }
}

/** Days an image must exceed under a since-rule before the rule acts. */
function sinceThresholdMs(rule: LifecycleRule): number {
  const days = rule.selection.countType === 'sinceImageTransitioned' && rule.action.type === 'expire'
    ? Math.max(rule.selection.countNumber, ARCHIVE_MINIMUM_DAYS)
    : rule.selection.countNumber
  return days * DAY_MS
}

/** Newest first by push time; ties broken by digest so the order is total and reproducible. */
export function byPushTimeNewestFirst(a: LiveImage, b: LiveImage): number {
  return time(b.pushedAt) - time(a.pushedAt) || compareStrings(a.digest, b.digest)
}

/**
 * Images no rule may act on at all: children of an image index present in the repository (not
 * archived), and referrers whose subject is present (they follow the subject instead; `subjects`
 * maps each to it). Only the edges ECR itself knows count: a cosign `.sig` tag is an ordinary tag
 * to ECR, so tag rules do act on such a signature, and counting it as a referrer would hide a
 * conflict with a kept one.
 */
function shieldedImages(images: readonly LiveImage[]): {shielded: Map<string, ShieldReason>; subjects: Map<string, string>} {
  const present = new Set(images.map((image) => image.digest))
  const shielded = new Map<string, ShieldReason>()
  const subjects = new Map<string, string>()
  const edges = new Map(images.map((image) => [image.digest, imageEdges(image)]))
  for (const image of images) {
    if (image.status === 'ARCHIVED') continue
    for (const child of edges.get(image.digest)!.children) shielded.set(child, 'indexChild')
  }
  for (const image of images) {
    const subject = ecrSubject(edges.get(image.digest)!)
    if (subject !== undefined && present.has(subject) && !shielded.has(image.digest)) {
      shielded.set(image.digest, 'referrer')
      subjects.set(image.digest, subject)
    }
  }
  for (const image of images) if (image.status === 'ACTIVATING' && !shielded.has(image.digest)) shielded.set(image.digest, 'activating')
  return {shielded, subjects}
}

const actionOf = (rule: LifecycleRule): LifecycleAction => (rule.action.type === 'transition' ? 'transition' : 'expire')

/**
 * Evaluates a policy over one repository's images at `now`.
 *
 * Every rule identifies images (storage class + tag requirements); each image belongs to the first
 * rule in priority order that identifies it and only that rule may act on it. A count rule ranks all
 * the images it identifies, including those that belong to earlier rules (they keep their slots),
 * newest push first, and marks those past countNumber; a since rule marks those older than
 * countNumber days. An image is acted on when the rule it belongs to marks it.
 */
export function evaluateLifecyclePolicy(policy: LifecyclePolicyDoc, images: readonly LiveImage[], now: Date): LifecycleEvaluation {
  const nowMs = now.getTime()
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority)
  const {shielded, subjects} = shieldedImages(images)
  const candidates = images.filter((image) => !shielded.has(image.digest))

  const owner = new Map<string, LifecycleRule>()
  for (const image of candidates) {
    const rule = rules.find((candidate) => ruleIdentifies(candidate, image))
    if (rule) owner.set(image.digest, rule)
  }

  const forecasts = new Map<string, ImageForecast>()
  for (const image of images) {
    const shieldedAs = shielded.get(image.digest)
    forecasts.set(image.digest, {digest: image.digest, now: null, ...(shieldedAs ? {shieldedAs} : {})})
  }

  for (const rule of rules) {
    const identified = candidates.filter((image) => ruleIdentifies(rule, image))
    const own = (image: LiveImage): boolean => owner.get(image.digest) === rule
    const decision: LifecycleDecision = {rulePriority: rule.rulePriority, action: actionOf(rule)}
    const claimedBy = {rulePriority: rule.rulePriority, action: decision.action, countType: rule.selection.countType}
    if (rule.selection.countType === 'imageCountMoreThan') {
      const ranked = [...identified].sort(byPushTimeNewestFirst)
      for (const [rank, image] of ranked.entries()) {
        if (!own(image)) continue
        const forecast = forecasts.get(image.digest)!
        forecast.claimedBy = claimedBy
        if (rank >= rule.selection.countNumber) forecast.now = decision
        else forecast.afterPushes = rule.selection.countNumber - rank
      }
    } else {
      const threshold = sinceThresholdMs(rule)
      for (const image of identified) {
        if (!own(image)) continue
        const forecast = forecasts.get(image.digest)!
        forecast.claimedBy = claimedBy
        const reference = sinceReferenceTime(rule, image)
        // "Older than N days": strictly more than N whole days (ECR guide, all-images example B).
        if (nowMs - reference > threshold) forecast.now = decision
        else forecast.at = new Date(reference + threshold + 1).toISOString()
      }
    }
  }

  // Referrers go with their subject when the subject is expired or archived.
  for (const [referrer, subject] of subjects) {
    const subjectDecision = forecasts.get(subject)?.now
    if (subjectDecision) forecasts.get(referrer)!.now = {...subjectDecision, withSubject: subject}
  }

  const sorted = [...forecasts.values()].sort((a, b) => compareStrings(a.digest, b.digest))
  return {decisions: new Map(sorted.map((forecast) => [forecast.digest, forecast.now])), forecasts: sorted}
}

/** The near-expiry figures the plan shows per repository. */
export function lifecycleFigures(evaluation: LifecycleEvaluation, now: Date, pushWindow = 10, dayWindow = 7): LifecycleFigures {
  const horizon = now.getTime() + dayWindow * DAY_MS
  let expireNow = 0
  let transitionNow = 0
  let withinPushes = 0
  let withinDays = 0
  for (const forecast of evaluation.forecasts) {
    if (forecast.now?.action === 'expire') expireNow++
    else if (forecast.now?.action === 'transition') transitionNow++
    else if (forecast.afterPushes !== undefined && forecast.afterPushes <= pushWindow) withinPushes++
    else if (forecast.at !== undefined && time(forecast.at) <= horizon) withinDays++
  }
  return {expireNow, transitionNow, withinPushes, withinDays, pushWindow, dayWindow}
}
