/**
 * The lifecycle part of planning one managed repository: the put/delete action that makes the live
 * policy equal the desired one, and the safety check that no policy (the desired one, or the live
 * one when the desired state leaves lifecycle unmanaged — it is the one that will run) would
 * expire an image the desired state keeps. Pure; the planner calls `planRepositoryLifecycle` once
 * per managed repository.
 */
import {EcrctlError} from '../errors.js'
import type {KeepRule, LifecyclePolicyDoc, RepositoryEntry} from '../model/desired.js'
import type {LifecycleConflictRecord, LifecycleRepositoryReport} from '../model/lifecycle-report.js'
import type {DeleteLifecyclePolicyAction, KeptImage, PlanWarning, PutLifecyclePolicyAction, ReasonCode} from '../model/plan.js'
import type {LiveImage, LiveRepository} from '../model/snapshot.js'
import {canonicalPolicyText, parsePolicyText, policyDocToEcrJson} from './canonical.js'
import {findLifecycleConflicts, type ProtectedImage} from './conflicts.js'
import {evaluateLifecyclePolicy, lifecycleFigures} from './evaluate.js'

/** Reasons that mean "the desired state wants this image"; the grace period alone does not. */
const PROTECTING_REASONS: ReadonlySet<ReasonCode> = new Set(['keepRule', 'indexChild', 'referrerOfKept', 'subjectOfKept'])

export interface RepositoryLifecyclePlan {
  action?: PutLifecyclePolicyAction | DeleteLifecyclePolicyAction
  report?: LifecycleRepositoryReport
  warnings: PlanWarning[]
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
  const declared = `declared by desired-state entry "${entry.pattern}" (${where(entry)})`
  if (entry.lifecycle === 'none') {
    if (before === null) return undefined
    return {type: 'deleteLifecyclePolicy', repository: repository.name, before, reason: `lifecycle: none ${declared}`}
  }
  const after = policyDocToEcrJson(entry.lifecycle as LifecyclePolicyDoc)
  if (before === after) return undefined
  const reason = before === null ? `lifecycle policy ${declared}; the repository has none` : `lifecycle policy ${declared} differs from the live one`
  return {type: 'putLifecyclePolicy', repository: repository.name, before, after, reason}
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
    const globs = reasons.flatMap((reason) => (reason.rule ? (rulesByLabel.get(reason.rule)?.tags ?? []) : []))
    out.push({image, keptBecause: reasons.map((reason) => reason.message).join('; '), ...(globs.length > 0 ? {keepTagGlobs: globs} : {})})
  }
  return out
}

const short = (digest: string): string => digest.slice(0, 'sha256:'.length + 12)
const describeImage = (conflict: LifecycleConflictRecord): string =>
  `${short(conflict.imageDigest)}… (${conflict.imageTags.length > 0 ? conflict.imageTags.join(', ') : 'untagged'})`

function conflictError(repository: string, policySource: 'desired' | 'live', entry: RepositoryEntry | undefined, entries: readonly RepositoryEntry[], policy: LifecyclePolicyDoc, report: ReturnType<typeof findLifecycleConflicts>): EcrctlError {
  const {conflicts, fix} = report
  const ruleName = (priority: number): string => {
    const rule = policy.rules.find((candidate) => candidate.rulePriority === priority)
    return rule?.description ? `rule ${priority} ("${rule.description}")` : `rule ${priority}`
  }
  const lines = conflicts.map((conflict) => `- ${ruleName(conflict.rulePriority)} would expire ${describeImage(conflict)} ${conflict.whenText}; the desired state keeps it: ${conflict.keptBecause}.`)
  const which = policySource === 'desired' ? `The desired lifecycle policy of ${repository} (${where(entry!)})` : `The live lifecycle policy of ${repository} (lifecycle is not managed by the desired state, so this policy keeps running)`
  const target = entry ?? entries[0]!
  const paste = `the \`lifecycle:\` of entry "${target.pattern}" (${where(target)})`
  const detail: string[] = [lines.join('\n')]
  if (fix && fix.protectiveRules.length > 0) {
    detail.push(`Fix: protective rules ahead of the policy's own (checked by re-evaluating the fixed policy${fix.verified ? '' : ' — NOT fully verified, review it'}). Paste as ${paste}:\n${fix.yaml.trimEnd()}`)
  }
  if (fix && fix.unfixable.length > 0) {
    detail.push(`ECR selects images only by tag, so no rule can protect ${fix.unfixable.map(describeImage).join(', ')}: tag it and protect the tag, or accept the conflict.`)
  }
  const acceptExample = conflicts.map((conflict) => conflict.imageTags[0] ?? conflict.imageDigest)
  return new EcrctlError(`${which} would expire ${conflicts.length === 1 ? 'an image' : `${conflicts.length} images`} the desired state keeps.`, {
    detail: `\n${detail.join('\n')}\n`,
    nextSteps: [`Apply the fix above, or accept the risk explicitly with \`acceptLifecycleConflicts: ${JSON.stringify([...new Set(acceptExample)])}\` in ${paste.replace('the `lifecycle:` of ', '')}.`],
  })
}

/**
 * Plans the lifecycle policy of one managed repository. Throws an EcrctlError when two matching
 * entries declare `lifecycle`, or when the policy that will run conflicts with kept images and
 * the desired state does not accept it.
 */
export function planRepositoryLifecycle(
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
  if (conflicts.conflicts.length > 0) throw conflictError(repository.name, policySource, entry, entries, policy, conflicts)

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
