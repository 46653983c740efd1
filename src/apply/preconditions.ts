/**
 * Apply's safety checks, all pure: is this plan for this registry, is it small enough, and does
 * each action still hold against a fresh read of the live state?
 *
 * An action is
 * - `pending`: its plan-time facts still hold, apply may perform it;
 * - `done`: the registry already looks like the action's result (digest gone, policy == after);
 * - `stale`: the registry changed in a way the reviewer did not see (a new tag on a digest to
 *   delete, a kept index or signature that now references it, a policy edited since). Stale is
 *   never applied.
 */
import {EcrctlError} from '../errors.js'
import {imageEdges} from '../model/image-edges.js'
import type {LiveImage} from '../model/snapshot.js'
import type {LiveRepositoryState, RegistryIdentity} from '../model/registry.js'
import {PLAN_CLOCK_SKEW_MS, type DeleteImageAction, type PlanAction, type PlanDocument} from '../model/plan.js'
import {formatAge} from '../util/duration.js'
import {shortDigest} from '../util/short-digest.js'
import {describeTags, tagsText} from '../util/words.js'

export type ActionStatus = 'pending' | 'done' | 'stale'

export interface ActionCheck {
  action: PlanAction
  status: ActionStatus
  /** Why the action is done or stale, for people. */
  why?: string
}

export type PolicyCanonicalizer = (text: string | null) => string | null

/** "Made for another registry" is not "stale": the plan was reviewed for a different account/region. */
export function checkRegistryIdentity(plan: Pick<PlanDocument, 'registry'>, current: RegistryIdentity): void {
  const mismatches: string[] = []
  if (plan.registry.accountId !== current.accountId)
    mismatches.push(`account ${current.accountId} (the plan was made for ${plan.registry.accountId})`)
  if (plan.registry.region !== current.region)
    mismatches.push(`region ${current.region} (the plan was made for ${plan.registry.region})`)
  if (mismatches.length === 0) return
  throw new EcrctlError('This plan was made for another registry; nothing was changed.', {
    kind: 'refused',
    detail: `The current credentials and settings point at ${mismatches.join(' and ')}.`,
    nextSteps: [
      `Apply it with credentials for account ${plan.registry.accountId} and --region ${plan.registry.region},`,
      'or run `ecrctl plan` against this registry to make a plan for it.',
    ],
  })
}

/**
 * A plan evaluated in the future measured every age, grace period and `pushedWithin` window from a
 * time that has not come, so it deletes images that are still protected (`plan --now 2099-…`).
 * Refused beyond the stated clock skew; a plan made with the real clock is never refused by it.
 */
export function checkEvaluationTime(plan: Pick<PlanDocument, 'evaluatedAt'>, now: Date): void {
  const evaluatedMs = Date.parse(plan.evaluatedAt)
  if (evaluatedMs <= now.getTime() + PLAN_CLOCK_SKEW_MS) return
  throw new EcrctlError(`This plan was evaluated at ${plan.evaluatedAt}, later than the current time (${now.toISOString()}); nothing was changed.`, {
    kind: 'refused',
    detail:
      `It counted image ages, grace periods and pushedWithin/pulledWithin windows from a time ${formatAge(evaluatedMs - now.getTime())} ahead, ` +
      'so it may delete images the desired state still protects (pushed within the grace period or a keep rule’s window). ' +
      `Apply allows ${formatAge(PLAN_CLOCK_SKEW_MS)} of clock skew between the machine that planned and this one.`,
    nextSteps: ['Re-run `ecrctl plan` without --now (or with a --now in the past) and apply the new plan; if this machine’s clock is behind, correct it.'],
  })
}

/** The effective deletion guard: the stricter of `--max-deletions` and the desired state's maxDeletions. */
export function effectiveDeletionLimit(planLimit: number | undefined, flagLimit: number | undefined): number | undefined {
  const limits = [planLimit, flagLimit].filter((limit): limit is number => limit !== undefined)
  return limits.length === 0 ? undefined : Math.min(...limits)
}

export function checkDeletionLimit(plan: Pick<PlanDocument, 'actions' | 'maxDeletions'>, flagLimit?: number): void {
  const limit = effectiveDeletionLimit(plan.maxDeletions, flagLimit)
  if (limit === undefined) return
  const deletions = plan.actions.filter((action) => action.type === 'deleteImage').length
  if (deletions <= limit) return
  const source =
    flagLimit !== undefined && limit === flagLimit ? '--max-deletions' : 'the desired state (defaults.maxDeletions)'
  throw new EcrctlError(`This plan deletes ${deletions} images, more than the limit of ${limit}; nothing was changed.`, {
    kind: 'refused',
    detail: `The limit comes from ${source}.`,
    nextSteps: [
      'Review the plan (`ecrctl show PLAN`); if the deletions are intended, raise the limit',
      '(--max-deletions N, or defaults.maxDeletions in the desired state and re-plan).',
    ],
  })
}

/**
 * The one stale-tag check, for the checks before apply and the re-check before each batch: how an
 * image's tags changed since the plan ("tag hotfix-1 added since the plan", "tag v1 removed since
 * the plan"), or undefined while they are the same set. A new tag means someone started using the
 * image after the review; a removed one, that the reviewer saw a different image.
 */
export function tagChangeSincePlan(planTags: readonly string[], liveTags: readonly string[]): string | undefined {
  const added = liveTags.filter((tag) => !planTags.includes(tag))
  const removed = planTags.filter((tag) => !liveTags.includes(tag))
  if (added.length === 0 && removed.length === 0) return undefined
  const parts: string[] = []
  if (added.length > 0) parts.push(`${describeTags(added)} added`)
  if (removed.length > 0) parts.push(`${describeTags(removed)} removed`)
  return `${parts.join(' and ')} since the plan`
}

/**
 * The live edges seen from the other end: for each digest, the indexes that list it (`parents`)
 * and the referrers about it (`referrers`: signatures, SBOMs, attestations, cosign tags included).
 * The planner keeps the children of a kept index and the subject of a kept referrer, so apply must
 * not delete an image whose parent or referrer stays.
 */
function reverseEdges(images: readonly LiveImage[]): {parents: Map<string, string[]>; referrers: Map<string, string[]>} {
  const parents = new Map<string, string[]>()
  const referrers = new Map<string, string[]>()
  const add = (map: Map<string, string[]>, target: string, from: string): void => {
    const list = map.get(target)
    if (list === undefined) map.set(target, [from])
    else list.push(from)
  }
  for (const image of images) {
    const edges = imageEdges(image)
    for (const child of edges.children) add(parents, child, image.digest)
    for (const subject of new Set(edges.subjects.map((edge) => edge.subject))) add(referrers, subject, image.digest)
  }
  return {parents, referrers}
}

function checkImageDeletes(
  deletes: DeleteImageAction[],
  live: LiveRepositoryState | undefined,
  knownAtPlanTime: Set<string>,
): ActionCheck[] {
  if (!live || !live.exists) {
    return deletes.map((action) => ({action, status: 'done', why: 'the repository no longer exists'}))
  }
  const byDigest = new Map(live.images.map((image) => [image.digest, image]))
  const {parents, referrers} = reverseEdges(live.images)
  // What each planned delete references, as the plan recorded it: if that delete turns stale (the
  // image stays) and its manifest cannot be re-read now, this is the only record of its edges.
  const plannedReferencers = new Map<string, string[]>()
  for (const action of deletes) {
    for (const target of action.references ?? []) {
      const list = plannedReferencers.get(target) ?? []
      list.push(action.imageDigest)
      plannedReferencers.set(target, list)
    }
  }
  const checks = new Map<string, ActionCheck>()
  for (const action of deletes) {
    const image = byDigest.get(action.imageDigest)
    const tagChange = image === undefined ? undefined : tagChangeSincePlan(action.imageTags, image.tags)
    if (!image) checks.set(action.imageDigest, {action, status: 'done', why: 'already deleted'})
    else if (tagChange !== undefined) checks.set(action.imageDigest, {action, status: 'stale', why: tagChange})
    else if (Date.parse(image.pushedAt) !== Date.parse(action.imagePushedAt))
      // Deleted and pushed again (or its repository recreated): a push the reviewer never saw, which
      // a new plan would judge afresh (grace period, pushedWithin, newest).
      checks.set(action.imageDigest, {action, status: 'stale', why: `pushed again since the plan (now ${image.pushedAt}, was ${action.imagePushedAt})`})
    else checks.set(action.imageDigest, {action, status: 'pending'})
  }
  // Fail closed on manifests we could not read for images the reviewer never saw: they might be
  // indexes that reference anything in this repository.
  const unreadableNewcomer = live.images.find((image) => image.manifestError && !knownAtPlanTime.has(image.digest))
  // An image referenced by an index, or named as subject by a referrer, that survives this apply
  // must stay (the planner keeps both for kept images). "Survives" depends on the
  // other actions' status, so iterate until no more actions turn stale.
  let changed = true
  while (changed) {
    changed = false
    const leaving = new Set([...checks].filter(([, check]) => check.status !== 'stale').map(([digest]) => digest))
    for (const check of checks.values()) {
      if (check.status !== 'pending' || check.action.type !== 'deleteImage') continue
      const keptParent = (parents.get(check.action.imageDigest) ?? []).find((parent) => !leaving.has(parent))
      if (keptParent) {
        check.status = 'stale'
        check.why = `now referenced by image index ${shortDigest(keptParent)}, which this apply keeps`
        changed = true
        continue
      }
      const keptReferencer = (plannedReferencers.get(check.action.imageDigest) ?? []).find((referencer) => !leaving.has(referencer))
      if (keptReferencer) {
        check.status = 'stale'
        check.why = `referenced by ${shortDigest(keptReferencer)} (an index or referrer the plan deletes, but which is stale and stays)`
        changed = true
        continue
      }
      const keptReferrer = (referrers.get(check.action.imageDigest) ?? []).find((referrer) => !leaving.has(referrer))
      if (keptReferrer) {
        check.status = 'stale'
        check.why = `now the subject of ${shortDigest(keptReferrer)} (a signature, SBOM or other referrer), which this apply keeps`
        changed = true
      } else if (unreadableNewcomer && unreadableNewcomer.digest !== check.action.imageDigest) {
        check.status = 'stale'
        check.why = `image ${shortDigest(unreadableNewcomer.digest)} was pushed since the plan and its manifest could not be read, so it may reference this image`
        changed = true
      }
    }
  }
  return deletes.map((action) => checks.get(action.imageDigest)!)
}

function checkPolicyAction(
  action: Exclude<PlanAction, DeleteImageAction>,
  live: LiveRepositoryState | undefined,
  canonical: PolicyCanonicalizer,
): ActionCheck {
  if (!live || !live.exists) return {action, status: 'stale', why: 'the repository no longer exists'}
  const current = canonical(live.lifecyclePolicy)
  const before = canonical(action.before)
  const after = action.type === 'putLifecyclePolicy' ? canonical(action.after) : null
  if (current === after) return {action, status: 'done', why: 'the live policy already is the planned one'}
  if (current === before) return {action, status: 'pending'}
  return {
    action,
    status: 'stale',
    why:
      current === null
        ? 'the lifecycle policy was deleted since the plan'
        : 'the lifecycle policy was changed since the plan',
  }
}

/**
 * Classifies every action of the plan against the freshly read live state. `live` holds one entry
 * per repository the plan touches (missing entry = repository gone). Returns checks in plan order.
 */
export function checkActions(
  plan: Pick<PlanDocument, 'actions' | 'kept'>,
  live: ReadonlyMap<string, LiveRepositoryState>,
  canonical: PolicyCanonicalizer,
): ActionCheck[] {
  const knownAtPlanTime = new Set([
    ...plan.kept.map((image) => image.imageDigest),
    ...plan.actions.flatMap((action) => (action.type === 'deleteImage' ? [action.imageDigest] : [])),
  ])
  const deletesByRepository = new Map<string, DeleteImageAction[]>()
  for (const action of plan.actions) {
    if (action.type !== 'deleteImage') continue
    const list = deletesByRepository.get(action.repository) ?? []
    list.push(action)
    deletesByRepository.set(action.repository, list)
  }
  const results = new Map<PlanAction, ActionCheck>()
  for (const [repository, deletes] of deletesByRepository) {
    for (const check of checkImageDeletes(deletes, live.get(repository), knownAtPlanTime)) results.set(check.action, check)
  }
  return plan.actions.map((action) =>
    action.type === 'deleteImage' ? results.get(action)! : checkPolicyAction(action, live.get(action.repository), canonical),
  )
}

/** The repositories the plan acts on, sorted. */
export function touchedRepositories(plan: Pick<PlanDocument, 'actions'>): string[] {
  return [...new Set(plan.actions.map((action) => action.repository))].sort()
}

export function describeAction(action: PlanAction): string {
  switch (action.type) {
    case 'deleteImage': {
      return `delete ${action.repository}@${action.imageDigest} (${tagsText(action.imageTags)})`
    }
    case 'putLifecyclePolicy':
      return `put lifecycle policy of ${action.repository}`
    case 'deleteLifecyclePolicy':
      return `delete lifecycle policy of ${action.repository}`
  }
}

/** Default mode: any stale action refuses the whole apply before any change. */
export function staleRefusal(checks: readonly ActionCheck[]): EcrctlError | undefined {
  const stale = checks.filter((check) => check.status === 'stale')
  if (stale.length === 0) return undefined
  const lines = stale.map((check) => `  - ${describeAction(check.action)}: ${check.why}`)
  return new EcrctlError(
    `The plan is stale: ${stale.length} of its ${checks.length} actions no longer match the registry; nothing was changed.`,
    {
      kind: 'refused',
      detail: `\n${lines.join('\n')}\n`,
      nextSteps: [
        'Re-run `ecrctl plan` and review the new plan,',
        'or apply the rest with `--skip-stale` (the stale actions are left as they are).',
      ],
    },
  )
}
