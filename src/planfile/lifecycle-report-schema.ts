/**
 * The plan file's structural schema for the lifecycle report (src/model/lifecycle-report.ts), used
 * by src/planfile/schema.ts. Strict like the rest of the plan schema; the assertions below make
 * tsc fail when the model and this schema drift apart.
 */
import {z} from 'zod'
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import {reasonSchema} from './reason-schema.js'
import type {LifecycleConflictRecord, LifecycleRepositoryReport} from '../model/lifecycle-report.js'
import {isZonedTime, NOT_A_ZONED_TIME} from '../util/time.js'

const digest = z.string().regex(IMAGE_DIGEST_PATTERN)
const count = z.number().int().nonnegative()
const priority = z.number().int().positive()

const when = z.discriminatedUnion('kind', [
  z.strictObject({kind: z.literal('now')}),
  z.strictObject({kind: z.literal('afterPushes'), pushes: z.number().int().positive()}),
  z.strictObject({kind: z.literal('at'), at: z.string().refine(isZonedTime, NOT_A_ZONED_TIME)}),
  z.strictObject({kind: z.literal('afterArchive'), transitionRulePriority: priority, archiveMinimumDays: z.number().int().positive()}),
])

const conflictRecord = z.strictObject({
  rulePriority: priority,
  imageDigest: digest,
  imageTags: z.array(z.string()),
  keptBecause: z.array(reasonSchema),
  when,
  whenText: z.string(),
  acceptedBy: z.string().optional(),
})

export const lifecycleRepositoryReportSchema = z.strictObject({
  repository: z.string().min(1),
  policy: z.enum(['desired', 'live']),
  actedOnNow: z.array(
    z.strictObject({imageDigest: digest, imageTags: z.array(z.string()), rulePriority: priority, action: z.enum(['expire', 'transition'])}),
  ),
  withinPushes: count,
  withinDays: count,
  pushWindow: count,
  dayWindow: count,
  acceptedConflicts: z.array(conflictRecord),
})

const _reportIsParsed = (report: LifecycleRepositoryReport): z.output<typeof lifecycleRepositoryReportSchema> => report
const _parsedIsReport = (parsed: z.output<typeof lifecycleRepositoryReportSchema>): LifecycleRepositoryReport => parsed
const _conflictIsParsed = (record: LifecycleConflictRecord): z.output<typeof conflictRecord> => record
void _reportIsParsed
void _parsedIsReport
void _conflictIsParsed
