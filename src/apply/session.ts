/**
 * The apply use case, start to finish: identity → read → check → confirm → execute → verify →
 * report. Everything outside (ECR, the terminal, the audit file) comes in as a port, so the whole
 * sequence runs in a unit test against an in-memory registry (test/unit/apply/session.test.ts).
 *
 * Order matters for safety: nothing is written to the audit log before the registry is known to be
 * the plan's, and nothing is changed before every action has been re-checked and, when asked for,
 * confirmed.
 */
import {EcrctlError} from '../errors.js'
import {canonicalPolicyText} from '../lifecycle/canonical.js'
import type {ApplyEvent} from '../model/apply-events.js'
import type {RegistryApplyPort} from '../model/apply-port.js'
import type {ApplyReport} from '../model/apply-result.js'
import type {DesiredState} from '../model/desired.js'
import type {PlanDocument} from '../model/plan.js'
import type {RegistryIdentity} from '../model/registry.js'
import {auditRecordOf, type AuditSink} from './audit-log.js'
import {mapBounded} from '../util/pool.js'
import {decideConfirmation, summarizePendingWork, type RepositoryChangeSummary} from './confirm.js'
import {executePlan} from './execute.js'
import {type ActionCheck, checkActions, checkDeletionLimit, checkEvaluationTime, checkRegistryIdentity, describeAction, staleRefusal, touchedRepositories} from './preconditions.js'
import {checkDesiredStateAtHand, rederiveChecks, registryChecksOnlyNotice} from './rederive.js'
import {buildApplyReport} from './report.js'
import {verifyPullability} from './verify.js'

/** Asks a person to confirm; `interactive` is false when there is no terminal to ask in. */
export interface ConfirmPort {
  readonly interactive: boolean
  ask(registry: RegistryIdentity, rows: RepositoryChangeSummary[], expectedAnswer: string): Promise<boolean>
}

/** Shows apply's events as they happen (a live terminal view, or plain lines). */
export interface ProgressSink {
  onEvent(event: ApplyEvent): void
  finish(): Promise<void>
}

export interface ApplyPorts {
  registry: RegistryApplyPort
  confirm: ConfirmPort
  /** Started only once the apply is confirmed, so a live view never draws over the prompt. */
  startProgress(): Promise<ProgressSink>
  /** Opened only once the registry is known to be the plan's. */
  openAuditLog(): AuditSink
  /** The current time (default: the system clock): the plan's evaluation time is checked against it, actions re-derived at it. */
  clock?: () => Date
  /** Tells people something they must know before they confirm (shown before any prompt). */
  warn?(message: string): void
}

export interface ApplySessionInput {
  plan: PlanDocument
  /** The plan file's path, as recorded in the audit log and the result. */
  planPath: string
  autoApprove: boolean
  skipStale: boolean
  maxDeletions?: number
  /** Repositories read or changed at the same time. */
  concurrency: number
  ecrctlVersion: string
  pid: number
  /** The desired state at hand (`-f`): every action is re-derived from it. Undefined: only registry checks. */
  desiredState?: DesiredState
  /** `--require-desired-state`: refuse rather than apply with registry checks only. */
  requireDesiredState?: boolean
}

/** Runs one apply; refusals throw an EcrctlError before anything changed. */
export async function runApplySession(input: ApplySessionInput, ports: ApplyPorts): Promise<ApplyReport> {
  const {plan} = input
  const {registry} = ports
  const clock = ports.clock ?? (() => new Date())
  const {desiredState} = input
  checkEvaluationTime(plan, clock())
  checkDeletionLimit(plan, input.maxDeletions)
  checkDesiredStateAtHand(plan, desiredState, input.requireDesiredState ?? false)
  const identity = await registry.readIdentity()
  checkRegistryIdentity(plan, identity)
  const checksMade = desiredState ? 'registryAndDesiredState' : 'registryOnly'
  if (!desiredState) ports.warn?.(registryChecksOnlyNotice(plan))

  const audit = ports.openAuditLog()
  try {
    audit.write({event: 'applyStarted', plan: input.planPath, planChecksum: plan.checksum, registry: identity, checks: checksMade, ecrctlVersion: input.ecrctlVersion, pid: input.pid})
    const repositories = touchedRepositories(plan)
    const readAll = () => mapBounded(repositories, input.concurrency, (name) => registry.readTouchedRepository(name))
    const live = new Map((await readAll()).map((state) => [state.repository, state]))
    const registryChecks = checkActions(plan, live, canonicalPolicyText)
    const checks = desiredState ? rederiveChecks(registryChecks, live, {desired: desiredState, registry: identity, now: clock()}) : registryChecks

    const stale = staleRefusal(checks)
    if (stale && !input.skipStale) {
      const staleChecks = checks.filter((check) => check.status === 'stale')
      audit.write({event: 'applyRefused', reason: 'stale', stale: staleChecks.map((check) => ({action: describeAction(check.action), why: check.why}))})
      throw stale
    }
    await confirm(input, ports.confirm, audit, identity, checks)

    const progress = await ports.startProgress()
    const onEvent = (event: ApplyEvent): void => {
      const record = auditRecordOf(event)
      if (record) audit.write(record)
      progress.onEvent(event)
    }
    const result = await executePlan(checks, live, registry, {concurrency: input.concurrency, canonicalPolicy: canonicalPolicyText, onEvent})
    await progress.finish()

    const report = buildApplyReport(result, {
      plan: input.planPath,
      planChecksum: plan.checksum,
      registry: identity,
      auditLog: audit.path,
      skipStale: input.skipStale,
      checks: checksMade,
    })
    if (result.totals.imagesDeleted > 0) {
      // Re-read what was touched and prove every remaining multi-arch image is still whole.
      report.pullability = verifyPullability(live, await readAll())
      audit.write({event: 'pullabilityCheck', ...report.pullability})
      if (report.pullability.broken.some((index) => index.causedByApply)) report.exitCode = 1
    }
    audit.write({event: 'applyFinished', exitCode: report.exitCode, totals: report.totals})
    return report
  } finally {
    audit.close()
  }
}

/** Returns when the pending work may go ahead; throws (and audits why) when it may not. */
async function confirm(
  input: ApplySessionInput,
  port: ConfirmPort,
  audit: AuditSink,
  identity: RegistryIdentity,
  checks: readonly ActionCheck[],
): Promise<void> {
  const pending = checks.filter((check) => check.status === 'pending')
  if (pending.length === 0) return
  const decision = decideConfirmation({
    autoApprove: input.autoApprove,
    interactive: port.interactive,
    accountId: identity.accountId,
    pendingDeletions: pending.filter((check) => check.action.type === 'deleteImage').length,
  })
  if (decision.kind === 'refuse') {
    audit.write({event: 'applyRefused', reason: 'notConfirmed'})
    throw decision.error
  }
  if (decision.kind === 'prompt' && !(await port.ask(identity, summarizePendingWork(checks, input.plan.summary), decision.expectedAnswer))) {
    audit.write({event: 'applyRefused', reason: 'cancelled'})
    throw new EcrctlError('Apply cancelled; nothing was changed.', {kind: 'refused'})
  }
}
