/**
 * Sealing and serialising plans. The checksum covers the canonical JSON (sorted keys, no
 * whitespace: json-stable-stringify's form) of the document without `checksum`, so re-indenting a
 * saved plan does not break it but changing any value does. Both are produced piece by piece
 * (./canonical-json.ts): a plan of a million images is about 440 MB, and one string of it would
 * double the peak memory of a run and come close to the longest string V8 allows (2^29 − 24
 * UTF-16 code units, about 537 million characters).
 */
import {createHash} from 'node:crypto'
import {ByteBatcher} from '../document/byte-batcher.js'
import type {PlanDocument, UnsealedPlan} from '../model/plan.js'
import {type Sink, streamCompactJson, streamPlanLayout} from './canonical-json.js'

/** sha256 (hex) over the canonical JSON of the plan without its `checksum` field. */
export function computePlanChecksum(plan: UnsealedPlan | PlanDocument): string {
  const {checksum: _ignored, ...content} = plan as PlanDocument
  const hash = createHash('sha256')
  // batched: a few large updates of bytes, not a million small strings
  const bytes = new ByteBatcher(1 << 16, (batch) => hash.update(batch))
  streamCompactJson(content, (chunk) => bytes.write(chunk))
  bytes.flush()
  return hash.digest('hex')
}

/** The plan file's bytes, in pieces: see streamPlanLayout. Identical input → identical bytes. */
export function streamPlan(doc: PlanDocument, sink: Sink): void {
  streamPlanLayout(doc, sink)
  sink('\n')
}

/**
 * The plan with its checksum. Not copied: the planner builds its objects with sorted keys, so the
 * checksum and the writer stringify each image natively (see isCanonical in ./canonical-json.ts).
 */
export function sealPlan(plan: UnsealedPlan): PlanDocument {
  const {checksum: _stale, ...content} = plan as PlanDocument
  return {...content, checksum: computePlanChecksum(content)}
}

/** The plan file's bytes as one string (plans that fit in one; files are written with streamPlan). */
export function serializePlan(doc: PlanDocument): string {
  const chunks: string[] = []
  streamPlan(doc, (chunk) => chunks.push(chunk))
  return chunks.join('')
}
