/**
 * Validation of the `ecrctl plan` inputs that shape the plan itself (evaluation time, price), kept
 * out of the command so they are tested as plain functions.
 */
import {EcrctlError} from '../../errors.js'
import {PLAN_CLOCK_SKEW_MS} from '../../model/plan.js'
import {formatAge} from '../../util/duration.js'
import {parseZonedTime} from '../../util/time.js'

/**
 * `--now`: an ISO-8601 date (midnight UTC) or date-time with a zone. A date-time without a zone
 * is refused: it would mean the machine's local time, and the same plan must come out anywhere.
 */
export function parseEvaluationTime(text: string | undefined, clock: () => Date = () => new Date()): Date {
  if (text === undefined) return clock()
  const trimmed = text.trim()
  const zoneless = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(trimmed)
  const ms = parseZonedTime(trimmed)
  if (ms === undefined) {
    throw new EcrctlError(`--now ${JSON.stringify(text)} is not an ISO-8601 time${zoneless ? ' with a time zone' : ''}.`, {
      detail: zoneless
        ? 'A time without a zone would be read in this machine’s local time, so the plan would differ between machines.'
        : undefined,
      nextSteps: ['Pass e.g. --now 2025-03-01T00:00:00Z (UTC), --now 2025-03-01T09:00:00+09:00 or --now 2025-03-01.'],
    })
  }
  return new Date(ms)
}

/**
 * `--now` in the future against the live registry makes a plan that counts ages from a time that
 * has not come, which apply refuses until that time (less the clock skew) has come. Offline plans
 * (`--live-state`) are for looking ahead ("what would go next week?"), so they get no warning.
 */
export function futureEvaluationWarning(now: Date, options: {live: boolean; clock?: () => Date}): string | undefined {
  const current = (options.clock ?? (() => new Date()))()
  if (!options.live || now.getTime() <= current.getTime() + PLAN_CLOCK_SKEW_MS) return undefined
  return (
    `--now ${now.toISOString()} is in the future (${formatAge(now.getTime() - current.getTime())} ahead): the plan counts ages and grace periods from it, ` +
    `so apply refuses this plan until ${new Date(now.getTime() - PLAN_CLOCK_SKEW_MS).toISOString()}. Omit --now to plan for the registry as it is now.`
  )
}

/** `--price-per-gb-month`: a finite number ≥ 0 (USD per decimal GB-month). */
export function parsePricePerGbMonth(text: string | undefined, fallback = 0.1): number {
  if (text === undefined) return fallback
  const value = /^\s*\d+(?:\.\d+)?\s*$|^\s*\.\d+\s*$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isFinite(value) || value < 0) {
    throw new EcrctlError(`--price-per-gb-month ${JSON.stringify(text)} is not a price.`, {
      detail: 'It is the storage price in USD per GB-month, used only for the savings estimate.',
      nextSteps: ['Pass a number ≥ 0, e.g. --price-per-gb-month 0.10.'],
    })
  }
  return value
}

/** Both plan-shaping inputs at once (the command and the golden runner share this). */
export function parsePlanArgs(input: {now?: string; pricePerGbMonth?: string}, clock?: () => Date): {now: Date; pricePerGbMonth: number} {
  return {now: parseEvaluationTime(input.now, clock), pricePerGbMonth: parsePricePerGbMonth(input.pricePerGbMonth)}
}
