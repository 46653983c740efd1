import type {AwsInUseSource} from './in-use.js'

/**
 * The desired state after parsing and validation: what the planner consumes. Built by
 * src/desired/ from one or more YAML files; never contains raw YAML.
 */

/** Where something was declared, for error messages and plan reasons. */
export interface SourceRef {
  file: string
  line: number
  column: number
}

export interface KeepRule {
  /** Stable, human-readable name used in reasons, e.g. `spaceport/sfm keep[0] tag=real-colmap-fixed-final`. */
  label: string
  /** The entry (repository name or glob) that declared this rule. */
  entry: string
  /** Index of the rule within its entry's `keep` list. */
  index: number
  source: SourceRef
  /** Tag globs (`*` = any run of characters); the rule's tag condition holds if any image tag matches any glob. */
  tags?: string[]
  /** Exact digests; the condition holds if the image digest is one of them. */
  digests?: string[]
  /** The condition holds if the image was pushed less than this many ms before the evaluation time. */
  pushedWithinMs?: number
  /** Likewise for lastRecordedPullTime; a never-pulled image does not match. */
  pulledWithinMs?: number
  /** After the conditions: only the N most recently pushed matching images. */
  newest?: number
  /** The user's own words for why this is kept; shown in plans. */
  reason?: string
}

/** ECR lifecycle rule, as in ECR's policy JSON (see docs/lifecycle.md). */
export interface LifecycleRule {
  rulePriority: number
  description?: string
  selection: {
    tagStatus: 'tagged' | 'untagged' | 'any'
    tagPrefixList?: string[]
    tagPatternList?: string[]
    storageClass?: 'standard' | 'archive'
    countType: 'imageCountMoreThan' | 'sinceImagePushed' | 'sinceImagePulled' | 'sinceImageTransitioned'
    countUnit?: 'days'
    countNumber: number
  }
  action: {type: 'expire' | 'transition'; targetStorageClass?: 'archive'}
}

export interface LifecyclePolicyDoc {
  rules: LifecycleRule[]
}

export interface RepositoryEntry {
  /** Exact repository name, or a glob over names (`*` = any run of characters, including `/`). */
  pattern: string
  source: SourceRef
  keep: KeepRule[]
  /**
   * True when the entry had no `keep` key (it only declares a lifecycle policy). Such an entry
   * must not make a repository's images managed: it keeps nothing only because it says nothing
   * about images. See `managesImages` in src/desired/entries.ts.
   */
  keepOmitted?: boolean
  gracePeriodMs?: number
  /** Omitted = the lifecycle policy is unmanaged; 'none' = the repository must have no policy. */
  lifecycle?: LifecyclePolicyDoc | 'none'
  lifecycleSource?: SourceRef
  /** Accepted lifecycle conflicts (docs/lifecycle.md): tag globs or digests of kept images the team accepts the policy may expire. */
  acceptLifecycleConflicts?: string[]
}

/**
 * `inUse` (docs/in-use.md): where to look for the images production uses, which are kept whatever
 * the keep rules say. Paths are relative to the desired-state file that names them; here they are
 * joined to its directory, so they are relative to the working directory (or absolute), like
 * `DesiredState.files`. Every entry says where it was declared.
 */
export interface InUseSettings {
  aws?: AwsInUseSettings
  scans: InUseScanFiles[]
  /** Scan files older than this at the evaluation time are refused. Default 24h. */
  maxScanAgeMs: number
  kubernetes: KubernetesInUseSource[]
  code: CodeInUseSource[]
}

/** Where an `inUse` setting was declared: for messages such as "desired-state/a.yaml:7:9: inUse.code[0]: …". */
export interface InUseDeclaration {
  source: SourceRef
  /** The setting's path in the file, e.g. `inUse.code[0]`. */
  setting: string
}

/** The registry's own account and region; options only for the sources scanned, defaults filled in. */
export interface AwsInUseSettings extends InUseDeclaration {
  /** Sorted, each once. */
  sources: AwsInUseSource[]
  ecs?: {taskDefinitionRevisions: number}
  lambda?: {versions: number}
  batch?: {jobDefinitionRevisions: number}
  stepfunctions?: {versions: number}
}

/** One `inUse.scans` pattern: a file, or a path glob below a directory. */
export interface InUseScanFiles extends InUseDeclaration {
  /** As written. */
  pattern: string
  /** The file (no glob) or the directory the glob is relative to. */
  path: string
  /** A path glob (src/util/path-glob.ts) below `path`; absent when `path` is one file. */
  glob?: string
}

export type KubernetesInUseSource = (InUseDeclaration & {kind: 'pods'; path: string}) | (InUseDeclaration & {kind: 'context'; context: string})

export interface CodeInUseSource extends InUseDeclaration {
  /** The directory (or one file) searched. */
  path: string
  /** Path globs relative to `path`; empty means every file. */
  include: string[]
  exclude: string[]
}

export interface DesiredState {
  version: 1
  registry?: {accountId?: string; region?: string}
  defaults: {
    /** Default 24h. */
    gracePeriodMs: number
    /** Refuse plans/applies that delete more images than this. */
    maxDeletions?: number
  }
  /** Absent when no file has `inUse`: nothing is scanned. */
  inUse?: InUseSettings
  /** In file order (files sorted by path), so reasons are deterministic. */
  entries: RepositoryEntry[]
  /** sha256 (hex) over the canonical content of the desired-state files. */
  sha256: string
  /** The files read, relative to the working directory. */
  files: string[]
}
