import {writeFile} from 'node:fs/promises'
import {EcrctlError} from '../errors.js'
import type {PlanDocument} from '../model/plan.js'
import {serializePlan} from './seal.js'

export async function writePlanFile(path: string, doc: PlanDocument): Promise<void> {
  try {
    await writeFile(path, serializePlan(doc), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new EcrctlError(`Cannot write the plan to ${path}${code ? ` (${code})` : ''}.`, {
      kind: 'environment',
      nextSteps: ['Check that the directory exists and is writable, or pass another --out path.'],
      cause: error,
    })
  }
}
