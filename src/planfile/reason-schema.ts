/**
 * The plan file's schema for reasons (src/model/plan.ts, `Reason`): one strict object per `code`,
 * data only. Used by ./schema.ts for deleted and kept images and by ./lifecycle-report-schema.ts
 * for the reasons a lifecycle conflict names; the assertions at the bottom make tsc fail when a
 * variant of the model and its schema drift apart.
 */
import {z} from 'zod'
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import type {ReferrerKind} from '../model/image-edges.js'
import type {InUseSource} from '../model/in-use.js'
import type {EdgeSource, Reason, ReasonCode} from '../model/plan.js'

export const REASON_CODES = [
  'keepRule',
  'gracePeriod',
  'indexChild',
  'referrerOfKept',
  'subjectOfKept',
  'manifestUnreadable',
  'inUse',
  'noKeepRule',
  'childOfDeletedIndex',
  'orphanReferrer',
] as const satisfies readonly ReasonCode[]
export const REFERRER_KINDS = ['signature', 'attestation', 'SBOM', 'referrer'] as const satisfies readonly ReferrerKind[]
export const EDGE_SOURCES = ['subjectManifestDigest', 'manifest subject', 'cosign tag'] as const satisfies readonly EdgeSource[]
export const IN_USE_SOURCES = ['ecs', 'lambda', 'sagemaker', 'batch', 'stepfunctions', 'kubernetes', 'code', 'scan'] as const satisfies readonly InUseSource[]

const digest = z.string().regex(IMAGE_DIGEST_PATTERN, 'must be an image digest: sha256: and 64 lowercase hex digits')
const count = z.number().int().nonnegative()
const referrerEdge = {kind: z.enum(REFERRER_KINDS), relatedDigest: digest, via: z.enum(EDGE_SOURCES)}
const positive = z.number().int().positive()

const inUseReasonReference = z.strictObject({
  source: z.enum(IN_USE_SOURCES),
  resource: z.string().min(1),
  field: z.string(),
  text: z.string().min(1),
})

/** One schema per reason code (src/model/plan.ts); exported for the fast check's property test. */
export const reasonSchemas = {
  keepRule: z.strictObject({
    code: z.literal('keepRule'),
    entry: z.string().min(1),
    index: count,
    matching: count.optional(),
    newest: positive.optional(),
    rank: positive.optional(),
    reason: z.string().optional(),
    rule: z.string().min(1),
  }),
  gracePeriod: z.strictObject({code: z.literal('gracePeriod'), gracePeriodMs: count}),
  indexChild: z.strictObject({code: z.literal('indexChild'), relatedDigest: digest}),
  referrerOfKept: z.strictObject({code: z.literal('referrerOfKept'), ...referrerEdge}),
  subjectOfKept: z.strictObject({code: z.literal('subjectOfKept'), ...referrerEdge}),
  manifestUnreadable: z.strictObject({code: z.literal('manifestUnreadable'), problem: z.string(), relatedDigest: digest, unreadableCount: positive}),
  inUse: z.strictObject({code: z.literal('inUse'), references: z.array(inUseReasonReference).min(1)}),
  noKeepRule: z.strictObject({code: z.literal('noKeepRule')}),
  childOfDeletedIndex: z.strictObject({code: z.literal('childOfDeletedIndex'), relatedDigest: digest}),
  orphanReferrer: z.strictObject({code: z.literal('orphanReferrer'), ...referrerEdge, subjectInRepository: z.boolean()}),
} as const satisfies Record<ReasonCode, z.ZodType>

export const reasonSchema = z.discriminatedUnion('code', Object.values(reasonSchemas) as [(typeof reasonSchemas)[ReasonCode], ...(typeof reasonSchemas)[ReasonCode][]])

// ---- compile-time drift guard between these schemas and src/model/plan.ts ----
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never
type Out<S extends z.ZodType> = z.output<S>
const _reasonIsParsed = (value: Reason): Out<typeof reasonSchema> => value
const _parsedIsReason = (value: Out<typeof reasonSchema>): Reason => value
void _reasonIsParsed
void _parsedIsReason
type ReasonKeysMatch = {[C in ReasonCode]: SameKeys<Out<(typeof reasonSchemas)[C]>, Extract<Reason, {code: C}>>}
const _reasonKeys: ReasonKeysMatch = {
  keepRule: true,
  gracePeriod: true,
  indexChild: true,
  referrerOfKept: true,
  subjectOfKept: true,
  manifestUnreadable: true,
  inUse: true,
  noKeepRule: true,
  childOfDeletedIndex: true,
  orphanReferrer: true,
}
void _reasonKeys
