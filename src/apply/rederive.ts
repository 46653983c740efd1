/**
 * Apply re-derives every action before it acts. The plan file is a reviewed proposal, not an
 * authority: its checksum detects corruption, not forgery (anyone can recompute it), and a plan
 * made from an older desired state may delete what the newer one keeps. So apply loads the desired
 * state at hand, refuses when it is not the one the plan was made from, and runs the planner itself
 * (src/planner) over the freshly read repositories at the current time. A pending action the fresh
 * evaluation would not make turns stale, exactly like an action the registry moved under:
 * - a deletion the desired state keeps (a keep rule, the grace period, the image graph), or in a
 *   repository whose images it does not manage;
 * - a lifecycle policy put or delete it would not make (another policy, none, another repository),
 *   or whose policy would expire images it keeps.
 * Pure: the desired state, the live repositories and the time come in.
 */
import {EcrctlError} from '../errors.js'
import {canonicalPolicyText} from '../lifecycle/canonical.js'
import type {DesiredState} from '../model/desired.js'
import type {DeleteImageAction, PlanAction, PlanDocument, Reason} from '../model/plan.js'
import type {LiveRepositoryState, RegistryIdentity} from '../model/registry.js'
import type {LiveRepository} from '../model/snapshot.js'
import {evaluateRepositories, type RepositoryEvaluation} from '../planner/plan.js'
import {reasonSummary} from '../planner/reason-summary.js'
import {compareStrings} from '../util/order.js'
import type {ActionCheck} from './preconditions.js'

/** What the fresh evaluation is made from, besides the live repositories. */
export interface Rederivation {
  /** The desired state at hand; its sha256 equals the plan's (checkDesiredStateAtHand). */
  desired: DesiredState
  /** The registry apply acts on (already known to be the plan's). */
  registry: RegistryIdentity
  /** The current time: the fresh evaluation's ages and grace periods count from it. */
  now: Date
}

/**
 * The desired state apply re-derives from, or undefined when there is none at hand (then only the
 * registry is checked, unless `--require-desired-state` makes that a refusal). Refuses a desired
 * state other than the one the plan was made from: the plan's decisions may contradict it.
 */
export function checkDesiredStateAtHand(
  plan: Pick<PlanDocument, 'desiredStateSha256' | 'desiredStateFiles'>,
  desired: Pick<DesiredState, 'sha256' | 'files'> | undefined,
  requireDesiredState: boolean,
): void {
  const planFiles = plan.desiredStateFiles.length > 0 ? plan.desiredStateFiles.join(', ') : 'files it does not name'
  if (desired === undefined) {
    if (!requireDesiredState) return
    throw new EcrctlError('No desired state at hand, and --require-desired-state asks apply to re-derive every action from it; nothing was changed.', {
      kind: 'refused',
      detail: `The plan was made from ${planFiles}.`,
      nextSteps: ['Pass the desired state the plan was made from with `-f PATH` (default: desired-state/ in the current directory).'],
    })
  }
  if (desired.sha256 === plan.desiredStateSha256) return
  throw new EcrctlError('The desired state changed since this plan was made; re-plan. Nothing was changed.', {
    kind: 'refused',
    detail:
      `The desired state at hand (${desired.files.join(', ')}) has sha256 ${desired.sha256}; the plan was made from ${planFiles}, ` +
      `sha256 ${plan.desiredStateSha256}. A plan made from another desired state may delete images this one keeps.`,
    nextSteps: ['Run `ecrctl plan --out PLAN` with this desired state and review the new plan,', 'or pass the desired state this plan was made from with `-f PATH`.'],
  })
}

/** Said once per apply without a desired state at hand (people and the audit log both see it). */
export function registryChecksOnlyNotice(plan: Pick<PlanDocument, 'desiredStateFiles'>): string {
  const files = plan.desiredStateFiles.length > 0 ? ` (the plan was made from ${plan.desiredStateFiles.join(', ')})` : ''
  return (
    `No desired state at hand${files}: only registry checks were made. The plan's actions were not re-derived, ` +
    'so a forged or outdated plan is not caught; pass -f PATH (or --require-desired-state to make this an error).'
  )
}

/**
 * `checks` with every pending action the fresh evaluation would not make turned stale, with why.
 * Done and stale actions are left as they are; `live` holds each touched repository as read.
 */
export function rederiveChecks(checks: readonly ActionCheck[], live: ReadonlyMap<string, LiveRepositoryState>, rederivation: Rederivation): ActionCheck[] {
  const pendingRepositories = [...new Set(checks.filter((check) => check.status === 'pending').map((check) => check.action.repository))].sort(compareStrings)
  const repositories = pendingRepositories.flatMap((name) => {
    const state = live.get(name)
    return state?.exists ? [asPlannerRepository(state)] : []
  })
  const evaluations = new Map<string, FreshRepository>()
  for (const [name, evaluation] of evaluateRepositories(rederivation.desired, rederivation.registry, repositories, rederivation.now)) {
    evaluations.set(name, indexed(evaluation, rederivation.now.getTime()))
  }
  return checks.map((check) => {
    if (check.status !== 'pending') return check
    const fresh = evaluations.get(check.action.repository)
    // A pending action's repository exists (preconditions); no evaluation would be a bug: fail closed.
    const why = fresh === undefined ? 'its repository could not be evaluated again' : whyFreshEvaluationDiffers(check.action, fresh)
    return why === undefined ? check : {...check, status: 'stale', why}
  })
}

/** One repository's fresh evaluation, with its image decisions looked up by digest. */
interface FreshRepository {
  evaluation: RepositoryEvaluation
  deleted: ReadonlySet<string>
  kept: ReadonlyMap<string, readonly Reason[]>
  /** The re-evaluation time, for the ages the kept reasons name. */
  nowMs: number
}

function indexed(evaluation: RepositoryEvaluation, nowMs: number): FreshRepository {
  if (!evaluation.managed) return {evaluation, deleted: new Set(), kept: new Map(), nowMs}
  return {
    evaluation,
    nowMs,
    deleted: new Set(evaluation.images.deletions.map((deletion) => deletion.imageDigest)),
    kept: new Map(evaluation.images.kept.map((image) => [image.imageDigest, image.reasons])),
  }
}

/** A touched repository as the planner reads one: every image read, sorted by digest. */
function asPlannerRepository(state: LiveRepositoryState): LiveRepository {
  return {
    name: state.repository,
    lifecyclePolicy: state.lifecyclePolicy,
    imagesRead: true,
    images: [...state.images].sort((a, b) => compareStrings(a.digest, b.digest)),
  }
}

/** Why the fresh evaluation would not make `action`, or undefined when it would. */
function whyFreshEvaluationDiffers(action: PlanAction, fresh: FreshRepository): string | undefined {
  const {evaluation} = fresh
  if (!evaluation.managed) return `the desired state does not manage repository ${action.repository} (no entry matches it)`
  if (action.type === 'deleteImage') return whyNotDeleted(action, evaluation, fresh)
  if (evaluation.lifecycleRefusal) return `the desired state's lifecycle check refuses it: ${evaluation.lifecycleRefusal.message}`
  const wanted = evaluation.lifecycle.action
  if (wanted === undefined) return `the desired state would not change the lifecycle policy of ${action.repository}`
  if (wanted.type !== action.type) return `the desired state would ${wanted.type === 'putLifecyclePolicy' ? 'put another policy' : 'delete the policy'} instead`
  if (action.type === 'putLifecyclePolicy' && wanted.type === 'putLifecyclePolicy' && canonicalPolicyText(action.after) !== canonicalPolicyText(wanted.after)) {
    return `the desired state declares another lifecycle policy for ${action.repository}`
  }
  return undefined
}

function whyNotDeleted(action: DeleteImageAction, evaluation: Extract<RepositoryEvaluation, {managed: true}>, fresh: FreshRepository): string | undefined {
  if (evaluation.images.summary.imagesManaged === false) return `the desired state does not manage the images of ${action.repository} (only its lifecycle policy)`
  if (fresh.deleted.has(action.imageDigest)) return undefined
  const keptReasons = fresh.kept.get(action.imageDigest)
  return keptReasons === undefined ? 'the desired state does not decide this image' : `the desired state keeps it: ${reasonSummary(keptReasons, {imagePushedAt: action.imagePushedAt, nowMs: fresh.nowMs})}`
}
