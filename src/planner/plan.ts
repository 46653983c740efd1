/**
 * The planner: desired state × live snapshot × evaluation time → an unsealed plan. Pure and
 * deterministic: no clock, no I/O, no dependence on input order; every array in the result is
 * sorted, so the same inputs give a deep-equal plan (and, once sealed, a byte-identical file).
 *
 * Whole-plan concerns live here (registry guard, managed vs unmanaged, warnings about the desired
 * state, totals); per-repository decisions live in ./repository.ts.
 */
import {compareStrings} from '../util/order.js'
import {savingsSummary} from '../graph/savings.js'
import {matchingEntries} from '../model/desired-entries.js'
import {EcrctlError} from '../errors.js'
import {PlanRefusedError, type RestOfPlan} from '../model/plan-refusal.js'
import type {DesiredState, RepositoryEntry} from '../model/desired.js'
import {
  type PlanAction,
  type PlanSummary,
  type PlanWarning,
  type KeptImage,
  type RepositorySummary,
  type UnsealedPlan,
  PLAN_FORMAT_VERSION,
  PLAN_KIND,
} from '../model/plan.js'
import type {LiveRepository, LiveSnapshot} from '../model/snapshot.js'
import {type CompiledEntry, compileEntry, managesImages, planRepository, type RepositoryPlan} from './repository.js'
import {isGlob} from '../util/glob.js'
import {closestKey} from '../util/did-you-mean.js'
import {assessRepositoryLifecycle, lifecycleConflictRefusals, type RepositoryLifecyclePlan} from './lifecycle-actions.js'

export interface PlanOptions {
  /** The evaluation time: ages, windows and grace periods are measured from it. */
  now: Date
  /** USD per decimal GB-month, for the savings estimate. */
  pricePerGbMonth: number
  ecrctlVersion: string
}

export function createPlan(desired: DesiredState, snapshot: LiveSnapshot, options: PlanOptions): UnsealedPlan {
  if (desired.inUse) {
    // Fail closed: a desired state that asks for in-use protection must not get a plan that ignores it.
    throw new EcrctlError('This desired state has an inUse section, which this version of ecrctl validates but does not yet act on.', {
      detail: 'Planning without reading the in-use sources could delete an image production runs.',
      nextSteps: ['Remove the inUse section and keep those images with keep rules, or wait for the release that reads in-use sources (docs/in-use.md).'],
    })
  }
  const nowMs = options.now.getTime()
  if (Number.isNaN(nowMs)) throw new EcrctlError('The evaluation time is not a valid date.', {nextSteps: ['Pass --now as ISO-8601, e.g. 2025-02-01T00:00:00Z.']})
  if (!(options.pricePerGbMonth >= 0)) {
    throw new EcrctlError(`The price per GB-month must be a number ≥ 0, got ${options.pricePerGbMonth}.`, {
      nextSteps: ['Pass --price-per-gb-month with a value such as 0.10.'],
    })
  }
  checkDesiredRegistry(desired, snapshot.registry)
  checkExactEntriesExist(desired, snapshot.repositories.map((repository) => repository.name))

  const evaluate = repositoryEvaluator(desired, options.now)
  const repositories = [...snapshot.repositories].sort((a, b) => compareStrings(a.name, b.name))
  checkUniqueNames(repositories.map((repository) => repository.name))

  const managedRepositories: string[] = []
  const unmanagedRepositories: string[] = []
  const repositoryPlans: RepositoryPlan[] = []
  const lifecyclePlans: RepositoryLifecyclePlan[] = []
  const lifecycleRefusals: EcrctlError[] = []
  const refusedRepositories = new Set<string>()
  for (const repository of repositories) {
    const evaluation = evaluate(repository)
    if (!evaluation.managed) {
      unmanagedRepositories.push(repository.name)
      continue
    }
    managedRepositories.push(repository.name)
    // Report every repository's lifecycle refusal at once, so one run shows every fix to make.
    if (evaluation.lifecycleRefusal) {
      lifecycleRefusals.push(evaluation.lifecycleRefusal)
      refusedRepositories.add(repository.name)
      continue
    }
    const {images: repositoryPlan, lifecycle: lifecyclePlan} = evaluation
    if (lifecyclePlan.action) repositoryPlan.summary.lifecycleChange = lifecyclePlan.action.type === 'putLifecyclePolicy' ? 'put' : 'delete'
    repositoryPlans.push(repositoryPlan)
    lifecyclePlans.push(lifecyclePlan)
  }

  // Conflicts are refused once per entry declaring the policy, with one fix for all its repositories.
  lifecycleRefusals.push(...lifecycleConflictRefusals(lifecyclePlans, options.now))
  for (const lifecyclePlan of lifecyclePlans) {
    if (lifecyclePlan.check && lifecyclePlan.check.conflicts.length > 0) refusedRepositories.add(lifecyclePlan.check.governed.repository)
  }
  const refusal = combinedRefusal(lifecycleRefusals)
  if (refusal) throw new PlanRefusedError(refusal, restOfPlan(repositoryPlans, refusedRepositories, options.pricePerGbMonth))

  const actions: PlanAction[] = []
  const kept: KeptImage[] = []
  const warnings: PlanWarning[] = []
  for (const plan of repositoryPlans) {
    for (const action of plan.deletions) actions.push(action)
    for (const image of plan.kept) kept.push(image)
    for (const warning of plan.warnings) warnings.push(warning)
  }
  for (const lifecyclePlan of lifecyclePlans) {
    if (lifecyclePlan.action) actions.push(lifecyclePlan.action)
    warnings.push(...lifecyclePlan.warnings)
  }
  actions.sort(byActionAddress)
  warnings.sort(byWarningAddress)

  const plan: UnsealedPlan = {
    kind: PLAN_KIND,
    formatVersion: PLAN_FORMAT_VERSION,
    ecrctlVersion: options.ecrctlVersion,
    evaluatedAt: options.now.toISOString(),
    registry: {accountId: snapshot.registry.accountId, region: snapshot.registry.region},
    desiredStateSha256: desired.sha256,
    desiredStateFiles: [...desired.files],
    managedRepositories,
    unmanagedRepositories,
    actions,
    kept,
    warnings,
    summary: summarize(repositoryPlans.map((p) => p.summary), options.pricePerGbMonth),
  }
  if (desired.defaults.maxDeletions !== undefined) plan.maxDeletions = desired.defaults.maxDeletions
  const lifecycleReports = lifecyclePlans.flatMap((lifecyclePlan) => (lifecyclePlan.report ? [lifecyclePlan.report] : []))
  if (lifecycleReports.length > 0) plan.lifecycle = lifecycleReports
  return plan
}

/** What the planner decides for one repository of the registry. */
export type RepositoryEvaluation =
  | {managed: false}
  | {managed: true; images: RepositoryPlan; lifecycle: RepositoryLifecyclePlan; lifecycleRefusal?: undefined}
  /** The lifecycle policy could not be planned (two entries declare one); the image decisions stand. */
  | {managed: true; images: RepositoryPlan; lifecycle?: undefined; lifecycleRefusal: EcrctlError}

/**
 * Decides one repository: its images (keep rules, grace period, image graph) and its lifecycle
 * policy (the action, and the check against the kept images, whose conflicts the caller refuses).
 * Entries are compiled once per evaluator, so `createPlan` shares them across repositories.
 */
function repositoryEvaluator(desired: DesiredState, now: Date): (repository: LiveRepository) => RepositoryEvaluation {
  const compiled = new Map<RepositoryEntry, CompiledEntry>(desired.entries.map((entry) => [entry, compileEntry(entry)]))
  const context = {nowMs: now.getTime(), defaultGracePeriodMs: desired.defaults.gracePeriodMs}
  return (repository) => {
    const entries = matchingEntries(desired, repository.name)
    if (entries.length === 0) return {managed: false}
    if (!repository.imagesRead && entries.some(managesImages)) throw imagesNotRead(repository.name, desired)
    const images = planRepository(repository, entries.map((entry) => compiled.get(entry) as CompiledEntry), context)
    try {
      const decisions = {kept: images.kept, imagesManaged: images.summary.imagesManaged !== false}
      return {managed: true, images, lifecycle: assessRepositoryLifecycle(repository, entries, decisions, now)}
    } catch (error) {
      if (!(error instanceof EcrctlError)) throw error
      return {managed: true, images, lifecycleRefusal: error}
    }
  }
}

/**
 * The planner's decisions for some repositories on their own, as apply re-derives a plan's actions
 * at the time it acts: the same evaluation `createPlan` makes, with a lifecycle policy that would
 * expire kept images as `lifecycleRefusal` (its fix verified against that repository only) rather
 * than a refusal of the whole plan. Refuses a desired state that names another registry.
 */
export function evaluateRepositories(
  desired: DesiredState,
  registry: LiveSnapshot['registry'],
  repositories: readonly LiveRepository[],
  now: Date,
): Map<string, RepositoryEvaluation> {
  checkDesiredRegistry(desired, registry)
  const evaluate = repositoryEvaluator(desired, now)
  const evaluations = new Map<string, RepositoryEvaluation>()
  for (const repository of repositories) {
    const evaluation = evaluate(repository)
    const [conflict] = evaluation.managed && evaluation.lifecycle ? lifecycleConflictRefusals([evaluation.lifecycle], now) : []
    evaluations.set(repository.name, conflict && evaluation.managed ? {managed: true, images: evaluation.images, lifecycleRefusal: conflict} : evaluation)
  }
  return evaluations
}

/** Totals over the repository summaries; the saving estimate uses unique bytes when every needed manifest was read. */
export function summarize(repositories: RepositorySummary[], pricePerGbMonth: number): PlanSummary {
  let imagesDeleted = 0
  let imagesKept = 0
  let lifecyclePolicyChanges = 0
  for (const summary of repositories) {
    imagesDeleted += summary.imagesDeleted
    imagesKept += summary.imagesKept
    if (summary.lifecycleChange !== undefined) lifecyclePolicyChanges += 1
  }
  // Savings (sum of sizes, unique bytes, estimate and its basis): src/graph/savings.ts.
  const savings = savingsSummary(repositories, pricePerGbMonth)
  const summary: PlanSummary = {
    repositories,
    imagesDeleted,
    imagesKept,
    bytesDeleted: savings.bytesDeleted,
    lifecyclePolicyChanges,
    pricePerGbMonth,
    estimatedMonthlySavingsUsd: savings.estimatedMonthlySavingsUsd,
  }
  if (savings.uniqueBytesFreed !== undefined) summary.uniqueBytesFreed = savings.uniqueBytesFreed
  if (savings.estimateBasis !== undefined) summary.estimateBasis = savings.estimateBasis
  return summary
}

/** What a refused plan would do apart from the refused policies: the figures of every repository planned, as data. */
function restOfPlan(repositoryPlans: readonly RepositoryPlan[], refused: ReadonlySet<string>, pricePerGbMonth: number): RestOfPlan {
  const summaries = repositoryPlans.map(({summary}) => {
    if (!refused.has(summary.repository)) return summary
    const {lifecycleChange: _refused, ...withoutPolicy} = summary
    return withoutPolicy
  })
  return {summary: summarize(summaries, pricePerGbMonth), refusedRepositories: [...refused].sort(compareStrings)}
}

function combinedRefusal(refusals: readonly EcrctlError[]): EcrctlError | undefined {
  const [first] = refusals
  if (first === undefined) return undefined
  if (refusals.length === 1) return first
  return new EcrctlError(`The lifecycle policies of ${refusals.length} repositories were refused.`, {
    kind: first.kind,
    detail: `\n\n${refusals.map((refusal, index) => `(${index + 1}) ${refusal.format()}`).join('\n\n')}\n`,
  })
}

function checkDesiredRegistry(desired: DesiredState, actual: LiveSnapshot['registry']): void {
  const wanted = desired.registry
  if (wanted === undefined) return
  const accountDiffers = wanted.accountId !== undefined && wanted.accountId !== actual.accountId
  const regionDiffers = wanted.region !== undefined && wanted.region !== actual.region
  if (!accountDiffers && !regionDiffers) return
  throw new EcrctlError(
    `The desired state is for account ${wanted.accountId ?? '(any)'} / region ${wanted.region ?? '(any)'} but the registry is account ${actual.accountId} / region ${actual.region}.`,
    {
      kind: 'refused',
      detail: 'ecrctl refuses to plan against a registry the desired state does not name (registry: in the desired state).',
      nextSteps: ['Point ecrctl at the intended registry (--profile, --region), or correct `registry:` in the desired state.'],
    },
  )
}

function checkUniqueNames(sortedNames: readonly string[]): void {
  for (let i = 1; i < sortedNames.length; i++) {
    if (sortedNames[i] === sortedNames[i - 1]) {
      throw new EcrctlError(`The snapshot lists repository ${sortedNames[i]} twice.`, {
        nextSteps: ['Re-take the snapshot with `ecrctl snapshot`.'],
      })
    }
  }
}

function imagesNotRead(repository: string, desired: DesiredState): EcrctlError {
  const files = desired.files.length > 0 ? desired.files.join(' ') : 'desired-state/'
  return new EcrctlError(`The snapshot does not include images of repository ${repository}, which the desired state manages.`, {
    detail: 'A snapshot only reads the images of repositories its desired state managed when it was taken.',
    nextSteps: [`Re-take it with \`ecrctl snapshot -f ${files}\`.`],
  })
}

/**
 * An exact repository name that the registry does not have is refused, not planned around: it is
 * most likely a typo, and a plan that silently skips the repository the user meant would let its
 * images (or its lifecycle policy) drift unreviewed. A glob matching nothing is normal.
 */
function checkExactEntriesExist(desired: DesiredState, repositoryNames: readonly string[]): void {
  const names = new Set(repositoryNames)
  const missing = desired.entries.filter((entry) => !isGlob(entry.pattern) && !names.has(entry.pattern))
  if (missing.length === 0) return
  const described = missing.map((entry) => {
    const suggestion = closestKey(entry.pattern, repositoryNames)
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`
    return `"${entry.pattern}" (${entry.source.file}:${entry.source.line})${hint}`
  })
  throw new EcrctlError(
    `The desired state names ${missing.length === 1 ? 'a repository' : 'repositories'} that the registry does not have: ${described.join(', ')}.`,
    {
      detail: 'An exact name must match an existing repository; use a glob (e.g. "team/*") for repositories that may not exist yet.',
      nextSteps: ['Correct the name, remove the entry, or create the repository first, then run ecrctl plan again.'],
    },
  )
}

function byActionAddress(a: PlanAction, b: PlanAction): number {
  return (
    compareStrings(a.repository, b.repository) ||
    compareStrings(a.type === 'deleteImage' ? a.imageDigest : '', b.type === 'deleteImage' ? b.imageDigest : '') ||
    compareStrings(a.type, b.type)
  )
}

function byWarningAddress(a: PlanWarning, b: PlanWarning): number {
  return (
    compareStrings(a.repository ?? '', b.repository ?? '') ||
    compareStrings(a.imageDigest ?? '', b.imageDigest ?? '') ||
    compareStrings(a.message, b.message)
  )
}
