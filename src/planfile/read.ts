/**
 * Reading a saved plan, refusing anything apply must not act on. Each refusal is distinct and
 * says what to do next: not JSON (truncated?) ≠ not a plan ≠ newer format ≠ tampered ≠ malformed.
 * Order matters: the checksum is verified before the schema so that a hand edit is reported as
 * tampering, and the schema still runs afterwards in case someone also recomputed the checksum.
 */
import {readFile} from 'node:fs/promises'
import {EcrctlError} from '../errors.js'
import {PLAN_FORMAT_VERSION, PLAN_KIND, type PlanDocument} from '../model/plan.js'
import {planDocumentSchema} from './schema.js'
import {computePlanChecksum} from './seal.js'

const REPLAN = 'Re-run `ecrctl plan --out <file>` to make a new plan.'

export async function readPlanFile(path: string): Promise<PlanDocument> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new EcrctlError(`Cannot read the plan file ${path}${code ? ` (${code})` : ''}.`, {
      kind: 'user',
      detail: code === 'ENOENT' ? 'The file does not exist.' : undefined,
      nextSteps: ['Check the path, or make a plan with `ecrctl plan --out plan.json`.'],
      cause: error,
    })
  }
  return parsePlan(text, path)
}

export function parsePlan(text: string, source: string): PlanDocument {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new EcrctlError(`${source} is not valid JSON: it is truncated or corrupted.`, {
      kind: 'refused',
      detail: `${(error as Error).message}.`,
      nextSteps: [REPLAN],
      cause: error,
    })
  }

  if (!isRecord(raw) || raw.kind === undefined) {
    throw new EcrctlError(`${source}: this file is not an ecrctl plan.`, {
      kind: 'refused',
      detail: `A plan file is a JSON object with "kind": "${PLAN_KIND}".`,
      nextSteps: ['Pass the file written by `ecrctl plan --out <file>`.'],
    })
  }
  if (raw.kind !== PLAN_KIND) {
    throw new EcrctlError(`${source}: this file is not an ecrctl plan (kind is ${JSON.stringify(raw.kind)}).`, {
      kind: 'refused',
      detail: `A plan file has "kind": "${PLAN_KIND}"${raw.kind === 'ecrctl-live-snapshot' ? '; this is a live-state snapshot, which `ecrctl plan --live-state` reads' : ''}.`,
      nextSteps: ['Pass the file written by `ecrctl plan --out <file>`.'],
    })
  }

  const version = raw.formatVersion
  if (version !== PLAN_FORMAT_VERSION) {
    if (typeof version === 'number' && Number.isInteger(version) && version > PLAN_FORMAT_VERSION) {
      throw new EcrctlError(`${source} was made by a newer ecrctl (format ${version}); upgrade ecrctl.`, {
        kind: 'refused',
        detail: `This ecrctl reads plan format ${PLAN_FORMAT_VERSION} only.`,
        nextSteps: ['Upgrade ecrctl to the version that made the plan, or re-plan with this one.'],
      })
    }
    throw new EcrctlError(`${source} has an unknown plan format (${JSON.stringify(version ?? null)}).`, {
      kind: 'refused',
      detail: `This ecrctl reads plan format ${PLAN_FORMAT_VERSION} only.`,
      nextSteps: [REPLAN],
    })
  }

  if (typeof raw.checksum !== 'string') {
    throw new EcrctlError(`${source} is tampered or corrupted: it has no checksum.`, {
      kind: 'refused',
      nextSteps: [REPLAN],
    })
  }
  const expected = computePlanChecksum(raw as unknown as PlanDocument)
  if (raw.checksum !== expected) {
    throw new EcrctlError(
      `${source} is tampered or corrupted: the checksum does not match its content; re-run ecrctl plan.`,
      {
        kind: 'refused',
        detail: 'A plan must be applied exactly as it was reviewed, so an edited plan is never applied.',
        nextSteps: [REPLAN],
      },
    )
  }

  const parsed = planDocumentSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : ''
    throw new EcrctlError(`${source} is not a valid ecrctl plan: its structure is wrong.`, {
      kind: 'refused',
      detail: `${problems.join('; ')}${more}.`,
      nextSteps: [REPLAN],
    })
  }
  return parsed.data as PlanDocument
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)'
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('')
}
