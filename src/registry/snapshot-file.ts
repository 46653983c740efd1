/**
 * Live snapshot files (`ecrctl snapshot --out`, `ecrctl plan --live-state`): deterministic bytes
 * on write, strict validation on read so that a wrong or hand-broken file is refused with its
 * name instead of producing a plan from half a registry. No AWS SDK here (offline plans use it).
 */
import {readFile} from 'node:fs/promises'
import stringify from 'json-stable-stringify'
import {z} from 'zod'
import {writeFileAtomically} from '../document/write.js'
import {EcrctlError} from '../errors.js'
import {SNAPSHOT_FORMAT_VERSION, type LiveImage, type LiveSnapshot} from '../model/snapshot.js'
import {isValidSnapshotImage} from './snapshot-image-check.js'

const SNAPSHOT_KIND = 'ecrctl-live-snapshot'
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO-8601 time')
const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'not a sha256 digest')

const manifestInfoSchema = z.strictObject({
  mediaType: z.string(),
  children: z.array(digest).optional(),
  subject: digest.optional(),
  blobs: z.array(z.strictObject({digest, sizeBytes: z.number().int().nonnegative()})).optional(),
})

/** Exported for the test that holds isValidSnapshotImage to it. */
export const snapshotImageSchema = z.strictObject({
  digest,
  tags: z.array(z.string().min(1)),
  pushedAt: isoTime,
  lastPulledAt: isoTime.optional(),
  sizeBytes: z.number().int().nonnegative(),
  manifestMediaType: z.string().optional(),
  artifactMediaType: z.string().optional(),
  subjectDigest: digest.optional(),
  status: z.enum(['ACTIVE', 'ARCHIVED', 'ACTIVATING']).optional(),
  lastArchivedAt: isoTime.optional(),
  lastActivatedAt: isoTime.optional(),
  manifest: manifestInfoSchema.optional(),
  manifestError: z.string().optional(),
})

const snapshotSchemaWith = <Image extends z.ZodType>(image: Image) =>
  z.strictObject({
    kind: z.literal(SNAPSHOT_KIND),
    formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
    takenAt: isoTime,
    registry: z.strictObject({accountId: z.string().regex(/^\d{12}$/, 'not a 12-digit account id'), region: z.string().min(1)}),
    repositories: z.array(
      z.strictObject({
        name: z.string().min(1),
        lifecyclePolicy: z.string().nullable(),
        imagesRead: z.boolean(),
        images: z.array(image),
      }),
    ),
  })

const snapshotSchema = snapshotSchemaWith(snapshotImageSchema)
/** Everything but the images, which isValidSnapshotImage checks in place (a million zod copies cost seconds). */
const snapshotShellSchema = snapshotSchemaWith(z.unknown())

/** Sorted repositories, images and tags; stable key order, 2-space indent, trailing newline. */
export function serializeSnapshot(snapshot: LiveSnapshot): string {
  const text = stringify(normaliseSnapshot(snapshot), {space: 2})
  if (text === undefined) throw new TypeError('snapshot has no JSON representation')
  return `${text}\n`
}

export function normaliseSnapshot(snapshot: LiveSnapshot): LiveSnapshot {
  const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const image = (i: LiveImage): LiveImage => ({
    ...i,
    tags: [...i.tags].sort(byString),
    ...(i.manifest?.children ? {manifest: {...i.manifest, children: [...i.manifest.children].sort(byString)}} : {}),
  })
  return {
    ...snapshot,
    repositories: [...snapshot.repositories]
      .sort((a, b) => byString(a.name, b.name))
      .map((repository) => ({...repository, images: repository.images.map(image).sort((a, b) => byString(a.digest, b.digest))})),
  }
}

/** Written to a temporary file and renamed, never through a symbolic link (src/document/write.ts). */
export async function writeSnapshotFile(path: string, snapshot: LiveSnapshot): Promise<void> {
  writeFileAtomically(path, 'snapshot', (file) => file.write(serializeSnapshot(snapshot)))
}

export async function readSnapshotFile(path: string): Promise<LiveSnapshot> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new EcrctlError(`Cannot read the live-state snapshot ${path}${code ? ` (${code})` : ''}.`, {
      detail: code === 'ENOENT' ? 'The file does not exist.' : undefined,
      nextSteps: ['Check the path, or write a snapshot with `ecrctl snapshot --out <file>`.'],
      cause: error,
    })
  }
  return parseSnapshot(text, path)
}

export function parseSnapshot(text: string, source: string): LiveSnapshot {
  const remake = 'Write a new one with `ecrctl snapshot --out <file>`.'
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new EcrctlError(`${source} is not valid JSON, so it is not a live-state snapshot (truncated or corrupted?).`, {
      detail: `${(error as Error).message}.`,
      nextSteps: [remake],
      cause: error,
    })
  }
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined
  if (record?.kind !== SNAPSHOT_KIND) {
    throw new EcrctlError(`${source} is not an ecrctl live-state snapshot.`, {
      detail:
        `A snapshot is a JSON object with "kind": "${SNAPSHOT_KIND}"` +
        (record?.kind === 'ecrctl-plan' ? '; this is a saved plan, which `ecrctl show` and `ecrctl apply` read.' : '.'),
      nextSteps: [remake],
    })
  }
  if (record.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    const newer = typeof record.formatVersion === 'number' && record.formatVersion > SNAPSHOT_FORMAT_VERSION
    throw new EcrctlError(`${source} has snapshot formatVersion ${JSON.stringify(record.formatVersion)}; this ecrctl reads version ${SNAPSHOT_FORMAT_VERSION}.`, {
      detail: newer ? 'It was written by a newer ecrctl.' : undefined,
      nextSteps: [newer ? 'Upgrade ecrctl, or write the snapshot with this version.' : remake],
    })
  }
  const shell = snapshotShellSchema.safeParse(raw)
  if (shell.success && shell.data.repositories.every((repository) => repository.images.every(isValidSnapshotImage))) {
    return shell.data as LiveSnapshot
  }
  // Something is wrong (or unusual): the full schema names the first problem and its path.
  const parsed = snapshotSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const at = issue.path.length > 0 ? issue.path.join('.') : '(top level)'
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : ''
    throw new EcrctlError(`${source} is not a valid live-state snapshot: at ${at}: ${issue.message}${more}.`, {
      nextSteps: [remake],
    })
  }
  return parsed.data as LiveSnapshot
}
