import {createHash} from 'node:crypto'
import {ByteBatcher} from '../document/byte-batcher.js'
import {writeFileAtomically} from '../document/write.js'
import type {PlanDocument, UnsealedPlan} from '../model/plan.js'
import {type Sink, streamLayoutAndCompact} from './canonical-json.js'
import {streamPlan} from './seal.js'

const HASH_AT = 1 << 16

/**
 * Writes the plan to a temporary file next to its final path and renames it into place, so a
 * reader never sees half a plan (an interrupted `plan --out` leaves the previous file, not a
 * truncated one), never through a symbolic link (src/document/write.ts). Written in pieces: one
 * string of a million-image plan (about 440 MB) would double the peak memory.
 */
export async function writePlanFile(path: string, doc: PlanDocument): Promise<void> {
  writeFileAtomically(path, 'plan', (file) => streamPlan(doc, file.write))
}

/**
 * sealPlan and writePlanFile in one walk over the plan: each image is stringified once, for the
 * file and for the checksum (a million images: seconds saved). The checksum sits near the top of
 * the file (keys are sorted: after `actions`) but covers everything else, so its place is written
 * with a placeholder and filled in at the end. Returns what sealPlan(plan) returns; the file has
 * the bytes writePlanFile(path, sealPlan(plan)) writes.
 */
export async function writeSealedPlanFile(path: string, plan: UnsealedPlan): Promise<PlanDocument> {
  const {checksum: _stale, ...content} = plan as PlanDocument
  const hash = createHash('sha256')
  // batched: a few large updates of bytes, not millions of small strings
  const hashBytes = new ByteBatcher(HASH_AT, (bytes) => hash.update(bytes))
  const compact: Sink = (chunk) => hashBytes.write(chunk)
  const placeholder = '0'.repeat(64)
  const keys = Object.keys({...content, checksum: placeholder})
    .filter((key) => {
      const value = (content as Record<string, unknown>)[key]
      return key === 'checksum' || (value !== undefined && typeof value !== 'function' && typeof value !== 'symbol')
    })
    .sort()
  let checksum = ''
  writeFileAtomically(path, 'plan', (file) => {
    let checksumAt = -1
    let compactMembers = 0
    file.write('{')
    compact('{')
    keys.forEach((key, index) => {
      const name = JSON.stringify(key)
      file.write(`${index > 0 ? ',' : ''}\n  ${name}: `)
      if (key === 'checksum') {
        checksumAt = file.position() + 1 // after the opening quote
        file.write(JSON.stringify(placeholder))
        return
      }
      compact(`${compactMembers++ > 0 ? ',' : ''}${name}:`)
      streamLayoutAndCompact((content as Record<string, unknown>)[key], file.write, compact, '  ')
    })
    file.write('\n}\n')
    compact('}')
    hashBytes.flush()
    checksum = hash.digest('hex')
    file.writeAt(checksumAt, checksum)
  })
  return {...content, checksum}
}
