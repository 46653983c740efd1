/**
 * A fast yes/no check of a plan's structure, for plans of a million images where the zod schema's
 * copy of every action and kept image costs seconds (12 s of a 32 s `show`, measured).
 * It only ever answers "valid" for what the strict schema (./schema.ts) accepts; anything else,
 * including what the schema might still accept, answers "not sure" and the reader runs the schema,
 * whose message names the path. Deletions and kept images are checked here by hand; the rest of
 * the plan (a few objects, the lifecycle actions, the summary) by the schema without them.
 */
import {IMAGE_STATUSES, planActionSchema, planShellSchema} from './schema.js'
import {REASON_CODES, reasonSchema} from './reason-schema.js'
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import {isZonedTime} from '../util/time.js'

const REASONS: ReadonlySet<unknown> = new Set(REASON_CODES)
const STATUSES: ReadonlySet<unknown> = new Set(IMAGE_STATUSES)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isDigest = (value: unknown): boolean => typeof value === 'string' && IMAGE_DIGEST_PATTERN.test(value)
const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isName = (value: unknown): boolean => typeof value === 'string' && value.length > 0

function isListOf(value: unknown, item: (value: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false
  for (const element of value) if (!item(element)) return false
  return true
}

const isTag = isName
const isString = (value: unknown): boolean => typeof value === 'string'

const isPositive = (value: unknown): boolean => isCount(value) && (value as number) > 0
const isOptional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value)

/** Checks by hand for the reasons a million images carry; the rarer ones go to their schema. */
const REASON_CHECKS: Partial<Record<string, {keys: ReadonlySet<string>; valid: (value: Record<string, unknown>) => boolean}>> = {
  noKeepRule: {keys: new Set(['code']), valid: () => true},
  gracePeriod: {keys: new Set(['code', 'gracePeriodMs']), valid: (value) => isCount(value.gracePeriodMs)},
  indexChild: {keys: new Set(['code', 'relatedDigest']), valid: (value) => isDigest(value.relatedDigest)},
  childOfDeletedIndex: {keys: new Set(['code', 'relatedDigest']), valid: (value) => isDigest(value.relatedDigest)},
  keepRule: {
    keys: new Set(['code', 'entry', 'index', 'matching', 'newest', 'rank', 'reason', 'rule']),
    valid: (value) =>
      isName(value.entry) &&
      isCount(value.index) &&
      isName(value.rule) &&
      isOptional(value.matching, isCount) &&
      isOptional(value.newest, isPositive) &&
      isOptional(value.rank, isPositive) &&
      isOptional(value.reason, isString),
  },
}

function isReason(value: unknown): boolean {
  if (!isRecord(value) || typeof value.code !== 'string') return false
  const check = REASON_CHECKS[value.code]
  if (check === undefined) return REASONS.has(value.code) && reasonSchema.safeParse(value).success
  for (const key in value) if (!check.keys.has(key) || value[key] === undefined) return false
  return check.valid(value)
}

/** The facts every deleted and kept image carries; false for keys it does not know. */
function hasImageFacts(value: Record<string, unknown>): boolean {
  return (
    isName(value.repository) &&
    isDigest(value.imageDigest) &&
    isListOf(value.imageTags, isTag) &&
    isZonedTime(value.imagePushedAt) &&
    isCount(value.sizeBytes) &&
    isListOf(value.reasons, isReason) &&
    (value.status === undefined ? !('status' in value) : STATUSES.has(value.status))
  )
}

const IMAGE_FACT_KEYS = new Set(['repository', 'imageDigest', 'imageTags', 'imagePushedAt', 'sizeBytes', 'status', 'reasons'])

const isLastPull = (value: unknown): boolean => value === null || isZonedTime(value)

/** True only when the schema's deleteImage action accepts `value` as it is. */
export function isValidDeleteImageAction(value: unknown): boolean {
  if (!isRecord(value) || value.type !== 'deleteImage' || !isLastPull(value.lastPulledAt) || !hasImageFacts(value)) return false
  for (const key in value) {
    if (IMAGE_FACT_KEYS.has(key) || key === 'type' || key === 'lastPulledAt') continue
    if (key === 'references' ? !isListOf(value[key], isDigest) : key === 'notes' ? !isListOf(value[key], isString) : true) return false
  }
  return true
}

/** True only when the schema's kept image accepts `value` as it is. */
export function isValidKeptImage(value: unknown): boolean {
  if (!isRecord(value) || !hasImageFacts(value)) return false
  for (const key in value) if (!IMAGE_FACT_KEYS.has(key)) return false
  return true
}

/** True only when the strict plan schema accepts `value` as it is. */
export function isValidPlanStructure(value: unknown): boolean {
  if (!planShellSchema.safeParse(value).success) return false
  const {actions, kept} = value as {actions: unknown[]; kept: unknown[]}
  for (const action of actions) {
    // lifecycle actions are few: the schema checks them
    if (!isValidDeleteImageAction(action) && !planActionSchema.safeParse(action).success) return false
  }
  for (const image of kept) if (!isValidKeptImage(image)) return false
  return true
}

