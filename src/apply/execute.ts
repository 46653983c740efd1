/**
 * The executor: performs the pending actions of a checked plan, and nothing else.
 *
 * - Repositories run concurrently (bounded); within one, deletions go in waves (indexes and
 *   referrers before what they reference) and in BatchDeleteImage calls of at most 100 digests.
 * - ECR has no conditional delete, so the repository is re-read right before each batch is
 *   deleted (./batch-recheck.ts): a digest whose tags changed since the plan, or that a signature
 *   or other referrer pushed since the first read refers to, is skipped as stale; a digest already
 *   gone is done. What remains is the short window between that read and the delete (docs/apply.md).
 * - Per-item failures (in the port's words): imageGone = done (deleted, confirmed on retry, when an
 *   earlier attempt's answer was lost: that attempt probably did it); referencedByIndex = retried after
 *   the other deletions of the repository (the referencing index may be among them); anything
 *   else is reported as failed.
 * - Lifecycle actions re-read the live policy and act only while it still equals the plan's `before`.
 *
 * Retries on throttling and transient errors are the SDK's (adaptive mode, see registry/client.ts).
 */
import type {ApplyCall, ApplyEvent, ApplyEventListener, ImageOutcome, PolicyOutcome} from '../model/apply-events.js'
import {RegistryCallError, type ApplyPort} from '../model/apply-port.js'
import type {ApplyTotals} from '../model/apply-result.js'
import type {DeleteImageAction, PlanAction} from '../model/plan.js'
import type {LiveRepositoryState} from '../model/registry.js'
import type {LiveImage} from '../model/snapshot.js'
import {mapBounded} from '../util/pool.js'
import {recheckBatch} from './batch-recheck.js'
import {chunk, deletionWaves} from './order.js'
import type {ActionCheck, PolicyCanonicalizer} from './preconditions.js'
import {addEventToTotals, emptyTotals} from './totals.js'
import {redactSecrets} from '../util/redact.js'

export interface ExecuteOptions {
  /** Repositories worked on at the same time. */
  concurrency: number
  canonicalPolicy: PolicyCanonicalizer
  onEvent?: ApplyEventListener
  /** Rounds of retrying referencedByIndex failures after the rest of the repository. */
  referencedRetryRounds?: number
}

export interface ActionOutcome {
  action: PlanAction
  outcome: ImageOutcome | PolicyOutcome
  /** See the image event's `confirmedOnRetry`. */
  confirmedOnRetry?: true
  code?: string
  message?: string
}

export interface ApplyResult {
  outcomes: ActionOutcome[]
  totals: ApplyTotals
}

/** The port's word for why a call failed (the adapter translates ECR's; anything else is a bug's). */
const errorCode = (error: unknown): string => (error instanceof RegistryCallError ? error.failure : 'failed')
/** Registry messages can quote the request back, credentials included: they never reach a log as they came. */
const errorMessage = (error: unknown): string => redactSecrets(error instanceof Error ? error.message : String(error))

class RepositoryRun {
  private deletedCount = 0

  /** The images apply's first read saw, by digest: what the re-check before each batch compares with. */
  private readonly firstRead: ReadonlyMap<string, LiveImage>

  constructor(
    private readonly repository: string,
    private readonly port: ApplyPort,
    private readonly options: ExecuteOptions,
    private readonly record: (action: PlanAction, event: ApplyEvent & {type: 'image' | 'policy'}) => void,
    live: LiveRepositoryState | undefined,
  ) {
    this.firstRead = new Map((live?.images ?? []).map((image) => [image.digest, image]))
  }

  private image(action: DeleteImageAction, call: ApplyCall, outcome: ImageOutcome, code?: string, message?: string, confirmedOnRetry?: true): void {
    if (outcome === 'deleted') this.deletedCount++
    this.record(action, {
      type: 'image',
      repository: this.repository,
      imageDigest: action.imageDigest,
      imageTags: action.imageTags,
      sizeBytes: action.sizeBytes,
      call,
      outcome,
      ...(code === undefined ? {} : {code}),
      ...(message === undefined ? {} : {message}),
      ...(confirmedOnRetry ? {confirmedOnRetry} : {}),
    })
  }

  /** Re-checks and deletes one batch; returns the actions to retry (referenced by an index). */
  private async deleteBatch(batch: DeleteImageAction[], lastChance: boolean): Promise<DeleteImageAction[]> {
    let current: LiveImage[]
    try {
      current = await this.port.rereadImages(this.repository, this.firstRead)
    } catch (error) {
      for (const action of batch) this.image(action, 'DescribeImages', 'failed', errorCode(error), errorMessage(error))
      return []
    }
    const verdicts = recheckBatch(batch, current, this.firstRead)
    const toDelete: DeleteImageAction[] = []
    for (const action of batch) {
      const verdict = verdicts.get(action.imageDigest)!
      if (verdict.status === 'gone') this.image(action, 'DescribeImages', 'alreadyGone')
      else if (verdict.status === 'stale') this.image(action, 'DescribeImages', 'skippedStale', verdict.code, verdict.why)
      else toDelete.push(action)
    }
    if (toDelete.length === 0) return []
    let result
    try {
      result = await this.port.batchDeleteImages(
        this.repository,
        toDelete.map((action) => action.imageDigest),
      )
    } catch (error) {
      for (const action of toDelete) this.image(action, 'BatchDeleteImage', 'failed', errorCode(error), errorMessage(error))
      return []
    }
    const deleted = new Set(result.deleted)
    const failures = new Map(result.failures.map((failure) => [failure.imageDigest, failure]))
    const retry: DeleteImageAction[] = []
    for (const action of toDelete) {
      const failure = failures.get(action.imageDigest)
      if (deleted.has(action.imageDigest)) this.image(action, 'BatchDeleteImage', 'deleted')
      else if (!failure) this.image(action, 'BatchDeleteImage', 'failed', 'NotReported', 'ECR reported neither a deletion nor a failure')
      else if (failure.kind === 'imageGone' && result.attempts > 1)
        // The re-check saw the image just before; the first attempt's answer was lost on the way.
        this.image(action, 'BatchDeleteImage', 'deleted', undefined, `deleted, confirmed on retry: the answer to attempt 1 of ${result.attempts} was lost, and the retry found the image gone (${failure.reason})`, true)
      else if (failure.kind === 'imageGone') this.image(action, 'BatchDeleteImage', 'alreadyGone', failure.kind, failure.reason)
      else if (failure.kind === 'referencedByIndex' && !lastChance) retry.push(action)
      else this.image(action, 'BatchDeleteImage', 'failed', failure.kind, failure.reason)
    }
    return retry
  }

  async deleteImages(deletes: DeleteImageAction[], live: LiveRepositoryState | undefined): Promise<void> {
    const rounds = this.options.referencedRetryRounds ?? 3
    let deferred: DeleteImageAction[] = []
    for (const wave of deletionWaves(deletes, live?.images ?? [])) {
      for (const batch of chunk(wave)) deferred.push(...(await this.deleteBatch(batch, rounds === 0)))
    }
    for (let round = 1; deferred.length > 0; round++) {
      const deletedBefore = this.deletedCount
      const lastChance = round >= rounds
      const again: DeleteImageAction[] = []
      for (const wave of deletionWaves(deferred, live?.images ?? [])) {
        for (const batch of chunk(wave)) again.push(...(await this.deleteBatch(batch, lastChance)))
      }
      deferred = again
      // Nothing moved: whatever references these is not going away in this apply.
      if (deferred.length > 0 && this.deletedCount === deletedBefore) {
        for (const action of deferred)
          this.image(action, 'BatchDeleteImage', 'failed', 'referencedByIndex', 'still referenced by an image index this plan does not delete')
        deferred = []
      }
    }
  }

  async applyPolicy(action: Exclude<PlanAction, DeleteImageAction>): Promise<void> {
    const emit = (call: ApplyCall, outcome: PolicyOutcome, code?: string, message?: string): void =>
      this.record(action, {
        type: 'policy',
        repository: this.repository,
        action: action.type,
        call,
        outcome,
        ...(code === undefined ? {} : {code}),
        ...(message === undefined ? {} : {message}),
      })
    const canonical = this.options.canonicalPolicy
    let live: string | null
    try {
      live = canonical(await this.port.getLifecyclePolicy(this.repository))
    } catch (error) {
      emit('GetLifecyclePolicy', 'failed', errorCode(error), errorMessage(error))
      return
    }
    const after = action.type === 'putLifecyclePolicy' ? canonical(action.after) : null
    if (live === after) return emit('GetLifecyclePolicy', 'alreadyDone')
    if (live !== canonical(action.before))
      return emit('GetLifecyclePolicy', 'skippedStale', 'PolicyChanged', 'the lifecycle policy changed since the plan')
    const call = action.type === 'putLifecyclePolicy' ? 'PutLifecyclePolicy' : 'DeleteLifecyclePolicy'
    try {
      if (action.type === 'putLifecyclePolicy') await this.port.putLifecyclePolicy(this.repository, action.after)
      else await this.port.deleteLifecyclePolicy(this.repository)
      emit(call, 'applied')
    } catch (error) {
      emit(call, 'failed', errorCode(error), errorMessage(error))
    }
  }
}

/**
 * Performs the `pending` actions of `checks`; `done` and `stale` ones are reported (as already
 * gone / skipped) without any call. The caller decides beforehand whether stale actions may be
 * skipped at all (default: refuse the whole apply).
 */
export async function executePlan(
  checks: readonly ActionCheck[],
  live: ReadonlyMap<string, LiveRepositoryState>,
  port: ApplyPort,
  options: ExecuteOptions,
): Promise<ApplyResult> {
  const outcomes = new Map<PlanAction, ActionOutcome>()
  let totals = emptyTotals()
  const emit = (event: ApplyEvent): void => options.onEvent?.(event)
  const record = (action: PlanAction, event: ApplyEvent & {type: 'image' | 'policy'}): void => {
    outcomes.set(action, {
      action,
      outcome: event.outcome,
      ...(event.type === 'image' && event.confirmedOnRetry ? {confirmedOnRetry: true as const} : {}),
      ...(event.code === undefined ? {} : {code: event.code}),
      ...(event.message === undefined ? {} : {message: event.message}),
    })
    totals = addEventToTotals(totals, event)
    emit(event)
  }

  const byRepository = new Map<string, ActionCheck[]>()
  for (const check of checks) {
    const list = byRepository.get(check.action.repository) ?? []
    list.push(check)
    byRepository.set(check.action.repository, list)
  }
  const repositories = [...byRepository.keys()].sort()
  await mapBounded(repositories, options.concurrency, async (repository) => {
    const repoChecks = byRepository.get(repository)!
    const pendingDeletes = repoChecks.filter((c) => c.status === 'pending' && c.action.type === 'deleteImage')
    const pendingPolicies = repoChecks.filter((c) => c.status === 'pending' && c.action.type !== 'deleteImage')
    emit({
      type: 'repositoryStarted',
      repository,
      images: pendingDeletes.length,
      imageSizeBytes: pendingDeletes.reduce((sum, c) => sum + (c.action as DeleteImageAction).sizeBytes, 0),
      policyChanges: pendingPolicies.length,
    })
    const run = new RepositoryRun(repository, port, options, record, live.get(repository))
    for (const check of repoChecks) {
      if (check.status === 'pending') continue
      const {action} = check
      if (action.type === 'deleteImage') {
        record(action, {
          type: 'image',
          repository,
          imageDigest: action.imageDigest,
          imageTags: action.imageTags,
          sizeBytes: action.sizeBytes,
          call: 'DescribeImages',
          outcome: check.status === 'done' ? 'alreadyGone' : 'skippedStale',
          preChecked: true,
          ...(check.why === undefined ? {} : {message: check.why}),
        })
      } else {
        record(action, {
          type: 'policy',
          repository,
          action: action.type,
          call: 'GetLifecyclePolicy',
          outcome: check.status === 'done' ? 'alreadyDone' : 'skippedStale',
          preChecked: true,
          ...(check.why === undefined ? {} : {message: check.why}),
        })
      }
    }
    await run.deleteImages(
      pendingDeletes.map((c) => c.action as DeleteImageAction),
      live.get(repository),
    )
    for (const check of pendingPolicies) await run.applyPolicy(check.action as Exclude<PlanAction, DeleteImageAction>)
    emit({type: 'repositoryFinished', repository})
  })

  return {outcomes: checks.map((check) => outcomes.get(check.action)!), totals}
}
