import {createHash} from 'node:crypto'
import {closeSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {EcrctlError} from '../errors.js'
import type {PlanDocument, UnsealedPlan} from '../model/plan.js'
import {type Sink, streamLayoutAndCompact} from './canonical-json.js'
import {streamPlan} from './seal.js'

const FLUSH_AT = 1 << 20
const HASH_AT = 1 << 16

/**
 * Writes the plan next to its final path and renames it into place, so a reader never sees half a
 * plan (an interrupted `plan --out` leaves the previous file, not a truncated one). Written in
 * pieces: a plan of a million images does not fit in one string.
 */
export async function writePlanFile(path: string, doc: PlanDocument): Promise<void> {
  writeAtomically(path, (file) => streamPlan(doc, file.write))
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
  writeAtomically(path, (file) => {
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

interface PlanFileWriter {
  write: Sink
  /** Bytes written so far (flushes what is pending). */
  position: () => number
  /** Overwrites bytes already written (flushes what is pending first). */
  writeAt: (position: number, text: string) => void
}

function writeAtomically(path: string, produce: (file: PlanFileWriter) => void): void {
  const temporary = `${path}.${process.pid}.tmp`
  let fd: number | undefined
  try {
    const descriptor = openSync(temporary, 'w')
    fd = descriptor
    let written = 0
    const file = new ByteBatcher(FLUSH_AT, (bytes) => {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(descriptor, bytes, offset, bytes.length - offset, written + offset)
      written += bytes.length
    })
    produce({
      write: (chunk) => file.write(chunk),
      position: () => {
        file.flush()
        return written
      },
      writeAt: (position, text) => {
        file.flush() // what is pending may cover `position`
        const bytes = Buffer.from(text, 'utf8')
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(descriptor, bytes, offset, bytes.length - offset, position + offset)
      },
    })
    file.flush()
    closeSync(descriptor)
    fd = undefined
    renameSync(temporary, path)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    rmSync(temporary, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    if (code === undefined) throw error
    throw new EcrctlError(`Cannot write the plan to ${path} (${code}).`, {
      kind: 'environment',
      nextSteps: ['Check that the directory exists and is writable, or pass another --out path.'],
      cause: error,
    })
  }
}

/**
 * Text pieces encoded straight into one reused buffer and handed on when it is full: no joined
 * strings and no buffer per piece (a plan of a million images is ~440 MB of pieces).
 */
class ByteBatcher {
  private readonly buffer: Buffer
  private used = 0

  constructor(
    size: number,
    private readonly drain: (bytes: Buffer) => void,
  ) {
    this.buffer = Buffer.allocUnsafe(size)
  }

  write(chunk: string): void {
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + chunk.length * 3 > this.buffer.length) {
      this.flush()
      if (chunk.length * 3 > this.buffer.length) {
        this.drain(Buffer.from(chunk, 'utf8'))
        return
      }
    }
    this.used += this.buffer.write(chunk, this.used, 'utf8')
  }

  flush(): void {
    if (this.used === 0) return
    this.drain(this.buffer.subarray(0, this.used))
    this.used = 0
  }
}

