/**
 * Time as ecrctl reads it: the length of a day, and the one reading of a time written in a file or
 * a flag (snapshots, plans, `--now`). Every such time must say its zone: `Date.parse` reads a
 * date-time without one, and most non-ISO forms, in the machine's local time — hours off, in the
 * direction that can make an image look old enough to delete, and different on every machine.
 */
export const SECOND_MS = 1000
export const MINUTE_MS = 60 * SECOND_MS
export const HOUR_MS = 60 * MINUTE_MS
/** A calendar day in UTC: ECR counts ages and lifecycle thresholds in these. */
export const DAY_MS = 24 * HOUR_MS

/** How schemas name a value {@link parseZonedTime} refuses. */
export const NOT_A_ZONED_TIME = 'not an ISO-8601 time with a zone'

/** `2025-01-31`, or `2025-01-31T12:00`, `…:00`, `…:00.123` followed by `Z` or `±hh:mm`. */
const ZONED_ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/i

const LOWER_CASE_LETTER = /[a-z]/
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)

/** The match of a well-formed zoned time whose every field is in range, or undefined. */
function zonedTimeFields(value: unknown): RegExpExecArray | undefined {
  if (typeof value !== 'string') return undefined
  const match = ZONED_ISO_TIME.exec(value)
  if (match === null) return undefined
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(year) ? 1 : 0)) return undefined
  if (match[4] === undefined) return match
  if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59) return undefined
  if (Number(match[7] ?? 0) > 23 || Number(match[8] ?? 0) > 59) return undefined
  return match
}

/**
 * Milliseconds since the epoch for an ISO-8601 date-time with an explicit zone, or a plain date
 * (which ISO-8601 reads as midnight UTC); undefined for anything else, including impossible dates
 * (`2025-02-30`, which `Date.parse` would quietly turn into March 2).
 */
export function parseZonedTime(value: unknown): number | undefined {
  const match = zonedTimeFields(value)
  if (match === undefined) return undefined
  const text = match[0]
  if (match[4] === undefined) return Date.parse(`${text}T00:00:00Z`)
  // Upper case: the ISO reading of `t` and `z` is V8's courtesy, not the standard's.
  const ms = Date.parse(LOWER_CASE_LETTER.test(text) ? text.toUpperCase() : text)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Whether parseZonedTime reads `value`: the same checks without the parse (every field is in range,
 * so `Date.parse` cannot refuse it), cheap enough for the fast checks of a million-image plan or
 * snapshot.
 */
export const isZonedTime = (value: unknown): value is string => zonedTimeFields(value) !== undefined
