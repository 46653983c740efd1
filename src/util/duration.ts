/**
 * Durations as people write them in desired-state files: a whole number and one unit letter
 * (`90s`, `15m`, `24h`, `30d`, `2w`). No months or years: their length varies, and a grace period
 * that silently means 28 or 31 days is not one you can reason about when deleting images.
 */
import {DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS} from './time.js'
import {plural} from './words.js'

const UNIT_MS = {
  s: SECOND_MS,
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
} as const

type Unit = keyof typeof UNIT_MS

// Seven digits keep every unit within safe integer milliseconds (9,999,999w is about 190,000 years).
export const DURATION_PATTERN = /^(\d{1,7})([smhdw])$/

export const DURATION_HINT = 'a whole number followed by s, m, h, d or w, e.g. 24h, 30d, 90d or 2w'

/** Milliseconds for `<n><unit>`, or undefined when the text is not such a duration (or absurdly large). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text)
  if (!match) return undefined
  const ms = Number(match[1]) * UNIT_MS[match[2] as Unit]
  return Number.isSafeInteger(ms) ? ms : undefined
}

/**
 * The one spelling of a duration in ecrctl's output, as a desired state would write it: the
 * largest of d, h, m and s that divides `ms` exactly (`1d`, `36h`, `90m`; `1500ms` otherwise).
 * Weeks are left out on purpose: retention is written and read in days, so 14 days reads `14d`,
 * not `2w`. `parseDuration(formatDuration(ms))` is `ms` for every whole second.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  const units: Unit[] = ['d', 'h', 'm', 's']
  for (const unit of units) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return `${ms}ms`
}

/** How long ago, in words: the largest whole unit, rounded down ("122 days", "5 hours", "1 minute"). */
export function formatAge(ms: number): string {
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day')
  if (ms >= HOUR_MS) return plural(Math.floor(ms / HOUR_MS), 'hour')
  return plural(Math.floor(Math.max(0, ms) / MINUTE_MS), 'minute')
}
