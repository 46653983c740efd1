/**
 * Live snapshot files (`ecrctl snapshot --out`, `ecrctl plan --live-state`): deterministic bytes
 * on write, strict validation on read so that a wrong or hand-broken file is refused with its
 * name instead of producing a plan from half a registry. Reading, the refusals and the atomic
 * write are src/document's, shared with plan files. No AWS SDK here (offline plans use it).
 */
import stringify from 'json-stable-stringify'
import {z} from 'zod'
import {parseJsonText, readJsonFile} from '../document/read.js'
import {checkKindAndVersion, checkStructure, type DocumentFormat} from '../document/versioned.js'
import {writeFileAtomically} from '../document/write.js'
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import {SNAPSHOT_FORMAT_VERSION, type LiveImage, type LiveSnapshot} from '../model/snapshot.js'
import {compareStrings} from '../util/order.js'
import {isZonedTime, NOT_A_ZONED_TIME} from '../util/time.js'
import {isValidSnapshotImage} from './snapshot-image-check.js'

const SNAPSHOT_KIND = 'ecrctl-live-snapshot'
const isoTime = z.string().refine(isZonedTime, NOT_A_ZONED_TIME)
const digest = z.string().regex(IMAGE_DIGEST_PATTERN, 'not a sha256 digest')

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
  const image = (i: LiveImage): LiveImage => ({
    ...i,
    tags: [...i.tags].sort(compareStrings),
    ...(i.manifest?.children ? {manifest: {...i.manifest, children: [...i.manifest.children].sort(compareStrings)}} : {}),
  })
  return {
    ...snapshot,
    repositories: [...snapshot.repositories]
      .sort((a, b) => compareStrings(a.name, b.name))
      .map((repository) => ({...repository, images: repository.images.map(image).sort((a, b) => compareStrings(a.digest, b.digest))})),
  }
}

const SNAPSHOT_FORMAT: DocumentFormat<LiveSnapshot> = {
  kind: SNAPSHOT_KIND,
  formatVersion: SNAPSHOT_FORMAT_VERSION,
  noun: 'live-state snapshot',
  remake: 'Write a new one with `ecrctl snapshot --out <file>`.',
  writtenBy: '`ecrctl snapshot --out <file>`',
  isValid: (value) => {
    const shell = snapshotShellSchema.safeParse(value)
    return shell.success && shell.data.repositories.every((repository) => repository.images.every(isValidSnapshotImage))
  },
  strict: snapshotSchema as unknown as DocumentFormat<LiveSnapshot>['strict'],
}

/** Written to a temporary file and renamed, never through a symbolic link (src/document/write.ts). */
export async function writeSnapshotFile(path: string, snapshot: LiveSnapshot): Promise<void> {
  writeFileAtomically(path, 'snapshot', (file) => file.write(serializeSnapshot(snapshot)))
}

export async function readSnapshotFile(path: string): Promise<LiveSnapshot> {
  return checkSnapshot(readJsonFile(path, SNAPSHOT_FORMAT), path)
}

export function parseSnapshot(text: string, source: string): LiveSnapshot {
  return checkSnapshot(parseJsonText(text, source, SNAPSHOT_FORMAT), source)
}

function checkSnapshot(raw: unknown, source: string): LiveSnapshot {
  return checkStructure(checkKindAndVersion(raw, source, SNAPSHOT_FORMAT), source, SNAPSHOT_FORMAT)
}
