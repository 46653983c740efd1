/**
 * The checks every versioned ecrctl document (a plan, a live-state snapshot) passes when read, in
 * one place so that both say the same thing in the same words:
 *
 * 1. kind: not an object, or another kind: "not an ecrctl plan", and when the file is another
 *    ecrctl document, which one it is and which command reads it;
 * 2. formatVersion: newer → upgrade ecrctl; older → make a new one with this ecrctl; anything
 *    else → unknown;
 * 3. structure: a fast hand-written check that only ever says "valid" for what the strict zod
 *    schema accepts (each held to its schema by a property test), with the schema as the fallback
 *    that names the path of every problem. The fast path returns the parsed object as it is (no
 *    copy: a million images copied by zod cost seconds and a gigabyte).
 */
import type {z} from 'zod'
import {EcrctlError} from '../errors.js'
import type {DocumentNames} from './read.js'

/** A kind of document ecrctl writes, with how people call it and which command reads it. */
interface KnownKind {
  noun: string
  readBy?: string
}

const KNOWN_KINDS: Record<string, KnownKind> = {
  'ecrctl-plan': {noun: 'saved plan', readBy: '`ecrctl show` and `ecrctl apply` read'},
  'ecrctl-live-snapshot': {noun: 'live-state snapshot', readBy: '`ecrctl plan --live-state` reads'},
  'ecrctl-apply-result': {noun: 'apply result (`ecrctl apply --format json`)'},
  'ecrctl-scan': {noun: 'in-use scan (`ecrctl scan --out`)'},
}

export interface DocumentFormat<T> extends DocumentNames {
  kind: string
  formatVersion: number
  /** The command that writes one, for "pass the file written by …". */
  writtenBy: string
  /** How an older one is replaced, for "made by an older ecrctl (format 1); … with this one": "re-plan". */
  remakeVerb?: string
  /** True only when `strict` accepts the value as it is; false means "not sure". */
  isValid: (value: unknown) => boolean
  strict: z.ZodType<T>
}

export type DocumentRecord = Record<string, unknown>

/** Step 1 and 2: the value is an object of this kind and format version. */
export function checkKindAndVersion(raw: unknown, source: string, format: DocumentFormat<unknown>): DocumentRecord {
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as DocumentRecord) : undefined
  if (record?.kind !== format.kind) {
    const other = typeof record?.kind === 'string' ? KNOWN_KINDS[record.kind] : undefined
    const found = other ? `; this is a ${other.noun}${other.readBy ? `, which ${other.readBy}` : ''}` : ''
    throw new EcrctlError(`${source} is not an ecrctl ${format.noun}.`, {
      kind: 'refused',
      detail: `A ${format.noun} is a JSON object with "kind": "${format.kind}"${found}.`,
      nextSteps: [`Pass the file written by ${format.writtenBy}.`],
    })
  }
  const version = record.formatVersion
  if (version !== format.formatVersion) {
    const known = typeof version === 'number' && Number.isInteger(version) && version >= 1
    const reads = `This ecrctl reads ${format.noun} format ${format.formatVersion} only.`
    if (known && version > format.formatVersion) {
      throw new EcrctlError(`${source} was made by a newer ecrctl (format ${version}); upgrade ecrctl.`, {
        kind: 'refused',
        detail: reads,
        nextSteps: [`Upgrade ecrctl to the version that made it, or make it again with this one: ${format.remake}`],
      })
    }
    if (known) {
      throw new EcrctlError(`${source} was made by an older ecrctl (format ${version}); ${format.remakeVerb ?? 'make it again'} with this one.`, {
        kind: 'refused',
        detail: reads,
        nextSteps: [format.remake],
      })
    }
    throw new EcrctlError(`${source} has an unknown ${format.noun} format (${JSON.stringify(version ?? null)}).`, {
      kind: 'refused',
      detail: reads,
      nextSteps: [format.remake],
    })
  }
  return record
}

/** Step 3: the fast check, else the strict schema (which names the problems). */
export function checkStructure<T>(record: DocumentRecord, source: string, format: DocumentFormat<T>): T {
  if (format.isValid(record)) return record as T
  const parsed = format.strict.safeParse(record)
  if (parsed.success) return parsed.data
  throw invalidDocument(
    source,
    format,
    'its structure is wrong',
    parsed.error.issues.map((issue) => ({path: issue.path, message: issue.message})),
  )
}

export interface DocumentProblem {
  path: readonly PropertyKey[]
  message: string
}

/** "<source> is not a valid ecrctl <noun>: <what>." with the first problems and their paths. */
export function invalidDocument(source: string, format: DocumentNames, what: string, problems: readonly DocumentProblem[]): EcrctlError {
  const shown = problems.slice(0, 5).map((problem) => `${formatPath(problem.path)}: ${problem.message}`)
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''
  return new EcrctlError(`${source} is not a valid ecrctl ${format.noun}: ${what}.`, {
    kind: 'refused',
    detail: `${shown.join('; ')}${more}.`,
    nextSteps: [format.remake],
  })
}

/** `actions[0].sizeBytes`; `(document)` for the top level. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)'
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('')
}
