/**
 * A refused plan that still knows what the rest of it would do. The planner refuses a whole plan
 * when a lifecycle policy would expire images the desired state keeps; the refusal carries the
 * figures of every repository it could plan, as data, so the message can say what else the plan
 * holds (worded by src/render/refusal.ts) and a reviewer sees more than the one conflict.
 */
import {EcrctlError} from '../errors.js'
import type {PlanSummary} from './plan.js'

export interface RestOfPlan {
  /**
   * Totals and per-repository figures of the repositories the planner could decide. A repository
   * whose policy was refused is included (its images are decided; only its policy is refused),
   * without a lifecycle change.
   */
  summary: PlanSummary
  /** Repositories whose lifecycle policy was refused, sorted. */
  refusedRepositories: string[]
}

export class PlanRefusedError extends EcrctlError {
  constructor(
    refusal: EcrctlError,
    readonly restOfPlan: RestOfPlan,
  ) {
    super(refusal.message, {kind: refusal.kind, detail: refusal.detail, nextSteps: refusal.nextSteps, exitCode: refusal.exitCode, cause: refusal.cause})
    this.name = 'PlanRefusedError'
  }
}
