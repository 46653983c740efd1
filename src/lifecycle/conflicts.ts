/**
 * Lifecycle conflicts: a policy that would expire, now or later, an image the desired state keeps.
 * Every kept image that belongs to an expiring rule conflicts (a count rule reaches it once enough
 * newer images are pushed, a since rule once it is old enough), as does one a transition rule
 * archives and an archive rule then expires. Each conflict gets a fix: protective rules ahead of
 * the policy's own, which is re-evaluated to prove the fix removes the conflict. A policy shared by
 * several repositories gets one fix, the union of their protective rules, re-evaluated in each.
 */
import {stringify as toYaml} from 'yaml'
import type {LifecyclePolicyDoc, LifecycleRule} from '../model/desired.js'
import {ARCHIVE_MINIMUM_DAYS, MAX_WILDCARDS_PER_PATTERN} from '../model/ecr-facts.js'
import type {LifecycleConflictRecord, LifecycleWhen} from '../model/lifecycle-report.js'
import type {Reason} from '../model/plan.js'
import type {LiveImage} from '../model/snapshot.js'
import {globMatches} from '../util/glob.js'
import {compareStrings} from '../util/order.js'
import {plural} from '../util/words.js'
import {evaluateLifecyclePolicy, ruleIdentifies} from './evaluate.js'
import {validateLifecyclePolicy} from './validate.js'

/** A count no real repository reaches (ECR's quota is 100,000 images, one tag names one image). */
export const PROTECTIVE_COUNT = 9999
/** Archived images: an age no archived image reaches. */
export const PROTECTIVE_ARCHIVE_DAYS = 36_500

/**
 * A rule whose threshold no real repository reaches: a count of at least PROTECTIVE_COUNT images
 * (the guide's own protecting example uses 9999) or an age of at least PROTECTIVE_ARCHIVE_DAYS.
 * Its eventual action is not a conflict; that is what makes a protective rule protective.
 */
export function isProtectiveRule(rule: LifecycleRule): boolean {
  return rule.selection.countType === 'imageCountMoreThan'
    ? rule.selection.countNumber >= PROTECTIVE_COUNT
    : rule.selection.countNumber >= PROTECTIVE_ARCHIVE_DAYS
}

export interface ProtectedImage {
  image: LiveImage
  /** Why the desired state keeps it: the plan's protecting reasons. */
  keptBecause: Reason[]
  /** Tag globs of the keep rules that keep it; the fix protects these rather than single tags. */
  keepTagGlobs?: string[]
}

export interface LifecycleFix {
  /** The protective rules, first in the fixed policy. */
  protectiveRules: LifecycleRule[]
  /** The whole fixed policy (the original rules renumbered after the protective ones if needed). */
  policy: LifecyclePolicyDoc
  /** YAML to paste as the repository entry's `lifecycle:`. */
  yaml: string
  /** Conflicts no tag rule can fix (untagged kept images): accept them or tag the image. */
  unfixable: LifecycleConflictRecord[]
  /** True when re-evaluating the fixed policy leaves only the unfixable conflicts. */
  verified: boolean
}

export interface LifecycleConflictReport {
  /** Conflicts not accepted by the desired state: plan refuses. */
  conflicts: LifecycleConflictRecord[]
  accepted: LifecycleConflictRecord[]
  /** Present when there are unaccepted conflicts. */
  fix?: LifecycleFix
}


function whenText(when: LifecycleWhen): string {
  switch (when.kind) {
    case 'now':
      return 'now (at the evaluation time)'
    case 'afterPushes':
      return `once ${plural(when.pushes, 'newer image')} the rule selects ${when.pushes === 1 ? 'is' : 'are'} pushed`
    case 'at':
      return `on ${when.at.slice(0, 10)} (${when.at})`
    case 'afterArchive':
      return `after rule ${when.transitionRulePriority} archives it, at least ${when.archiveMinimumDays} days later`
  }
}

/** The kept images the policy would expire, when, and by which rule. */
export function conflictsOf(policy: LifecyclePolicyDoc, images: readonly LiveImage[], kept: readonly ProtectedImage[], now: Date): LifecycleConflictRecord[] {
  const evaluation = evaluateLifecyclePolicy(policy, images, now)
  const forecasts = new Map(evaluation.forecasts.map((forecast) => [forecast.digest, forecast]))
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority)
  const byPriority = new Map(rules.map((rule) => [rule.rulePriority, rule]))
  const out: LifecycleConflictRecord[] = []
  for (const {image, keptBecause} of kept) {
    const forecast = forecasts.get(image.digest)
    if (!forecast || forecast.shieldedAs !== undefined) continue
    const record = (rulePriority: number, when: LifecycleWhen): LifecycleConflictRecord => ({
      rulePriority,
      imageDigest: image.digest,
      imageTags: [...image.tags],
      keptBecause,
      when,
      whenText: whenText(when),
    })
    if (forecast.now?.action === 'expire') {
      out.push(record(forecast.now.rulePriority, {kind: 'now'}))
      continue
    }
    const claim = forecast.claimedBy
    if (!claim) continue
    if (isProtectiveRule(byPriority.get(claim.rulePriority)!)) continue
    if (claim.action === 'expire') {
      if (forecast.afterPushes !== undefined) out.push(record(claim.rulePriority, {kind: 'afterPushes', pushes: forecast.afterPushes}))
      else if (forecast.at !== undefined) out.push(record(claim.rulePriority, {kind: 'at', at: forecast.at}))
      continue
    }
    // A transition: once archived, the first archive rule that identifies the image owns it.
    const archived: LiveImage = {...image, status: 'ARCHIVED', lastArchivedAt: now.toISOString()}
    const archiveOwner = rules.find((rule) => ruleIdentifies(rule, archived))
    if (archiveOwner?.action.type === 'expire' && !isProtectiveRule(archiveOwner)) {
      out.push(record(archiveOwner.rulePriority, {kind: 'afterArchive', transitionRulePriority: claim.rulePriority, archiveMinimumDays: Math.max(ARCHIVE_MINIMUM_DAYS, archiveOwner.selection.countNumber)}))
    }
  }
  return out.sort((a, b) => compareStrings(a.imageDigest, b.imageDigest) || a.rulePriority - b.rulePriority)
}

/** The accepting entry: an exact digest, or a glob matching one of the image's tags. */
export function acceptingEntry(conflict: Pick<LifecycleConflictRecord, 'imageDigest' | 'imageTags'>, accept: readonly string[]): string | undefined {
  return accept.find((entry) => entry === conflict.imageDigest || conflict.imageTags.some((tag) => globMatches(entry, tag)))
}

/** Globs that select a kept image: its keep rules' tag globs that match one of its tags, else its tags. */
function protectiveGlobs(kept: ProtectedImage): string[] {
  const tags = kept.image.tags
  if (tags.length === 0) return []
  const fromRules = (kept.keepTagGlobs ?? []).filter(
    (glob) => glob.split('*').length - 1 <= MAX_WILDCARDS_PER_PATTERN && tags.some((tag) => globMatches(glob, tag)),
  )
  return fromRules.length > 0 ? [...new Set(fromRules)].sort() : [[...tags].sort()[0] as string]
}

function protectiveRule(glob: string, archived: boolean): Omit<LifecycleRule, 'rulePriority'> {
  const description = `ecrctl: never expire kept images tagged ${glob}`
  if (archived) {
    return {
      description,
      selection: {tagStatus: 'tagged', tagPatternList: [glob], storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: PROTECTIVE_ARCHIVE_DAYS},
      action: {type: 'expire'},
    }
  }
  return {
    description,
    selection: {tagStatus: 'tagged', tagPatternList: [glob], countType: 'imageCountMoreThan', countNumber: PROTECTIVE_COUNT},
    action: {type: 'expire'},
  }
}

/** Puts `protective` first (priorities 1..k) and shifts the policy's rules only when they would collide. */
export function withProtectiveRules(policy: LifecyclePolicyDoc, protective: ReadonlyArray<Omit<LifecycleRule, 'rulePriority'>>): LifecyclePolicyDoc {
  const original = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority)
  const k = protective.length
  const lowest = original[0]?.rulePriority ?? Number.POSITIVE_INFINITY
  const shift = lowest > k ? 0 : k
  return {
    rules: [
      ...protective.map((rule, index) => ({rulePriority: index + 1, ...rule})),
      ...original.map((rule) => ({...rule, rulePriority: rule.rulePriority + shift})),
    ],
  }
}

/** One repository a policy governs, as the plan leaves it: the input of a fix shared by every such repository. */
export interface GovernedRepository {
  repository: string
  /** The repository after the plan (every image the plan keeps, for count ranking). */
  images: readonly LiveImage[]
  /** The subset the desired state protects. */
  kept: readonly ProtectedImage[]
  /** The acceptLifecycleConflicts of the entries matching the repository. */
  accept: readonly string[]
}

export interface SharedLifecycleFix {
  /** The protective rules (the union over every repository), first in the fixed policy. */
  protectiveRules: LifecycleRule[]
  policy: LifecyclePolicyDoc
  /** YAML to paste as the declaring entry's `lifecycle:`. */
  yaml: string
  /** Conflicts no tag rule can fix (untagged kept images), by repository. */
  unfixable: Array<{repository: string; conflict: LifecycleConflictRecord}>
  /** Repositories where the fixed policy still expires a kept image other than an unfixable one. */
  unresolved: string[]
  /** ECR's objections to the fixed policy (e.g. more than 50 rules) when it has more than the original policy. */
  violations: string[]
  /** True when the fixed policy is valid and, re-evaluated in every repository, leaves only the unfixable conflicts. */
  verified: boolean
}

const unaccepted = (policy: LifecyclePolicyDoc, repository: GovernedRepository, now: Date): LifecycleConflictRecord[] =>
  conflictsOf(policy, repository.images, repository.kept, now).filter((conflict) => acceptingEntry(conflict, repository.accept) === undefined)

/**
 * One fix for a policy shared by several repositories (one desired-state entry declaring the
 * lifecycle of `spaceport/*`): the union of the protective rules each repository needs, verified
 * by re-evaluating the fixed policy against every repository given, including those without
 * conflicts, so that pasting it once fixes them all. Undefined when no repository conflicts.
 */
export function sharedLifecycleFix(policy: LifecyclePolicyDoc, repositories: readonly GovernedRepository[], now: Date): SharedLifecycleFix | undefined {
  const protective = new Map<string, Omit<LifecycleRule, 'rulePriority'>>()
  const unfixable: SharedLifecycleFix['unfixable'] = []
  for (const repository of repositories) {
    const keptByDigest = new Map(repository.kept.map((entry) => [entry.image.digest, entry]))
    for (const conflict of unaccepted(policy, repository, now)) {
      const entry = keptByDigest.get(conflict.imageDigest)!
      const globs = protectiveGlobs(entry)
      if (globs.length === 0) {
        unfixable.push({repository: repository.repository, conflict})
        continue
      }
      const archived = entry.image.status === 'ARCHIVED'
      for (const glob of globs) protective.set(`${archived ? 'archive' : 'standard'}|${glob}`, protectiveRule(glob, archived))
    }
  }
  if (protective.size === 0 && unfixable.length === 0) return undefined
  const ordered = [...protective.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, rule]) => rule)
  const fixed = withProtectiveRules(policy, ordered)
  const unresolved: string[] = []
  for (const repository of repositories) {
    const unfixableHere = new Set(unfixable.filter((item) => item.repository === repository.repository).map((item) => item.conflict.imageDigest))
    if (unaccepted(fixed, repository, now).some((conflict) => !unfixableHere.has(conflict.imageDigest))) unresolved.push(repository.repository)
  }
  // A policy ECR would already reject (a live one our validator is stricter about) is judged only on what the fix adds.
  const objections = validateLifecyclePolicy(fixed).map((violation) => violation.message)
  const violations = objections.length > validateLifecyclePolicy(policy).length ? objections : []
  return {
    protectiveRules: fixed.rules.slice(0, ordered.length),
    policy: fixed,
    yaml: toYaml({lifecycle: fixed}),
    unfixable,
    unresolved,
    violations,
    verified: unresolved.length === 0 && violations.length === 0,
  }
}

function buildFix(policy: LifecyclePolicyDoc, images: readonly LiveImage[], kept: readonly ProtectedImage[], accept: readonly string[], now: Date): LifecycleFix {
  const shared = sharedLifecycleFix(policy, [{repository: '', images, kept, accept}], now)!
  return {
    protectiveRules: shared.protectiveRules,
    policy: shared.policy,
    yaml: shared.yaml,
    unfixable: shared.unfixable.map((item) => item.conflict),
    verified: shared.verified,
  }
}

/**
 * Conflicts between a policy and the images the desired state keeps. `images` is the repository
 * as it will be after the plan (every image the plan keeps, for count ranking); `kept` the subset
 * the desired state protects (not those kept only by the grace period); `accept` the entry's
 * acceptLifecycleConflicts.
 */
export function findLifecycleConflicts(
  policy: LifecyclePolicyDoc,
  images: readonly LiveImage[],
  kept: readonly ProtectedImage[],
  now: Date,
  accept: readonly string[] = [],
): LifecycleConflictReport {
  const all = conflictsOf(policy, images, kept, now)
  const conflicts: LifecycleConflictRecord[] = []
  const accepted: LifecycleConflictRecord[] = []
  for (const conflict of all) {
    const by = acceptingEntry(conflict, accept)
    if (by === undefined) conflicts.push(conflict)
    else accepted.push({...conflict, acceptedBy: by})
  }
  const report: LifecycleConflictReport = {conflicts, accepted}
  if (conflicts.length > 0) report.fix = buildFix(policy, images, kept, accept, now)
  return report
}

