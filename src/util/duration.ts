/**
 * Durations as people write them in desired-state files: a whole number and one unit letter
 * (`90s`, `15m`, `24h`, `30d`, `2w`). No months or years: their length varies, and a grace period
 * that silently means 28 or 31 days is not one you can reason about when deleting images.
 */
import {DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS} from './time.js'

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

/** The largest unit that divides `ms` exactly, so `formatDuration(parseDuration('48h'))` is `2d`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  const units: Unit[] = ['w', 'd', 'h', 'm', 's']
  for (const unit of units) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return `${ms}ms`
}
