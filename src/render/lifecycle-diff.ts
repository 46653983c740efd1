/**
 * Lifecycle policy changes as a unified diff of pretty-printed JSON, so a reviewer sees which rule
 * changed rather than two JSON blobs. Keys are printed in the order ECR's documentation writes a
 * rule (rulePriority, description, selection, action; tagStatus … countNumber), which reads far
 * better than alphabetical order; unknown keys follow alphabetically. Display only: the plan keeps
 * the canonical text.
 */
import {createTwoFilesPatch} from 'diff'
import stringify from 'json-stable-stringify'
import type {DeleteLifecyclePolicyAction, PutLifecyclePolicyAction} from '../model/plan.js'
import {compareStrings} from '../util/order.js'

export type LifecycleAction = PutLifecyclePolicyAction | DeleteLifecyclePolicyAction

const KEY_ORDER = [
  'rules',
  'rulePriority',
  'description',
  'selection',
  'action',
  'tagStatus',
  'tagPatternList',
  'tagPrefixList',
  'storageClass',
  'countType',
  'countUnit',
  'countNumber',
  'type',
  'targetStorageClass',
]
const rank = (key: string) => {
  const index = KEY_ORDER.indexOf(key)
  return index === -1 ? KEY_ORDER.length : index
}

/** Policies up to this many lines are shown whole; longer ones with 3 lines of context. */
const FULL_CONTEXT_LINES = 60

export function prettyPolicy(text: string | null): string {
  if (text === null) return ''
  try {
    const pretty = stringify(JSON.parse(text), {
      space: 2,
      cmp: (a, b) => rank(a.key) - rank(b.key) || compareStrings(a.key, b.key),
    })
    return `${pretty}\n`
  } catch {
    // A live policy ECR accepted but we cannot parse is still shown, verbatim.
    return text.endsWith('\n') ? text : `${text}\n`
  }
}

/** "update", "create" (no live policy) or "delete". */
export function lifecycleVerb(action: LifecycleAction): 'create' | 'update' | 'delete' {
  if (action.type === 'deleteLifecyclePolicy') return 'delete'
  return action.before === null ? 'create' : 'update'
}

/** The unified diff lines (without the `====` banner), ending with a newline. */
export function lifecycleDiff(action: LifecycleAction): string {
  const before = prettyPolicy(action.before)
  const after = action.type === 'putLifecyclePolicy' ? prettyPolicy(action.after) : ''
  const patch = createTwoFilesPatch(
    `${action.repository} (live)`,
    `${action.repository} (${action.type === 'putLifecyclePolicy' ? 'desired' : 'deleted'})`,
    before,
    after,
    undefined,
    undefined,
    {context: Math.max(before.split('\n').length, after.split('\n').length) <= FULL_CONTEXT_LINES ? FULL_CONTEXT_LINES : 3},
  )
  return patch.replace(/^=+\n/, '')
}
