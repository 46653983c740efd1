/**
 * Scan files (`ecrctl scan --out`, `inUse.scans`): what one account, region or cluster references,
 * as a versioned document. Written with a fixed key order and sorted, de-duplicated references, so
 * the same scan gives the same bytes; read strictly, refusing another kind, another version, a
 * malformed reference, or (with `checkScanAge`) a scan too old to trust. Pure: the caller reads and
 * writes the file.
 */
import {z} from 'zod'
import {parseJsonText} from '../document/read.js'
import {checkKindAndVersion, checkStructure, type DocumentFormat} from '../document/versioned.js'
import {EcrctlError} from '../errors.js'
import {IMAGE_DIGEST_PATTERN, MAX_REPOSITORY_NAME_LENGTH, MAX_TAG_LENGTH} from '../model/ecr-facts.js'
import {SCAN_FORMAT_VERSION, SCAN_KIND, type ImageReference, type InUseSource, type ScanDocument} from '../model/in-use.js'
import {formatDuration} from '../util/duration.js'
import {DAY_MS, isZonedTime, MINUTE_MS, NOT_A_ZONED_TIME, parseZonedTime} from '../util/time.js'
import {uniqueReferences} from './resolve.js'

export const DEFAULT_MAX_SCAN_AGE_MS = DAY_MS

const SOURCES = ['ecs', 'lambda', 'sagemaker', 'batch', 'stepfunctions', 'kubernetes', 'code', 'scan'] as const satisfies readonly InUseSource[]
const RESCAN = 'Write it again with `ecrctl scan --out <file>` in the account, region or cluster it describes.'

const accountId = z.string().regex(/^\d{12}$/, 'not a 12-digit AWS account id')
const region = z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d+$/, 'not an AWS region like us-east-1')
// The pattern is the form the published JSON Schema shows editors; the value is read as every
// time in a file is (util/time.ts), which also refuses impossible dates such as February 30.
const zonedTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/, 'not an ISO-8601 time with a zone, like 2025-01-31T12:00:00.000Z')
  .refine(isZonedTime, NOT_A_ZONED_TIME)

const referenceSchema = z
  .strictObject({
    registry: z.strictObject({accountId, region}).optional(),
    repository: z
      .string()
      .max(MAX_REPOSITORY_NAME_LENGTH)
      .regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'not an ECR repository name'),
    tag: z
      .string()
      .regex(new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${MAX_TAG_LENGTH - 1}}$`), 'not an image tag')
      .optional(),
    digest: z
      .string()
      .regex(IMAGE_DIGEST_PATTERN, 'not a sha256 digest')
      .optional(),
    text: z.string().min(1),
    evidence: z.strictObject({
      source: z.enum(SOURCES),
      resource: z.string().min(1),
      field: z.string(),
    }),
  })
  .refine((reference) => reference.tag !== undefined || reference.digest !== undefined, 'a reference needs a tag or a digest')

export const scanDocumentSchema = z
  .strictObject({
    kind: z.literal(SCAN_KIND),
    formatVersion: z.literal(SCAN_FORMAT_VERSION),
    ecrctlVersion: z.string().min(1),
    scannedAt: zonedTime,
    scope: z.strictObject({
      accountId: accountId.optional(),
      region: region.optional(),
      cluster: z.string().min(1).optional(),
      sources: z.array(z.enum(SOURCES)),
    }),
    references: z.array(referenceSchema),
  })
  .meta({
    title: 'ecrctl scan (format v1)',
    description: 'Image references found in one account, region or cluster, written by `ecrctl scan --out` and read through `inUse.scans`.',
  })

export interface ScanInput {
  ecrctlVersion: string
  scannedAt: Date
  scope: ScanDocument['scope']
  references: readonly ImageReference[]
}

/** The document for a finished scan: UTC time, sorted unique sources and references, fixed key order. */
export function createScanDocument(input: ScanInput): ScanDocument {
  return normaliseScanDocument({
    kind: SCAN_KIND,
    formatVersion: SCAN_FORMAT_VERSION,
    ecrctlVersion: input.ecrctlVersion,
    scannedAt: input.scannedAt.toISOString(),
    scope: input.scope,
    references: [...input.references],
  })
}

/** Two-space JSON with a trailing newline; equal scans give equal bytes. */
export function serializeScanDocument(document: ScanDocument): string {
  return `${JSON.stringify(normaliseScanDocument(document), null, 2)}\n`
}

function normaliseScanDocument(document: ScanDocument): ScanDocument {
  const {accountId: account, region: scopeRegion, cluster, sources} = document.scope
  return {
    kind: document.kind,
    formatVersion: document.formatVersion,
    ecrctlVersion: document.ecrctlVersion,
    scannedAt: document.scannedAt,
    scope: {
      ...(account !== undefined ? {accountId: account} : {}),
      ...(scopeRegion !== undefined ? {region: scopeRegion} : {}),
      ...(cluster !== undefined ? {cluster} : {}),
      sources: [...new Set(sources)].sort(),
    },
    references: uniqueReferences(document.references).map((reference) => ({
      ...(reference.registry ? {registry: {accountId: reference.registry.accountId, region: reference.registry.region}} : {}),
      repository: reference.repository,
      ...(reference.tag !== undefined ? {tag: reference.tag} : {}),
      ...(reference.digest !== undefined ? {digest: reference.digest} : {}),
      text: reference.text,
      evidence: {source: reference.evidence.source, resource: reference.evidence.resource, field: reference.evidence.field},
    })),
  }
}

/** How src/document names scan files in its refusals. */
export const SCAN_FORMAT: DocumentFormat<ScanDocument> = {
  kind: SCAN_KIND,
  formatVersion: SCAN_FORMAT_VERSION,
  noun: 'scan file',
  remake: RESCAN,
  writtenBy: '`ecrctl scan --out`',
  // Scan files are small: the strict schema always runs, and names every problem's path.
  isValid: () => false,
  strict: scanDocumentSchema as unknown as z.ZodType<ScanDocument>,
}

/**
 * A scan file's text → its document, or a refusal naming `file` and what to do: not JSON, another
 * kind of document (src/document's kind and version refusal, shared with plans and snapshots), or
 * content the schema rejects, at its path.
 */
export function parseScanDocument(text: string, file: string): ScanDocument {
  const raw = parseJsonText(text, file, SCAN_FORMAT)
  const record = checkKindAndVersion(raw, file, SCAN_FORMAT)
  return normaliseScanDocument(checkStructure(record, file, SCAN_FORMAT))
}

/**
 * Refuses a scan older than `maxAgeMs` at `evaluationTime` (the plan's clock, so an offline plan
 * with `--now` judges the same way every time). A scan newer than the evaluation time is accepted:
 * it can only add evidence.
 */
export function checkScanAge(document: ScanDocument, file: string, evaluationTime: Date, maxAgeMs: number = DEFAULT_MAX_SCAN_AGE_MS): void {
  const ageMs = evaluationTime.getTime() - parseZonedTime(document.scannedAt)!
  if (ageMs <= maxAgeMs) return
  throw new EcrctlError(`${file} is too old to trust: it was scanned at ${document.scannedAt}, ${describeAge(ageMs)} before the plan's evaluation time ${evaluationTime.toISOString()}.`, {
    detail: `inUse.maxScanAge is ${formatDuration(maxAgeMs)}: what production runs may have changed since, and an image it now uses could be deleted.`,
    nextSteps: [`Re-scan${document.scope.accountId ? ` account ${document.scope.accountId}` : ''}${document.scope.region ? ` in ${document.scope.region}` : ''}${document.scope.cluster ? ` (cluster ${document.scope.cluster})` : ''} with \`ecrctl scan --out ${file}\`, or raise inUse.maxScanAge.`],
  })
}

/** `3d 4h`, `5h 12m`, `40m`: precise enough to see how stale, short enough to read. */
function describeAge(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS)
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`
  if (hours > 0) return minutes % 60 > 0 ? `${hours}h ${minutes % 60}m` : `${hours}h`
  return `${Math.max(minutes, 1)}m`
}
