/**
 * The words of a plan: every reason an image is kept or deleted. `code` is for machines and
 * stays stable; `message` is for the reviewer and names the rule, the time or the related image.
 */
import type {KeepRule} from '../model/desired.js'
import type {Reason} from '../model/plan.js'
import {formatAge, formatDuration} from '../util/duration.js'
import {plural} from '../util/words.js'


export function keepRuleReason(rule: KeepRule, rank: number | undefined, matchCount: number): Reason {
  let message = `keep rule ${rule.label}`
  if (rank !== undefined && rule.newest !== undefined) {
    message += ` (#${rank} of the newest ${rule.newest}; ${plural(matchCount, 'image matches', 'images match')})`
  }
  if (rule.reason) message += `: ${rule.reason}`
  return {code: 'keepRule', message, rule: rule.label}
}

export function gracePeriodReason(pushedAt: string, ageMs: number, gracePeriodMs: number): Reason {
  if (ageMs < 0) {
    return {
      code: 'gracePeriod',
      message: `pushed ${pushedAt}, after the evaluation time (clock skew?); kept as within the ${formatDuration(gracePeriodMs)} grace period`,
    }
  }
  return {
    code: 'gracePeriod',
    message: `pushed ${formatAge(ageMs)} ago, within the ${formatDuration(gracePeriodMs)} grace period`,
  }
}

export function noKeepRuleReason(pushedAt: string, ageMs: number): Reason {
  return {code: 'noKeepRule', message: `no keep rule matches; pushed ${pushedAt.slice(0, 10)} (${formatAge(ageMs)} ago)`}
}

/** The one-line summary of reasons carried by an action (`reason`). */
export function joinReasons(reasons: readonly Reason[]): string {
  return reasons.length === 1 ? (reasons[0] as Reason).message : reasons.map((reason) => reason.message).join('; ')
}
