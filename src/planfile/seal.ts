/**
 * Sealing and serialising plans. The checksum covers the canonical JSON (json-stable-stringify,
 * no whitespace) of the document without `checksum`, so re-indenting a saved plan does not break
 * it but changing any value does.
 */
import {createHash} from 'node:crypto'
import stringify from 'json-stable-stringify'
import type {PlanDocument, UnsealedPlan} from '../model/plan.js'

export function canonicalJson(value: unknown): string {
  const text = stringify(value)
  if (text === undefined) throw new TypeError('value has no JSON representation')
  return text
}

/** sha256 (hex) over the canonical JSON of the plan without its `checksum` field. */
export function computePlanChecksum(plan: UnsealedPlan | PlanDocument): string {
  const {checksum: _ignored, ...content} = plan as PlanDocument
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex')
}

export function sealPlan(plan: UnsealedPlan): PlanDocument {
  const {checksum: _stale, ...content} = plan as PlanDocument
  return {...content, checksum: computePlanChecksum(content)}
}

/** The plan file's bytes: sorted keys, 2-space indent, trailing newline. Identical input → identical bytes. */
export function serializePlan(doc: PlanDocument): string {
  const text = stringify(doc, {space: 2, collapseEmpty: true})
  if (text === undefined) throw new TypeError('plan has no JSON representation')
  return `${text}\n`
}
