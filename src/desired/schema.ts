/**
 * The desired-state file format v1, as one zod schema: the loader validates with it and the
 * published JSON Schema (schema/desired-state.schema.json) is generated from it, so editors and
 * ecrctl can never disagree. It describes the file as written (durations as text, `tag` and
 * `tags` separate); src/desired/normalize.ts turns a valid file into the model's DesiredState.
 *
 * Every constraint that JSON Schema can express is written as a regex or type here (so editors
 * flag it too); error texts are built from the offending value so they say what is wrong.
 */
import {z} from 'zod'
import {lifecyclePolicySchema} from '../lifecycle/policy-schema.js'
import {
  IMAGE_DIGEST_PATTERN,
  IMAGE_DIGEST_SOURCE,
  MAX_REPOSITORY_NAME_LENGTH,
  MAX_TAG_LENGTH,
  MAX_WILDCARDS_PER_PATTERN,
} from '../model/ecr-facts.js'
import {AWS_IN_USE_SOURCES, DEFAULT_NEWEST_REVISIONS} from '../model/in-use.js'
import {DURATION_HINT, DURATION_PATTERN} from '../util/duration.js'
import {filePatternProblem, pathGlobProblem} from '../util/path-glob.js'

// ---------------------------------------------------------------------------------------------
// Globs and names. `*` is the only wildcard (src/util/glob.ts); ECR allows at most 4 per pattern
// in lifecycle tagPatternList, and we hold keep rules to the same limit so one dialect fits all.

const TAG_CHAR = '[a-zA-Z0-9_.-]'
const REPOSITORY_CHAR = '[a-z0-9._/-]'

const globPattern = (char: string, maxLength: number): string =>
  `(?=.{1,${maxLength}}$)${char}*(?:\\*${char}*){0,${MAX_WILDCARDS_PER_PATTERN}}`

const TAG_GLOB_SOURCE = globPattern(TAG_CHAR, MAX_TAG_LENGTH)
export const TAG_GLOB_PATTERN = new RegExp(`^${TAG_GLOB_SOURCE}$`)
export const REPOSITORY_PATTERN = new RegExp(`^${globPattern(REPOSITORY_CHAR, MAX_REPOSITORY_NAME_LENGTH)}$`)
const TAG_GLOB_OR_DIGEST_PATTERN = new RegExp(`^(?:${IMAGE_DIGEST_SOURCE}|${TAG_GLOB_SOURCE})$`)

const show = (value: unknown): string => JSON.stringify(value) ?? String(value)

function globProblem(text: string, kind: string, allowed: RegExp, allowedText: string, maxLength: number): string {
  if (text.length === 0) return `${kind} is empty`
  if (text.length > maxLength) return `${kind} ${show(text)} is longer than ${maxLength} characters`
  const bad = [...new Set([...text].filter((ch) => ch !== '*' && !allowed.test(ch)))]
  if (bad.length > 0) {
    return `${kind} ${show(text)} contains ${bad.map((ch) => show(ch)).join(', ')}: ${allowedText}, and * as the wildcard`
  }
  const wildcards = text.split('*').length - 1
  if (wildcards > MAX_WILDCARDS_PER_PATTERN) {
    return `${kind} ${show(text)} has ${wildcards} "*" wildcards; at most ${MAX_WILDCARDS_PER_PATTERN} are allowed (as in ECR lifecycle tag patterns)`
  }
  return `${kind} ${show(text)} is not valid`
}

/** Why a string is not a valid tag glob; undefined when it is one. */
export function tagGlobProblem(text: string): string | undefined {
  if (TAG_GLOB_PATTERN.test(text)) return undefined
  return globProblem(text, 'tag glob', /[a-zA-Z0-9_.-]/, 'ECR tags use only letters, digits, "_", "." and "-"', MAX_TAG_LENGTH)
}

/** Why a string is not a valid repository name or glob; undefined when it is one. */
export function repositoryPatternProblem(text: string): string | undefined {
  if (REPOSITORY_PATTERN.test(text)) return undefined
  return globProblem(
    text,
    'repository name or glob',
    /[a-z0-9._/-]/,
    'ECR repository names use only lowercase letters, digits, ".", "_", "-" and "/"',
    MAX_REPOSITORY_NAME_LENGTH,
  )
}

/** Why a string is not a full sha256 digest; undefined when it is one. */
export function digestProblem(text: string): string | undefined {
  if (IMAGE_DIGEST_PATTERN.test(text)) return undefined
  const hint = 'a digest is "sha256:" followed by 64 lowercase hex characters, as ECR shows it (no short forms)'
  if (/^sha256:[0-9a-fA-F]{64}$/.test(text)) return `digest ${show(text)} must be lowercase: ${hint}`
  return `${show(text)} is not a digest: ${hint}`
}

const inputText = (input: unknown): string => (typeof input === 'string' ? input : show(input))

const tagGlob = z
  .string()
  .regex(TAG_GLOB_PATTERN, {error: (issue) => tagGlobProblem(inputText(issue.input))})
  .describe('Tag glob: letters, digits, "_", "." and "-"; "*" matches any run of characters (at most 4 "*").')

const digest = z
  .string()
  .regex(IMAGE_DIGEST_PATTERN, {error: (issue) => digestProblem(inputText(issue.input))})
  .describe('Full image digest: "sha256:" and 64 lowercase hex characters.')

export const repositoryPattern = z
  .string()
  .regex(REPOSITORY_PATTERN, {error: (issue) => repositoryPatternProblem(inputText(issue.input))})
  .describe('Repository name, or a glob over names where "*" matches any run of characters including "/".')

// ---------------------------------------------------------------------------------------------
// Durations

const POSITIVE_DURATION_PATTERN = new RegExp(`^(?!0+[smhdw]$)${DURATION_PATTERN.source.slice(1)}`)

function durationProblem(input: unknown, positive: boolean): string {
  const text = inputText(input)
  if (positive && DURATION_PATTERN.test(text)) return `duration ${show(text)} must be longer than zero`
  if (typeof input === 'number') return `${text} has no unit: write ${DURATION_HINT}`
  return `${show(text)} is not a duration: write ${DURATION_HINT}`
}

const duration = (positive: boolean) =>
  z
    .string()
    .regex(positive ? POSITIVE_DURATION_PATTERN : DURATION_PATTERN, {
      error: (issue) => durationProblem(issue.input, positive),
    })

// ---------------------------------------------------------------------------------------------
// Keep rules

export const KEEP_CONDITION_KEYS = ['tag', 'tags', 'digest', 'digests', 'pushedWithin', 'pulledWithin', 'newest'] as const

export const keepRuleSchema = z
  .strictObject({
    tag: tagGlob.optional(),
    tags: z.array(tagGlob).min(1, {error: 'tags must list at least one tag glob'}).optional(),
    digest: digest.optional(),
    digests: z.array(digest).min(1, {error: 'digests must list at least one digest'}).optional(),
    pushedWithin: duration(true)
      .describe('Keep images pushed less than this long ago, e.g. 30d.')
      .optional(),
    pulledWithin: duration(true)
      .describe('Keep images pulled less than this long ago (lastRecordedPullTime); never-pulled images do not match.')
      .optional(),
    newest: z
      .number({error: 'newest must be a positive whole number, e.g. newest: 5'})
      .int({error: 'newest must be a positive whole number, e.g. newest: 5'})
      .positive({error: 'newest must be a positive whole number, e.g. newest: 5'})
      .describe('After the other conditions: only the N most recently pushed matching images.')
      .optional(),
    reason: z.string().min(1, {error: 'reason must not be empty'}).describe('Why these images are kept; shown in plans.').optional(),
  })
  .refine((rule) => KEEP_CONDITION_KEYS.some((key) => rule[key] !== undefined), {
    error: `a keep rule needs at least one condition (${KEEP_CONDITION_KEYS.join(', ')}); to keep nothing write "keep: []"`,
  })
  .describe('Keeps the images for which every condition named here holds.')

// ---------------------------------------------------------------------------------------------
// Lifecycle policies: ECR's own JSON shape, src/lifecycle/policy-schema.ts.

export const lifecycleSchema = z.union([z.literal('none'), lifecyclePolicySchema], {
  error: 'lifecycle must be "none" (the repository has no policy) or a policy {rules: [...]} in ECR\'s rule shape',
})

// ---------------------------------------------------------------------------------------------
// Repository entries and the file

export const repositoryEntrySchema = z
  .strictObject({
    keep: z.array(keepRuleSchema).describe('Images to keep; "keep: []" keeps nothing (every image is deleted).').optional(),
    gracePeriod: duration(false).describe('Overrides defaults.gracePeriod for matching repositories.').optional(),
    lifecycle: lifecycleSchema.describe('The lifecycle policy these repositories must have; omit to leave it unmanaged.').optional(),
    acceptLifecycleConflicts: z
      .array(
        z.string().regex(TAG_GLOB_OR_DIGEST_PATTERN, {
          error: (issue) => {
            const text = inputText(issue.input)
            return text.startsWith('sha256:') ? digestProblem(text) : tagGlobProblem(text)
          },
        }),
      )
      .describe('Tag globs or digests of kept images the lifecycle policy is accepted to expire.')
      .optional(),
  })
  // An entry that says nothing about images or lifecycle would only widen what is managed.
  .refine((entry) => entry.keep !== undefined || entry.lifecycle !== undefined, {
    error: 'an entry must declare "keep" (use "keep: []" to delete every image) or "lifecycle"',
  })

// ---------------------------------------------------------------------------------------------
// In use (docs/in-use.md): images production runs or references are kept, whatever the rules say.

const AWS_SOURCE_LIST = AWS_IN_USE_SOURCES.join(', ')

const awsSourceName = z.enum(AWS_IN_USE_SOURCES, {
  error: (issue) => `${show(issue.input)} is not an AWS source ecrctl scans: use ${AWS_SOURCE_LIST}, or "all"`,
})

const newestCount = (key: string, what: string) =>
  z
    .number({error: `${key} must be a positive whole number, e.g. ${key}: ${DEFAULT_NEWEST_REVISIONS}`})
    .int({error: `${key} must be a positive whole number, e.g. ${key}: ${DEFAULT_NEWEST_REVISIONS}`})
    .positive({error: `${key} must be a positive whole number, e.g. ${key}: ${DEFAULT_NEWEST_REVISIONS}`})
    .describe(`How many of the newest ${what} to read (default ${DEFAULT_NEWEST_REVISIONS}).`)
    .optional()

/** Options per AWS source; `null` (the key written with no value) means the defaults. */
const awsSourceOptions = {
  batch: z.strictObject({jobDefinitionRevisions: newestCount('jobDefinitionRevisions', 'ACTIVE revisions of each job definition')}),
  ecs: z.strictObject({taskDefinitionRevisions: newestCount('taskDefinitionRevisions', 'ACTIVE revisions of each task definition family')}),
  lambda: z.strictObject({versions: newestCount('versions', 'published versions of each function ($LATEST and alias targets are always read)')}),
  sagemaker: z.strictObject({}),
  stepfunctions: z.strictObject({versions: newestCount('versions', 'versions of each state machine (alias targets are always read)')}),
} satisfies Record<(typeof AWS_IN_USE_SOURCES)[number], z.ZodType>

export const inUseAwsSchema = z.union(
  [
    z.literal('all').describe('Every AWS source, with default options.'),
    z.array(awsSourceName).min(1, {error: `list at least one AWS source (${AWS_SOURCE_LIST}), or remove "aws"`}),
    z
      .strictObject(
        Object.fromEntries(
          Object.entries(awsSourceOptions).map(([name, options]) => [name, options.nullable().describe(`Scan ${name}, with these options ({} or nothing: the defaults).`).optional()]),
        ) as {[K in keyof typeof awsSourceOptions]: z.ZodOptional<z.ZodNullable<(typeof awsSourceOptions)[K]>>},
      )
      .refine((sources) => Object.keys(sources).length > 0, {error: `name at least one AWS source (${AWS_SOURCE_LIST}), or remove "aws"`}),
  ],
  {error: `aws must be "all", a list of sources (${AWS_SOURCE_LIST}), or a mapping from source to its options, e.g. {ecs: {taskDefinitionRevisions: 10}, lambda: {}}`},
)

const pathGlob = z
  .string()
  .refine((glob) => pathGlobProblem(glob) === undefined, {error: (issue) => `path glob ${show(issue.input)}: ${pathGlobProblem(inputText(issue.input))}`})
  .describe('Path glob relative to the code path: "*" within a name, "**" any directories, "{a,b}" either.')

const filePattern = z
  .string()
  .refine((pattern) => filePatternProblem(pattern) === undefined, {error: (issue) => `file pattern ${show(issue.input)}: ${filePatternProblem(inputText(issue.input))}`})
  .describe('A file, or a path glob, relative to the desired-state file ("scans/*.json", "../scans/**/*.json").')

const nonEmptyPath = (key: string, what: string) => z.string().min(1, {error: `${key} must not be empty`}).describe(what)

export const kubernetesSourceSchema = z
  .strictObject({
    pods: nonEmptyPath('pods', 'The output of `kubectl get pods -A -o json` (or of deployments, jobs, …), relative to the desired-state file.').optional(),
    context: z.string().min(1, {error: 'context must not be empty'}).describe('A kubeconfig context, read live.').optional(),
  })
  .refine((source) => (source.pods === undefined) !== (source.context === undefined), {
    error: 'a kubernetes entry names exactly one of "pods" (a kubectl JSON file) or "context" (a kubeconfig context); write two entries for both',
  })
  .describe('One Kubernetes source: {pods: FILE} or {context: NAME}.')

export const codeSourceSchema = z
  .strictObject({
    path: nonEmptyPath('path', 'A directory (or one file) to search, relative to the desired-state file.'),
    include: z.array(pathGlob).describe('Files to search (default: every file).').optional(),
    exclude: z.array(pathGlob).describe('Files not to search, e.g. "**/tests/**".').optional(),
  })
  .describe('Files searched for image references.')

const IN_USE_SOURCE_KEYS = ['aws', 'scans', 'kubernetes', 'code'] as const

export const inUseSchema = z
  .strictObject({
    aws: inUseAwsSchema.describe('AWS services of the registry\'s own account and region to scan: "all", a list, or a mapping to options.').optional(),
    scans: z.array(filePattern).describe('Scan files written by `ecrctl scan` (other accounts, regions, clusters); every pattern must match a file.').optional(),
    maxScanAge: duration(true).describe('Scan files older than this at the plan\'s evaluation time are refused (default 24h).').optional(),
    kubernetes: z.array(kubernetesSourceSchema).describe('Kubernetes sources: kubectl JSON files and kubeconfig contexts.').optional(),
    code: z.array(codeSourceSchema).describe('Code searched for image references, as the seed report\'s author did by hand.').optional(),
  })
  // An empty `aws` has its own message; empty lists are allowed, as long as something is scanned.
  .refine((inUse) => inUse.aws !== undefined || [inUse.scans, inUse.kubernetes, inUse.code].some((list) => list !== undefined && list.length > 0), {
    error: `inUse names no source (${IN_USE_SOURCE_KEYS.join(', ')}); to scan nothing, remove inUse`,
  })
  .describe('Images found in use are kept, whatever the keep rules say (docs/in-use.md).')

const registrySchema = z.strictObject({
  accountId: z
    .string({error: 'accountId must be a quoted 12-digit string, e.g. accountId: "123456789012" (unquoted, YAML reads a number)'})
    .regex(/^\d{12}$/, {error: (issue) => `accountId ${show(issue.input)} must be exactly 12 digits`})
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(?:-[a-z]+)+-\d+$/, {error: (issue) => `region ${show(issue.input)} is not an AWS region name like us-east-1`})
    .optional(),
})

export const desiredStateFileSchema = z
  .strictObject({
    version: z.literal(1, {
      // A missing version falls through to the loader's "missing required key".
      error: (issue) => (issue.input === undefined ? undefined : 'version must be 1 (the only desired-state format so far)'),
    }),
    registry: registrySchema
      .describe('Guard: plan and apply refuse to run against another account or region.')
      .optional(),
    defaults: z
      .strictObject({
        gracePeriod: duration(false)
          .describe('Never delete an image pushed less than this long ago (default 24h).')
          .optional(),
        maxDeletions: z
          .number({error: 'maxDeletions must be a positive whole number'})
          .int({error: 'maxDeletions must be a positive whole number'})
          .positive({error: 'maxDeletions must be a positive whole number'})
          .describe('Refuse plans that delete more images than this.')
          .optional(),
      })
      .optional(),
    inUse: inUseSchema.optional(),
    repositories: z
      .record(repositoryPattern, repositoryEntrySchema)
      .describe('Repository name or glob -> what to keep. Repositories matched by no entry are never touched.')
      .optional(),
  })
  .describe('ecrctl desired state, format v1')

export type DesiredStateFile = z.output<typeof desiredStateFileSchema>
export type RepositoryEntryInput = z.output<typeof repositoryEntrySchema>
export type KeepRuleInput = z.output<typeof keepRuleSchema>
export type InUseInput = z.output<typeof inUseSchema>
