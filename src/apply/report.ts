/**
 * The outcome of an apply as data (`--format json`) and its exit code. Pure; the closing text
 * summary is src/render/apply-summary.ts.
 */
import {APPLY_RESULT_KIND, type ApplyChecks, type ApplyReport, type ApplyTotals} from '../model/apply-result.js'
import type {ApplyResult} from './execute.js'

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
  context: {plan: string; planChecksum: string; registry: {accountId: string; region: string}; auditLog: string; skipStale: boolean; checks: ApplyChecks},
): ApplyReport {
  return {
    kind: APPLY_RESULT_KIND,
    plan: context.plan,
    planChecksum: context.planChecksum,
    registry: context.registry,
    checks: context.checks,
    exitCode: applyExitCode(result.totals, context.skipStale),
    totals: result.totals,
    auditLog: context.auditLog,
    actions: result.outcomes.map(({action, outcome, confirmedOnRetry, code, message}) => ({
      type: action.type,
      repository: action.repository,
      ...(action.type === 'deleteImage' ? {imageDigest: action.imageDigest, imageTags: action.imageTags} : {}),
      outcome,
      ...(confirmedOnRetry ? {confirmedOnRetry} : {}),
      ...(code === undefined ? {} : {code}),
      ...(message === undefined ? {} : {message}),
    })),
  }
}
