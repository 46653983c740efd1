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

export interface DesiredState {
  version: 1
  registry?: {accountId?: string; region?: string}
  defaults: {
    /** Default 24h. */
    gracePeriodMs: number
    /** Refuse plans/applies that delete more images than this. */
    maxDeletions?: number
  }
  /** In file order (files sorted by path), so reasons are deterministic. */
  entries: RepositoryEntry[]
  /** sha256 (hex) over the canonical content of the desired-state files. */
  sha256: string
  /** The files read, relative to the working directory. */
  files: string[]
}
