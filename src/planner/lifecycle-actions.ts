/**
 * The lifecycle part of planning one managed repository: the put/delete action that makes the live
 * policy equal the desired one, and the safety check that no policy (the desired one, or the live
 * one when the desired state leaves lifecycle unmanaged — it is the one that will run) would
 * expire an image the desired state keeps. Pure; the planner calls `assessRepositoryLifecycle` once
 * per managed repository, then `lifecycleConflictRefusals` once: conflicts are reported per entry
 * declaring the policy, with one fix that works in every repository the entry governs.
 */
import {EcrctlError} from '../errors.js'
import type {KeepRule, LifecyclePolicyDoc, RepositoryEntry} from '../model/desired.js'
import type {LifecycleConflictRecord, LifecycleRepositoryReport} from '../model/lifecycle-report.js'
import type {DeleteLifecyclePolicyAction, KeptImage, LifecycleDeclaration, PlanWarning, PutLifecyclePolicyAction, ReasonCode} from '../model/plan.js'
import type {LiveImage, LiveRepository} from '../model/snapshot.js'
import {canonicalPolicyText, parsePolicyText, policyDocToEcrJson} from '../lifecycle/canonical.js'
import {findLifecycleConflicts, type GovernedRepository, type ProtectedImage, sharedLifecycleFix} from '../lifecycle/conflicts.js'
import {evaluateLifecyclePolicy, lifecycleFigures} from '../lifecycle/evaluate.js'
import {shortDigest} from '../util/short-digest.js'
import {reasonSummary} from './reason-summary.js'
import {plural, tagsText} from '../util/words.js'

/** Reasons that mean "the desired state wants this image"; the grace period alone does not. */
const PROTECTING_REASONS: ReadonlySet<ReasonCode> = new Set(['keepRule', 'indexChild', 'referrerOfKept', 'subjectOfKept'])

export interface RepositoryLifecyclePlan {
  action?: PutLifecyclePolicyAction | DeleteLifecyclePolicyAction
  /** Absent when the policy conflicts (the plan is refused then) or was not evaluated. */
  report?: LifecycleRepositoryReport
  warnings: PlanWarning[]
  /** Present when the policy was evaluated against the repository's images. */
  check?: LifecyclePolicyCheck
}

export interface RepositoryImageDecisions {
  /** Images the plan keeps in this repository. */
  kept: readonly KeptImage[]
  /** False when the plan does not decide this repository's images (lifecycle-only entries). */
  imagesManaged: boolean
}

const where = (entry: RepositoryEntry): string => {
  const source = entry.lifecycleSource ?? entry.source
  return `${source.file}:${source.line}`
}

function declaringEntry(repository: string, entries: readonly RepositoryEntry[]): RepositoryEntry | undefined {
  const declaring = entries.filter((entry) => entry.lifecycle !== undefined)
  if (declaring.length > 1) {
    throw new EcrctlError(
      `Repository ${repository} gets its lifecycle policy from ${declaring.length} desired-state entries: ${declaring.map((entry) => `"${entry.pattern}" (${where(entry)})`).join(' and ')}.`,
      {detail: 'A repository has one lifecycle policy, so only one matching entry may declare `lifecycle`.', nextSteps: ['Remove `lifecycle` from all but one of these entries, or narrow their repository patterns.']},
    )
  }
  return declaring[0]
}

function lifecycleAction(repository: LiveRepository, entry: RepositoryEntry): PutLifecyclePolicyAction | DeleteLifecyclePolicyAction | undefined {
  const before = canonicalPolicyText(repository.lifecyclePolicy)
  const source = entry.lifecycleSource ?? entry.source
  const declaredBy: LifecycleDeclaration = {entry: entry.pattern, file: source.file, line: source.line}
  if (entry.lifecycle === 'none') {
    if (before === null) return undefined
    return {type: 'deleteLifecyclePolicy', repository: repository.name, before, declaredBy}
  }
  const after = policyDocToEcrJson(entry.lifecycle as LifecyclePolicyDoc)
  if (before === after) return undefined
  return {type: 'putLifecyclePolicy', repository: repository.name, before, after, declaredBy}
}

function protectedImages(repository: LiveRepository, entries: readonly RepositoryEntry[], kept: readonly KeptImage[]): ProtectedImage[] {
  const rulesByLabel = new Map<string, KeepRule>()
  for (const entry of entries) for (const rule of entry.keep) rulesByLabel.set(rule.label, rule)
  const images = new Map(repository.images.map((image) => [image.digest, image]))
  const out: ProtectedImage[] = []
  for (const keptImage of kept) {
    const image = images.get(keptImage.imageDigest)
    const reasons = keptImage.reasons.filter((reason) => PROTECTING_REASONS.has(reason.code))
    if (!image || reasons.length === 0) continue
    const globs = reasons.flatMap((reason) => (reason.code === 'keepRule' ? (rulesByLabel.get(reason.rule)?.tags ?? []) : []))
    out.push({image, keptBecause: reasons, ...(globs.length > 0 ? {keepTagGlobs: globs} : {})})
  }
  return out
}

const describeImage = (conflict: LifecycleConflictRecord): string => `${shortDigest(conflict.imageDigest)} (${tagsText(conflict.imageTags)})`

/**
 * What the lifecycle check of one repository needs to be repeated with another policy: set for
 * every repository whose policy was evaluated, conflicting or not, so that a fix shared by all
 * the repositories one entry governs can be verified against each of them.
 */
export interface LifecyclePolicyCheck {
  governed: GovernedRepository
  policySource: 'desired' | 'live'
  /** The entry declaring the policy (desired), or undefined (live policy, lifecycle unmanaged). */
  declaringEntry?: RepositoryEntry
  /** Where the user would paste a fix: the declaring entry, else the first matching entry. */
  pasteTarget: RepositoryEntry
  policy: LifecyclePolicyDoc
  /** The unaccepted conflicts; the plan is refused when any check has some. */
  conflicts: LifecycleConflictRecord[]
}

interface ConflictGroup {
  checks: LifecyclePolicyCheck[]
}

/** One group per declaring entry (desired policies), or per repository (live policies). */
function groupByPolicyOwner(checks: readonly LifecyclePolicyCheck[]): ConflictGroup[] {
  const groups = new Map<RepositoryEntry | string, ConflictGroup>()
  for (const check of checks) {
    const owner = check.declaringEntry ?? `live:${check.governed.repository}`
    const group = groups.get(owner) ?? {checks: []}
    group.checks.push(check)
    groups.set(owner, group)
  }
  return [...groups.values()]
}

function groupRefusal(group: ConflictGroup, now: Date): EcrctlError {
  const [first] = group.checks as [LifecyclePolicyCheck]
  const {policy, policySource, pasteTarget} = first
  const conflicting = group.checks.filter((check) => check.conflicts.length > 0)
  const conflictCount = conflicting.reduce((sum, check) => sum + check.conflicts.length, 0)
  const repositories = conflicting.map((check) => check.governed.repository)
  const ruleName = (priority: number): string => {
    const rule = policy.rules.find((candidate) => candidate.rulePriority === priority)
    return rule?.description ? `rule ${priority} ("${rule.description}")` : `rule ${priority}`
  }
  const which =
    policySource === 'desired'
      ? `The desired lifecycle policy of entry "${pasteTarget.pattern}" (${where(pasteTarget)})`
      : `The live lifecycle policy of ${repositories[0]} (lifecycle is not managed by the desired state, so this policy keeps running)`
  const inRepositories = policySource === 'desired' ? ` in ${repositories.length === 1 ? repositories[0] : `${repositories.length} repositories: ${repositories.join(', ')}`}` : ''
  const summary = `${which} would expire ${conflictCount === 1 ? 'an image' : plural(conflictCount, 'image')} the desired state keeps${inRepositories}.`

  const detail: string[] = []
  for (const check of conflicting) {
    if (conflicting.length > 1 || policySource === 'desired') detail.push(`${check.governed.repository} (${plural(check.conflicts.length, 'image')}):`)
    for (const conflict of check.conflicts) {
      detail.push(`- ${ruleName(conflict.rulePriority)} would expire ${describeImage(conflict)} ${conflict.whenText}; the desired state keeps it: ${reasonSummary(conflict.keptBecause)}.`)
    }
  }
  const paste = `the \`lifecycle:\` of entry "${pasteTarget.pattern}" (${where(pasteTarget)})`
  const fix = sharedLifecycleFix(policy, group.checks.map((check) => check.governed), now)
  if (fix && fix.protectiveRules.length > 0) {
    const governed = group.checks.map((check) => check.governed.repository)
    const checkedIn = governed.length === 1 ? governed[0] : `each of the ${governed.length} repositories the entry governs (${governed.join(', ')})`
    const caveats = [
      ...(fix.unresolved.length > 0 ? [`it still expires kept images in ${fix.unresolved.join(', ')}`] : []),
      ...fix.violations.map((violation) => `ECR would reject it: ${violation}`),
    ]
    const verdict = fix.verified ? `checked by re-evaluating the fixed policy in ${checkedIn}` : `NOT verified (${caveats.join('; ')}), review it`
    detail.push(`Fix: protective rules ahead of the policy's own, ${verdict}. Paste as ${paste}:\n${fix.yaml.trimEnd()}`)
  }
  if (fix && fix.unfixable.length > 0) {
    const images = fix.unfixable.map(({repository, conflict}) => `${repository} ${describeImage(conflict)}`)
    detail.push(`ECR selects images only by tag, so no rule can protect ${images.join(', ')}: tag it and protect the tag, or accept the conflict.`)
  }
  const acceptExample = [...new Set(conflicting.flatMap((check) => check.conflicts.map((conflict) => conflict.imageTags[0] ?? conflict.imageDigest)))]
  return new EcrctlError(summary, {
    detail: `\n${detail.join('\n')}\n`,
    nextSteps: [`Apply the fix above, or accept the risk explicitly with \`acceptLifecycleConflicts: ${JSON.stringify(acceptExample)}\` in ${paste.replace('the `lifecycle:` of ', '')}.`],
  })
}

/**
 * The refusals for the lifecycle checks of a plan: one per entry declaring a conflicting policy
 * (listing every repository it conflicts in, with one fix verified against every repository the
 * entry governs), and one per repository whose live policy conflicts. Empty when nothing conflicts.
 */
export function lifecycleConflictRefusals(plans: readonly RepositoryLifecyclePlan[], now: Date): EcrctlError[] {
  const checks = plans.flatMap((plan) => (plan.check ? [plan.check] : []))
  return groupByPolicyOwner(checks)
    .filter((group) => group.checks.some((check) => check.conflicts.length > 0))
    .map((group) => groupRefusal(group, now))
}

/**
 * Plans the lifecycle policy of one managed repository without refusing conflicts: they are in
 * `check.conflicts`, for `lifecycleConflictRefusals` to report once per declaring entry. Throws
 * an EcrctlError when two matching entries declare `lifecycle`.
 */
export function assessRepositoryLifecycle(
  repository: LiveRepository,
  entries: readonly RepositoryEntry[],
  decisions: RepositoryImageDecisions,
  now: Date,
): RepositoryLifecyclePlan {
  const entry = declaringEntry(repository.name, entries)
  const warnings: PlanWarning[] = []
  const action = entry ? lifecycleAction(repository, entry) : undefined

  let policy: LifecyclePolicyDoc | undefined
  let policySource: 'desired' | 'live' = 'desired'
  if (entry) {
    if (entry.lifecycle !== 'none') policy = entry.lifecycle
  } else if (repository.lifecyclePolicy !== null) {
    policySource = 'live'
    const parsed = parsePolicyText(repository.lifecyclePolicy)
    if ('doc' in parsed) policy = parsed.doc
    else warnings.push({repository: repository.name, message: `the live lifecycle policy could not be read (${parsed.error}), so ecrctl cannot check it against the kept images`})
  }
  const result: RepositoryLifecyclePlan = {warnings}
  if (action) result.action = action
  if (!policy || !repository.imagesRead) return result

  // The repository as it will be after the plan: the kept images (all of them when the plan does
  // not decide images).
  const keptDigests = new Set(decisions.kept.map((image) => image.imageDigest))
  const remaining: LiveImage[] = decisions.imagesManaged ? repository.images.filter((image) => keptDigests.has(image.digest)) : [...repository.images]
  const protectedSet = decisions.imagesManaged ? protectedImages(repository, entries, decisions.kept) : []
  const accept = [...new Set(entries.flatMap((candidate) => candidate.acceptLifecycleConflicts ?? []))]
  const conflicts = findLifecycleConflicts(policy, remaining, protectedSet, now, accept)
  result.check = {
    governed: {repository: repository.name, images: remaining, kept: protectedSet, accept},
    policySource,
    pasteTarget: entry ?? entries[0]!,
    policy,
    conflicts: conflicts.conflicts,
    ...(entry ? {declaringEntry: entry} : {}),
  }
  if (conflicts.conflicts.length > 0) return result

  const evaluation = evaluateLifecyclePolicy(policy, remaining, now)
  const figures = lifecycleFigures(evaluation, now)
  const byDigest = new Map(remaining.map((image) => [image.digest, image]))
  result.report = {
    repository: repository.name,
    policy: policySource,
    actedOnNow: evaluation.forecasts
      .filter((forecast) => forecast.now !== null)
      .map((forecast) => ({imageDigest: forecast.digest, imageTags: [...(byDigest.get(forecast.digest)?.tags ?? [])], rulePriority: forecast.now!.rulePriority, action: forecast.now!.action})),
    withinPushes: figures.withinPushes,
    withinDays: figures.withinDays,
    pushWindow: figures.pushWindow,
    dayWindow: figures.dayWindow,
    acceptedConflicts: conflicts.accepted,
  }
  return result
}

/**
 * Plans the lifecycle policy of one repository on its own. Throws an EcrctlError when two matching
 * entries declare `lifecycle`, or when the policy that will run conflicts with kept images and the
 * desired state does not accept it (the fix is verified against this repository only; the planner
 * uses `assessRepositoryLifecycle` + `lifecycleConflictRefusals` to verify it against all).
 */
export function planRepositoryLifecycle(
  repository: LiveRepository,
  entries: readonly RepositoryEntry[],
  decisions: RepositoryImageDecisions,
  now: Date,
): RepositoryLifecyclePlan {
  const plan = assessRepositoryLifecycle(repository, entries, decisions, now)
  const [refusal] = lifecycleConflictRefusals([plan], now)
  if (refusal) throw refusal
  return plan
}
