import {closeSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {EcrctlError} from '../errors.js'
import type {PlanDocument} from '../model/plan.js'
import {streamPlan} from './seal.js'

const FLUSH_AT = 1 << 20

/**
 * Writes the plan next to its final path and renames it into place, so a reader never sees half a
 * plan (an interrupted `plan --out` leaves the previous file, not a truncated one). Written in
 * pieces: a plan of a million images does not fit in one string.
 */
export async function writePlanFile(path: string, doc: PlanDocument): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  let fd: number | undefined
  try {
    fd = openSync(temporary, 'w')
    let pending: string[] = []
    let pendingLength = 0
    const flush = () => {
      writeSync(fd as number, pending.join(''))
      pending = []
      pendingLength = 0
    }
    streamPlan(doc, (chunk) => {
      pending.push(chunk)
      pendingLength += chunk.length
      if (pendingLength >= FLUSH_AT) flush()
    })
    flush()
    closeSync(fd)
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
