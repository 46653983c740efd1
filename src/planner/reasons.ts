/**
 * The reasons the planner gives for keeping or deleting an image: data only (which rule, which
 * grace period), never words; src/render words them. Keys in sorted order (see keptImage in
 * ./repository.ts: the plan writer then stringifies them without a sorted copy).
 */
import type {KeepRule} from '../model/desired.js'
import type {GracePeriodReason, KeepRuleReason, NoKeepRuleReason} from '../model/plan.js'

export function keepRuleReason(rule: KeepRule, rank: number | undefined, matchCount: number): KeepRuleReason {
  const ranked = rank !== undefined && rule.newest !== undefined
  return {
    code: 'keepRule',
    entry: rule.entry,
    index: rule.index,
    ...(ranked ? {matching: matchCount, newest: rule.newest, rank} : {}),
    ...(rule.reason ? {reason: rule.reason} : {}),
    rule: rule.label,
  }
}

export function gracePeriodReason(gracePeriodMs: number): GracePeriodReason {
  return {code: 'gracePeriod', gracePeriodMs}
}

const NO_KEEP_RULE: NoKeepRuleReason = Object.freeze({code: 'noKeepRule'}) as NoKeepRuleReason

export function noKeepRuleReason(): NoKeepRuleReason {
  return NO_KEEP_RULE
}
