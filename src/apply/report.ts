/**
 * The outcome of an apply as data (`--format json`), its exit code, and the closing text summary.
 * Pure.
 */
import {formatBytes} from '../render/format.js'
import type {ApplyResult, ApplyTotals} from './execute.js'
import {formatPullability, type PullabilityReport} from './verify.js'

export const APPLY_RESULT_KIND = 'ecrctl-apply-result'

export interface ApplyReport {
  kind: typeof APPLY_RESULT_KIND
  plan: string
  planChecksum: string
  registry: {accountId: string; region: string}
  /** 0: everything applied or already done (stale actions skipped on request count as done); 1 otherwise. */
  exitCode: 0 | 1
  totals: ApplyTotals
  auditLog: string
  /** The post-apply check that every remaining multi-arch index still has all its children. */
  pullability?: PullabilityReport
  actions: Array<{
    type: string
    repository: string
    imageDigest?: string
    imageTags?: string[]
    outcome: string
    code?: string
    message?: string
  }>
}

/**
 * 1 when any action failed, or when an action turned stale during the apply without
 * `--skip-stale` (the reviewer did not agree to leave anything undone).
 */
export function applyExitCode(totals: ApplyTotals, skipStale: boolean): 0 | 1 {
  if (totals.imagesFailed > 0 || totals.policiesFailed > 0) return 1
  if (!skipStale && (totals.imagesSkippedStale > 0 || totals.policiesSkippedStale > 0)) return 1
  return 0
}

export function buildApplyReport(
  result: ApplyResult,
  context: {plan: string; planChecksum: string; registry: {accountId: string; region: string}; auditLog: string; skipStale: boolean},
): ApplyReport {
  return {
    kind: APPLY_RESULT_KIND,
    plan: context.plan,
    planChecksum: context.planChecksum,
    registry: context.registry,
    exitCode: applyExitCode(result.totals, context.skipStale),
    totals: result.totals,
    auditLog: context.auditLog,
    actions: result.outcomes.map(({action, outcome, code, message}) => ({
      type: action.type,
      repository: action.repository,
      ...(action.type === 'deleteImage' ? {imageDigest: action.imageDigest, imageTags: action.imageTags} : {}),
      outcome,
      ...(code === undefined ? {} : {code}),
      ...(message === undefined ? {} : {message}),
    })),
  }
}

/**
 *   Apply complete: 40 images deleted (1.2 GB of image sizes), 2 already gone, 1 lifecycle policy changed.
 *   Apply incomplete: 1 action failed: ...
 */
export function formatApplySummary(report: ApplyReport): string {
  const t = report.totals
  const done: string[] = [`${t.imagesDeleted} ${t.imagesDeleted === 1 ? 'image' : 'images'} deleted (${formatBytes(t.bytesFreed)} of image sizes)`]
  if (t.imagesAlreadyGone > 0) done.push(`${t.imagesAlreadyGone} already gone`)
  if (t.policiesApplied > 0) done.push(`${t.policiesApplied} lifecycle ${t.policiesApplied === 1 ? 'policy' : 'policies'} changed`)
  if (t.policiesAlreadyDone > 0) done.push(`${t.policiesAlreadyDone} ${t.policiesAlreadyDone === 1 ? 'policy' : 'policies'} already as planned`)
  const skipped = t.imagesSkippedStale + t.policiesSkippedStale
  if (skipped > 0) done.push(`${skipped} stale ${skipped === 1 ? 'action' : 'actions'} skipped`)
  const lines = [`${report.exitCode === 0 ? 'Apply complete' : 'Apply incomplete'}: ${done.join(', ')}.`]
  if (report.pullability !== undefined) lines.push(formatPullability(report.pullability))
  const problems = report.actions.filter((a) => a.outcome === 'failed' || a.outcome === 'skippedStale')
  for (const problem of problems) {
    const target = problem.imageDigest ? `${problem.repository}@${problem.imageDigest}` : `${problem.repository} (${problem.type})`
    const label = problem.outcome === 'failed' ? 'failed' : 'skipped (stale)'
    lines.push(`  - ${label}: ${target}: ${[problem.code, problem.message].filter(Boolean).join(': ')}`)
  }
  if (report.exitCode !== 0) {
    lines.push('Nothing outside the plan was touched. Re-running `ecrctl apply` with the same plan retries what is left;')
    lines.push('if actions are stale, re-run `ecrctl plan` and review the new plan.')
  }
  lines.push(`Audit log: ${report.auditLog}`)
  return `${lines.join('\n')}\n`
}
