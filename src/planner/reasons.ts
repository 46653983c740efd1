/**
 * The words of a plan: every reason an image is kept or deleted. `code` is for machines and
 * stays stable; `message` is for the reviewer and names the rule, the time or the related image.
 */
import type {KeepRule} from '../model/desired.js'
import type {Reason} from '../model/plan.js'
import {DAY_MS, HOUR_MS, MINUTE_MS} from '../util/time.js'


export function keepRuleReason(rule: KeepRule, rank: number | undefined, matchCount: number): Reason {
  let message = `keep rule ${rule.label}`
  if (rank !== undefined && rule.newest !== undefined) {
    message += ` (#${rank} of the newest ${rule.newest}; ${matchCount} ${matchCount === 1 ? 'image matches' : 'images match'})`
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

/** "122 days", "5 hours", "1 minute": the largest whole unit. */
export function formatAge(ms: number): string {
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`
  if (ms >= DAY_MS) return unit(Math.floor(ms / DAY_MS), 'day')
  if (ms >= HOUR_MS) return unit(Math.floor(ms / HOUR_MS), 'hour')
  return unit(Math.floor(Math.max(0, ms) / MINUTE_MS), 'minute')
}

/** A duration as the desired state would write it: "24h", "30d", "90m", "1500ms" (one day reads "24h"). */
export function formatDuration(ms: number): string {
  if (ms > DAY_MS && ms % DAY_MS === 0) return `${ms / DAY_MS}d`
  if (ms > 0 && ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`
  if (ms > 0 && ms % MINUTE_MS === 0) return `${ms / MINUTE_MS}m`
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}
