/**
 * The structure of an ECR lifecycle policy (ECR's own JSON shape, lowercase enums as in policy
 * text), as one zod schema: the desired-state schema uses it for `lifecycle:` and the plan reader
 * for the policy text a plan would put. ECR's semantic rules live in ./validate.ts.
 */
import {z} from 'zod'
import type {LifecycleRule} from '../model/desired.js'

export const lifecycleRuleSchema = z.strictObject({
  rulePriority: z.number().int(),
  description: z.string().optional(),
  selection: z.strictObject({
    tagStatus: z.enum(['tagged', 'untagged', 'any']),
    tagPrefixList: z.array(z.string()).optional(),
    tagPatternList: z.array(z.string()).optional(),
    storageClass: z.enum(['standard', 'archive']).optional(),
    countType: z.enum(['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned']),
    countUnit: z.literal('days').optional(),
    countNumber: z.number().int(),
  }),
  action: z.strictObject({
    type: z.enum(['expire', 'transition']),
    targetStorageClass: z.literal('archive').optional(),
  }),
})

export const lifecyclePolicySchema = z.strictObject({rules: z.array(lifecycleRuleSchema)})

// Fails to compile if the schema and the shared model type drift apart (in either direction).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const lifecycleRuleMatchesModel: Same<z.output<typeof lifecycleRuleSchema>, LifecycleRule> = true
void lifecycleRuleMatchesModel
