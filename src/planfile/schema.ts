/**
 * The structural schema of a saved plan. Checked after the checksum, so it catches a plan that was
 * edited *and* re-checksummed by hand (a digest that is no longer a digest, a size that became a
 * string, an unknown action type). Objects are strict: an unknown key is refused rather than
 * silently ignored, because apply must never act on fields it does not understand.
 *
 * The `SameKeys` assertions at the bottom make `tsc` fail when src/model/plan.ts gains or loses a
 * field that this schema does not describe — update both together.
 */
import {z} from 'zod'
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import {lifecycleRepositoryReportSchema} from './lifecycle-report-schema.js'
import {reasonSchema} from './reason-schema.js'
import {PLAN_FORMAT_VERSION, PLAN_KIND} from '../model/plan.js'
import {isZonedTime, NOT_A_ZONED_TIME} from '../util/time.js'
import type {
  DeleteImageAction,
  DeleteLifecyclePolicyAction,
  KeptImage,
  PlanDocument,
  PlanSummary,
  PlanWarning,
  PutLifecyclePolicyAction,
  RepositorySummary,
} from '../model/plan.js'

export const IMAGE_STATUSES = ['ACTIVE', 'ARCHIVED', 'ACTIVATING'] as const

const digest = z.string().regex(IMAGE_DIGEST_PATTERN, 'must be an image digest: sha256: and 64 lowercase hex digits')
const sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, 'must be a sha256 hex string')
const timestamp = z.string().refine(isZonedTime, NOT_A_ZONED_TIME)
const repositoryName = z.string().min(1)
const byteCount = z.number().int().nonnegative()
const count = z.number().int().nonnegative()
const positive = z.number().int().positive()

const reason = reasonSchema

const imageFacts = {
  repository: repositoryName,
  imageDigest: digest,
  imageTags: z.array(z.string().min(1)),
  imagePushedAt: timestamp,
  sizeBytes: byteCount,
  status: z.enum(IMAGE_STATUSES).optional(),
}

const lifecycleDeclaration = z.strictObject({entry: z.string().min(1), file: z.string(), line: positive})

const deleteImageAction = z.strictObject({
  type: z.literal('deleteImage'),
  ...imageFacts,
  lastPulledAt: timestamp.nullable(),
  reasons: z.array(reason),
  references: z.array(digest).optional(),
  notes: z.array(z.string()).optional(),
})

const putLifecyclePolicyAction = z.strictObject({
  type: z.literal('putLifecyclePolicy'),
  repository: repositoryName,
  before: z.string().nullable(),
  after: z.string(),
  declaredBy: lifecycleDeclaration,
})

const deleteLifecyclePolicyAction = z.strictObject({
  type: z.literal('deleteLifecyclePolicy'),
  repository: repositoryName,
  before: z.string(),
  declaredBy: lifecycleDeclaration,
})

const keptImage = z.strictObject({...imageFacts, reasons: z.array(reason)})

const warning = z.strictObject({
  repository: repositoryName.optional(),
  imageDigest: digest.optional(),
  message: z.string(),
})

const repositorySummary = z.strictObject({
  repository: repositoryName,
  imagesManaged: z.literal(false).optional(),
  imagesTotal: count,
  imagesKept: count,
  imagesDeleted: count,
  bytesDeleted: byteCount,
  uniqueBytesFreed: byteCount.optional(),
  lifecycleChange: z.enum(['put', 'delete']).optional(),
})

const summary = z.strictObject({
  repositories: z.array(repositorySummary),
  imagesDeleted: count,
  imagesKept: count,
  bytesDeleted: byteCount,
  uniqueBytesFreed: byteCount.optional(),
  lifecyclePolicyChanges: count,
  imagesKeptInUse: count.optional(),
  pricePerGbMonth: z.number().nonnegative(),
  estimatedMonthlySavingsUsd: z.number().nonnegative(),
  estimateBasis: z.enum(['uniqueBytes', 'imageSizes']).optional(),
})

/** One action of the plan (exported for the fast check's fallback and its property test). */
export const planActionSchema = z.discriminatedUnion('type', [deleteImageAction, putLifecyclePolicyAction, deleteLifecyclePolicyAction])
/** Exported for the property test that holds the fast check to it. */
export const deleteImageActionSchema = deleteImageAction
export const keptImageSchema = keptImage

const planFields = {
  kind: z.literal(PLAN_KIND),
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  ecrctlVersion: z.string().min(1),
  evaluatedAt: timestamp,
  registry: z.strictObject({accountId: z.string().min(1), region: z.string().min(1)}),
  desiredStateSha256: sha256Hex,
  desiredStateFiles: z.array(z.string()),
  managedRepositories: z.array(repositoryName),
  unmanagedRepositories: z.array(repositoryName),
  actions: z.array(planActionSchema),
  kept: z.array(keptImage),
  warnings: z.array(warning),
  summary,
  maxDeletions: z.number().int().nonnegative().optional(),
  lifecycle: z.array(lifecycleRepositoryReportSchema).optional(),
  checksum: sha256Hex,
}

/**
 * The structure of a plan. What the plan says about itself (no image both kept and deleted, one
 * lifecycle action per repository, policies ECR accepts…) is checked after it: ./consistency.ts.
 */
export const planDocumentSchema = z.strictObject(planFields)

/** Everything but the actions and kept images, which the fast check checks in place. */
export const planShellSchema = z.strictObject({...planFields, actions: z.array(z.unknown()), kept: z.array(z.unknown())})

// ---- compile-time drift guard between this schema and src/model/plan.ts ----
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never
const sameKeys = <T extends true>(_proof: T): void => undefined
type Out<S extends z.ZodType> = z.output<S>
sameKeys<SameKeys<Out<typeof planDocumentSchema>, PlanDocument>>(true)
sameKeys<SameKeys<Out<typeof deleteImageAction>, DeleteImageAction>>(true)
sameKeys<SameKeys<Out<typeof putLifecyclePolicyAction>, PutLifecyclePolicyAction>>(true)
sameKeys<SameKeys<Out<typeof deleteLifecyclePolicyAction>, DeleteLifecyclePolicyAction>>(true)
sameKeys<SameKeys<Out<typeof keptImage>, KeptImage>>(true)

sameKeys<SameKeys<Out<typeof warning>, PlanWarning>>(true)
sameKeys<SameKeys<Out<typeof repositorySummary>, RepositorySummary>>(true)
sameKeys<SameKeys<Out<typeof summary>, PlanSummary>>(true)
// Values must also be assignable both ways (types, not just names).
const _parsedIsPlan = (parsed: Out<typeof planDocumentSchema>): PlanDocument => parsed
void _parsedIsPlan
const _planIsParsed = (plan: PlanDocument): Out<typeof planDocumentSchema> => plan
void _planIsParsed
