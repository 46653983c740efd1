/**
 * Canonical lifecycle-policy text: the one spelling of a policy that plan compares, stores in
 * `putLifecyclePolicy.before/after`, and apply puts and re-checks. Two policies ECR treats the same
 * get the same text; see docs/lifecycle.md ("Canonical form") for every normalisation.
 *
 * - rules sorted by rulePriority; object keys sorted (json-stable-stringify), 2-space indented so a
 *   unified diff of two policies is readable line by line;
 * - enum values in ECR's policy-text spelling (`tagged`, `imageCountMoreThan`, `days`, `expire`,
 *   `archive`) whatever case they were written in;
 * - tag lists sorted and de-duplicated: every entry must match (AND), so order is meaningless;
 * - `storageClass: standard` is dropped where it is ECR's implicit default (every count type but
 *   sinceImageTransitioned). Dropping rather than filling keeps the text puttable to back ends that
 *   predate the archive vocabulary (moto rejects `storageClass`), and is equality-preserving all the
 *   same.
 */
import stringify from 'json-stable-stringify'
import type {LifecyclePolicyDoc, LifecycleRule} from '../model/desired.js'

const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'] as const

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
type JsonObject = {[key: string]: Json}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const lower = (value: Json | undefined): Json | undefined => (typeof value === 'string' ? value.toLowerCase() : value)

function canonicalCountType(value: Json | undefined): Json | undefined {
  if (typeof value !== 'string') return value
  return COUNT_TYPES.find((name) => name.toLowerCase() === value.toLowerCase()) ?? value
}

function canonicalTagList(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) return value
  return [...new Set(value as string[])].sort()
}

function canonicalSelection(selection: JsonObject): JsonObject {
  const out: JsonObject = {...selection}
  const set = (key: string, value: Json | undefined): void => {
    if (value === undefined) delete out[key]
    else out[key] = value
  }
  set('tagStatus', lower(selection.tagStatus))
  set('countType', canonicalCountType(selection.countType))
  set('countUnit', lower(selection.countUnit))
  set('storageClass', lower(selection.storageClass))
  set('tagPrefixList', canonicalTagList(selection.tagPrefixList))
  set('tagPatternList', canonicalTagList(selection.tagPatternList))
  if (out.storageClass === 'standard' && out.countType !== 'sinceImageTransitioned') delete out.storageClass
  return out
}

function canonicalRule(rule: Json): Json {
  if (!isObject(rule)) return rule
  const out: JsonObject = {...rule}
  if (isObject(rule.selection)) out.selection = canonicalSelection(rule.selection)
  if (isObject(rule.action)) {
    const action: JsonObject = {...rule.action}
    if (action.type !== undefined) action.type = lower(action.type) as Json
    if (action.targetStorageClass !== undefined) action.targetStorageClass = lower(action.targetStorageClass) as Json
    out.action = action
  }
  return out
}

const priorityOf = (rule: Json): number =>
  isObject(rule) && typeof rule.rulePriority === 'number' ? rule.rulePriority : Number.POSITIVE_INFINITY

/** The canonical JSON value of a parsed policy document (any JSON; unknown keys are kept). */
function canonicalValue(document: Json): Json {
  if (!isObject(document) || !Array.isArray(document.rules)) return document
  const rules = document.rules.map(canonicalRule)
  // Stable sort: rules with equal (invalid, duplicate) priorities keep their written order.
  const sorted = rules
    .map((rule, index) => ({rule, index}))
    .sort((a, b) => priorityOf(a.rule) - priorityOf(b.rule) || a.index - b.index)
    .map(({rule}) => rule)
  return {...document, rules: sorted}
}

const render = (value: Json): string => stringify(value, {space: 2}) ?? 'null'

/** The canonical form of a policy document, as a typed document (rules in priority order). */
export function canonicalPolicy(doc: LifecyclePolicyDoc): LifecyclePolicyDoc {
  return canonicalValue(doc as unknown as Json) as unknown as LifecyclePolicyDoc
}

/** The canonical text of a policy document: the text plan stores and apply puts. */
export function policyDocToEcrJson(doc: LifecyclePolicyDoc): string {
  return render(canonicalValue(JSON.parse(JSON.stringify(doc)) as Json))
}

/**
 * Canonical text of a policy as ECR returns it (GetLifecyclePolicy's lifecyclePolicyText), or null
 * for no policy. Text that is not JSON is returned unchanged: it then differs from every desired
 * policy, so plan proposes a put, and apply's before/after comparison still works byte for byte.
 */
export function canonicalPolicyText(text: string | null): string | null {
  if (text === null) return null
  let parsed: Json
  try {
    parsed = JSON.parse(text) as Json
  } catch {
    return text
  }
  return render(canonicalValue(parsed))
}

/**
 * Reads ECR policy text into a typed document for evaluation. Returns an error message instead
 * when the text is not JSON or has no `rules` array; it does not validate rule semantics
 * (see validateLifecyclePolicy).
 */
export function parsePolicyText(text: string): {doc: LifecyclePolicyDoc} | {error: string} {
  let parsed: Json
  try {
    parsed = JSON.parse(text) as Json
  } catch (error) {
    return {error: `not JSON (${(error as Error).message})`}
  }
  const value = canonicalValue(parsed)
  if (!isObject(value) || !Array.isArray(value.rules)) return {error: 'no "rules" array'}
  for (const [index, rule] of value.rules.entries()) {
    if (!isObject(rule) || !isObject(rule.selection) || !isObject(rule.action) || typeof rule.rulePriority !== 'number') {
      return {error: `rule ${index} lacks rulePriority, selection or action`}
    }
  }
  return {doc: {rules: value.rules as unknown as LifecycleRule[]}}
}
