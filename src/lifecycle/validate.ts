/**
 * ECR's semantic rules for lifecycle policies, checked offline so a bad policy fails at `validate`
 * / `plan` time with file:line instead of at PutLifecyclePolicy. Sources: ECR user guide
 * (lifecycle_policy_parameters, LifecyclePolicies) and the API model; see docs/lifecycle.md.
 */
import type {LifecyclePolicyDoc, LifecycleRule} from '../model/desired.js'
import {MAX_LIFECYCLE_POLICY_CHARS, MAX_LIFECYCLE_RULES, MAX_WILDCARDS_PER_PATTERN} from '../model/ecr-facts.js'
import {policyDocToEcrJson} from './canonical.js'
import {lifecyclePolicySchema} from './policy-schema.js'

/** One violation of ECR's lifecycle-policy rules, located by the path inside the policy. */
export interface LifecycleViolation {
  /** Path inside the policy, e.g. ['rules', 0, 'selection', 'tagPatternList', 1]. */
  path: Array<string | number>
  rulePriority?: number
  message: string
}


const TAG_STATUSES = new Set(['tagged', 'untagged', 'any'])
const COUNT_TYPES = new Set(['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'])
const SINCE_TYPES = new Set(['sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'])

/** The storage class a rule selects: explicit, or ECR's implicit default for its count type. */
export function ruleStorageClass(rule: LifecycleRule): 'standard' | 'archive' {
  if (rule.selection.storageClass) return rule.selection.storageClass
  return rule.selection.countType === 'sinceImageTransitioned' ? 'archive' : 'standard'
}

const isPositiveInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0

function ruleViolations(rule: LifecycleRule, index: number): LifecycleViolation[] {
  const out: LifecycleViolation[] = []
  const priority = isPositiveInt(rule.rulePriority) ? rule.rulePriority : undefined
  const at = (...rest: Array<string | number>): Array<string | number> => ['rules', index, ...rest]
  const add = (path: Array<string | number>, message: string): void => {
    out.push({path, message, ...(priority === undefined ? {} : {rulePriority: priority})})
  }
  const {selection, action} = rule

  if (!isPositiveInt(rule.rulePriority)) add(at('rulePriority'), 'rulePriority must be a positive integer')

  const hasPrefixes = selection.tagPrefixList !== undefined
  const hasPatterns = selection.tagPatternList !== undefined
  if (!TAG_STATUSES.has(selection.tagStatus)) {
    add(at('selection', 'tagStatus'), `tagStatus must be tagged, untagged or any (got ${JSON.stringify(selection.tagStatus)})`)
  } else if (selection.tagStatus === 'tagged') {
    if (!hasPrefixes && !hasPatterns) {
      add(at('selection', 'tagStatus'), 'a rule with tagStatus tagged needs a tagPatternList or a tagPrefixList')
    }
  } else {
    if (hasPrefixes) add(at('selection', 'tagPrefixList'), `a rule with tagStatus ${selection.tagStatus} must omit tagPrefixList`)
    if (hasPatterns) add(at('selection', 'tagPatternList'), `a rule with tagStatus ${selection.tagStatus} must omit tagPatternList`)
  }
  if (hasPrefixes && hasPatterns) {
    add(at('selection'), 'a rule takes either tagPatternList or tagPrefixList, never both')
  }
  for (const [key, list] of [
    ['tagPrefixList', selection.tagPrefixList],
    ['tagPatternList', selection.tagPatternList],
  ] as const) {
    if (list === undefined) continue
    if (list.length === 0) add(at('selection', key), `${key} must not be empty`)
    for (const [i, entry] of list.entries()) {
      if (typeof entry !== 'string' || entry.length === 0) {
        add(at('selection', key, i), `${key} entries must be non-empty strings`)
        continue
      }
      if (key === 'tagPatternList' && entry.split('*').length - 1 > MAX_WILDCARDS_PER_PATTERN) {
        add(at('selection', key, i), `pattern ${JSON.stringify(entry)} has more than ${MAX_WILDCARDS_PER_PATTERN} '*' wildcards`)
      }
      if (key === 'tagPrefixList' && entry.includes('*')) {
        add(at('selection', key, i), `tagPrefixList takes plain prefixes; use tagPatternList for ${JSON.stringify(entry)}`)
      }
    }
  }

  const countType = selection.countType
  if (!COUNT_TYPES.has(countType)) {
    add(at('selection', 'countType'), `countType must be imageCountMoreThan, sinceImagePushed, sinceImagePulled or sinceImageTransitioned (got ${JSON.stringify(countType)})`)
  } else if (SINCE_TYPES.has(countType)) {
    if (selection.countUnit !== 'days') add(at('selection', 'countUnit'), `countType ${countType} requires countUnit: days`)
  } else if (selection.countUnit !== undefined) {
    add(at('selection', 'countUnit'), 'countUnit is only allowed with sinceImagePushed, sinceImagePulled or sinceImageTransitioned')
  }
  if (!isPositiveInt(selection.countNumber)) add(at('selection', 'countNumber'), 'countNumber must be a positive integer (0 is not accepted)')

  const storageClass = selection.storageClass
  if (storageClass !== undefined && storageClass !== 'standard' && storageClass !== 'archive') {
    add(at('selection', 'storageClass'), `storageClass must be standard or archive (got ${JSON.stringify(storageClass)})`)
  } else if (countType === 'sinceImageTransitioned') {
    if (storageClass !== 'archive') add(at('selection', 'storageClass'), 'countType sinceImageTransitioned requires storageClass: archive')
  } else if (storageClass === 'archive') {
    add(at('selection', 'storageClass'), `storageClass archive is only allowed with countType sinceImageTransitioned (got ${countType})`)
  }

  if (action.type === 'expire') {
    if (action.targetStorageClass !== undefined) add(at('action', 'targetStorageClass'), 'targetStorageClass is only allowed with action type transition')
    // ECR documents sinceImagePulled only for archiving; refuse the undocumented pairing (docs/lifecycle.md).
    if (countType === 'sinceImagePulled') {
      add(at('action', 'type'), 'countType sinceImagePulled is documented only for archiving: use action type transition (targetStorageClass archive), or sinceImagePushed to expire')
    }
  } else if (action.type === 'transition') {
    if (action.targetStorageClass !== 'archive') add(at('action', 'targetStorageClass'), 'action type transition requires targetStorageClass: archive')
    if (countType === 'sinceImageTransitioned' || storageClass === 'archive') {
      add(at('action', 'type'), 'archived images can only be expired: a sinceImageTransitioned rule must use action type expire')
    }
  } else {
    add(at('action', 'type'), `action type must be expire or transition (got ${JSON.stringify(action.type)})`)
  }
  return out
}

function policyViolations(policy: LifecyclePolicyDoc): LifecycleViolation[] {
  const out: LifecycleViolation[] = []
  const rules = policy.rules
  if (rules.length === 0) out.push({path: ['rules'], message: 'a lifecycle policy needs at least one rule (use `lifecycle: none` for no policy)'})
  if (rules.length > MAX_LIFECYCLE_RULES) out.push({path: ['rules'], message: `a lifecycle policy holds at most ${MAX_LIFECYCLE_RULES} rules (got ${rules.length})`})

  const firstIndexByPriority = new Map<number, number>()
  for (const [index, rule] of rules.entries()) {
    const seen = firstIndexByPriority.get(rule.rulePriority)
    if (seen === undefined) firstIndexByPriority.set(rule.rulePriority, index)
    else out.push({path: ['rules', index, 'rulePriority'], rulePriority: rule.rulePriority, message: `rulePriority ${rule.rulePriority} is used by more than one rule (also rules[${seen}]); priorities must be unique`})
  }

  const highest = Math.max(...rules.map((rule) => rule.rulePriority))
  for (const [index, rule] of rules.entries()) {
    if (rule.selection.tagStatus === 'any' && rule.rulePriority !== highest) {
      out.push({path: ['rules', index, 'rulePriority'], rulePriority: rule.rulePriority, message: `a rule with tagStatus any must have the highest rulePriority in the policy (${highest} is higher)`})
    }
  }

  // "Only one rule per storage class may select untagged images" and "rules that select the same
  // storage class must use unique prefixes/patterns".
  const untaggedByClass = new Map<string, number>()
  const tagSetByClass = new Map<string, number>()
  for (const [index, rule] of rules.entries()) {
    const storageClass = ruleStorageClass(rule)
    if (rule.selection.tagStatus === 'untagged') {
      const other = untaggedByClass.get(storageClass)
      if (other === undefined) untaggedByClass.set(storageClass, index)
      else out.push({path: ['rules', index, 'selection', 'tagStatus'], rulePriority: rule.rulePriority, message: `only one rule per storage class may select untagged images (rules[${other}] already does for ${storageClass})`})
    }
    const list = rule.selection.tagPatternList ?? rule.selection.tagPrefixList
    if (rule.selection.tagStatus === 'tagged' && list) {
      const kind = rule.selection.tagPatternList ? 'pattern' : 'prefix'
      const key = `${storageClass}|${kind}|${JSON.stringify([...new Set(list)].sort())}`
      const other = tagSetByClass.get(key)
      if (other === undefined) tagSetByClass.set(key, index)
      else out.push({path: ['rules', index, 'selection'], rulePriority: rule.rulePriority, message: `rules[${other}] already selects the same tag ${kind}es in the ${storageClass} storage class; each rule needs a unique tag selection`})
    }
  }

  if (out.length === 0) {
    const length = policyDocToEcrJson(policy).length
    if (length > MAX_LIFECYCLE_POLICY_CHARS) out.push({path: ['rules'], message: `the policy text is ${length} characters; ECR accepts at most ${MAX_LIFECYCLE_POLICY_CHARS}`})
  }
  return out
}

/**
 * Checks a structurally valid policy against ECR's semantic rules (unique priorities, `any` last,
 * wildcard limits, countType/countUnit/storageClass/action pairing, sizes). Pure; the desired-state
 * loader turns each violation into an error with file:line.
 */
export function validateLifecyclePolicy(policy: LifecyclePolicyDoc): LifecycleViolation[] {
  const perRule = policy.rules.flatMap((rule, index) => ruleViolations(rule, index))
  return [...perRule, ...policyViolations(policy)]
}

/**
 * What is wrong with policy text as a saved plan would put it: not JSON, not ECR's shape, or
 * against ECR's rules; empty when ECR would accept it. Paths are inside the policy.
 */
export function lifecyclePolicyTextProblems(text: string): LifecycleViolation[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return [{path: [], message: `not JSON (${(error as Error).message})`}]
  }
  const shape = lifecyclePolicySchema.safeParse(parsed)
  if (!shape.success) return shape.error.issues.map((issue) => ({path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)), message: issue.message}))
  return validateLifecyclePolicy(shape.data)
}
