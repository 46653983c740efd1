/**
 * Reading a saved plan, refusing anything apply must not act on. Each refusal is distinct and
 * says what to do next: not JSON (truncated?) ≠ not a plan ≠ other format ≠ tampered ≠ malformed
 * ≠ contradicts itself. Order matters: the checksum is verified before the schema so that a hand
 * edit is reported as tampering, and the schema and the consistency checks still run afterwards
 * in case someone also recomputed the checksum. The shared steps are src/document's.
 */
import {readJsonFile, parseJsonText, type ReadJsonOptions} from '../document/read.js'
import {checkKindAndVersion, checkStructure, invalidDocument, type DocumentFormat} from '../document/versioned.js'
import {EcrctlError} from '../errors.js'
import {PLAN_FORMAT_VERSION, PLAN_KIND, type PlanDocument} from '../model/plan.js'
import {planContradictions} from './consistency.js'
import {isValidPlanStructure} from './plan-check.js'
import {planDocumentSchema} from './schema.js'
import {computePlanChecksum} from './seal.js'

export const PLAN_FORMAT: DocumentFormat<PlanDocument> = {
  kind: PLAN_KIND,
  formatVersion: PLAN_FORMAT_VERSION,
  noun: 'plan',
  remake: 'Re-run `ecrctl plan --out <file>` to make a new plan.',
  writtenBy: '`ecrctl plan --out <file>`',
  remakeVerb: 're-plan',
  isValid: isValidPlanStructure,
  strict: planDocumentSchema as DocumentFormat<PlanDocument>['strict'],
}

export async function readPlanFile(path: string, options: ReadJsonOptions = {}): Promise<PlanDocument> {
  return checkPlan(readJsonFile(path, PLAN_FORMAT, options), path)
}

export function parsePlan(text: string, source: string): PlanDocument {
  return checkPlan(parseJsonText(text, source, PLAN_FORMAT), source)
}

function checkPlan(raw: unknown, source: string): PlanDocument {
  const record = checkKindAndVersion(raw, source, PLAN_FORMAT)
  if (typeof record.checksum !== 'string') {
    throw new EcrctlError(`${source} is tampered or corrupted: it has no checksum.`, {kind: 'refused', nextSteps: [PLAN_FORMAT.remake]})
  }
  if (record.checksum !== computePlanChecksum(record as unknown as PlanDocument)) {
    throw new EcrctlError(`${source} is tampered or corrupted: the checksum does not match its content; re-run ecrctl plan.`, {
      kind: 'refused',
      detail: 'A plan must be applied exactly as it was reviewed, so an edited plan is never applied.',
      nextSteps: [PLAN_FORMAT.remake],
    })
  }
  const plan = checkStructure(record, source, PLAN_FORMAT)
  const contradictions = planContradictions(plan)
  if (contradictions.length > 0) {
    throw invalidDocument(source, PLAN_FORMAT, 'its actions contradict each other or what ECR accepts', contradictions)
  }
  return plan
}
