import type {LifecyclePolicyDoc} from '../model/desired.js'

/** One violation of ECR's lifecycle-policy rules, located by the path inside the policy. */
export interface LifecycleViolation {
  /** Path inside the policy, e.g. ['rules', 0, 'selection', 'tagPatternList', 1]. */
  path: Array<string | number>
  rulePriority?: number
  message: string
}

/**
 * Checks a structurally valid policy against ECR's semantic rules (unique priorities, `any` last,
 * wildcard limits, countType/countUnit pairing, ...). Pure; the desired-state loader turns each
 * violation into an error with file:line.
 * Placeholder until the lifecycle work lands: accepts everything structurally valid.
 */
export function validateLifecyclePolicy(_policy: LifecyclePolicyDoc): LifecycleViolation[] {
  return []
}
