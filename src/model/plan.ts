/**
 * The plan: the reviewed contract between `ecrctl plan` and `ecrctl apply`.
 *
 * Rules:
 * - Everything apply acts on or re-checks is in `actions` (type, repository, digest, the tags the
 *   image had at plan time, the policy before/after). Display-only fields (reasons, notes, sizes, summary)
 *   never drive apply.
 * - Arrays are sorted (actions by repository then digest; kept likewise) and the file is written
 *   with sorted keys, one image per line (src/planfile/canonical-json.ts), so the same inputs give
 *   byte-identical plans.
 * - `checksum` is sha256 over the canonical JSON (json-stable-stringify's compact form) of the
 *   document without `checksum`; apply refuses a plan whose checksum does not match ("tampered or
 *   corrupted").
 */

import type {ReferrerKind, SubjectEdge} from './image-edges.js'
import type {InUseSource} from './in-use.js'
import type {LifecycleRepositoryReport} from './lifecycle-report.js'
import {MINUTE_MS} from '../util/time.js'

/** 2: reasons are data (no `message`), actions carry no `reason` text, deletions record `lastPulledAt`. */
export const PLAN_FORMAT_VERSION = 2
export const PLAN_KIND = 'ecrctl-plan'

/**
 * How far a plan's `evaluatedAt` may lie ahead of the clock of the machine that applies it (the
 * two machines' clocks may differ a little). Beyond it apply refuses: a plan evaluated in the
 * future counted ages and grace periods from a time that has not come.
 */
export const PLAN_CLOCK_SKEW_MS = 5 * MINUTE_MS

/**
 * Why an image is kept or deleted: data, not words (formatVersion 2). `code` is stable for
 * machines and says which variant it is; the other fields are the evidence (the rule, the related
 * image, the duration, the user's own `reason`). The renderers in src/render word them, shorten
 * the digests and measure ages from the plan's `evaluatedAt` and the image's `imagePushedAt`.
 * Every variant's keys are listed in sorted order below, and the planner builds them that way.
 */
export type Reason =
  | KeepRuleReason
  | GracePeriodReason
  | IndexChildReason
  | ReferrerOfKeptReason
  | SubjectOfKeptReason
  | ManifestUnreadableReason
  | InUseReason
  | NoKeepRuleReason
  | ChildOfDeletedIndexReason
  | OrphanReferrerReason

export type ReasonCode = Reason['code']

/** How a referrer edge was learned (see src/model/image-edges.ts). */
export type EdgeSource = SubjectEdge['via']

/** Matched a keep rule of the desired state. */
export interface KeepRuleReason {
  code: 'keepRule'
  /** The desired-state entry (repository name or glob) that declares the rule. */
  entry: string
  /** The rule's index in the entry's `keep` list. */
  index: number
  /** For a `newest: N` rule: how many images matched its conditions. */
  matching?: number
  /** For a `newest: N` rule: N. */
  newest?: number
  /** For a `newest: N` rule: this image's place among the matching images, newest first (1-based). */
  rank?: number
  /** The user's own words from the desired state (`reason:`), when given. */
  reason?: string
  /** The rule's label (entry, index and conditions), as src/desired writes it. */
  rule: string
}

/** Pushed less than the grace period before `evaluatedAt` (or after it: clock skew). */
export interface GracePeriodReason {
  code: 'gracePeriod'
  /** The grace period that applied (the longest among the matching entries), in ms. */
  gracePeriodMs: number
}

/** Listed by a kept image index (`relatedDigest`). */
export interface IndexChildReason {
  code: 'indexChild'
  relatedDigest: string
}

/** A signature, attestation or SBOM whose subject (`relatedDigest`) is kept. */
export interface ReferrerOfKeptReason {
  code: 'referrerOfKept'
  kind: ReferrerKind
  relatedDigest: string
  via: EdgeSource
}

/** The subject of a kept referrer (`relatedDigest`): keeping more is the safe direction. */
export interface SubjectOfKeptReason {
  code: 'subjectOfKept'
  kind: ReferrerKind
  relatedDigest: string
  via: EdgeSource
}

/** Fail closed: an unreadable manifest (`relatedDigest`, the first of `unreadableCount`) might reference it. */
export interface ManifestUnreadableReason {
  code: 'manifestUnreadable'
  /** Why the first unreadable manifest could not be read or parsed (the registry's or parser's words). */
  problem: string
  relatedDigest: string
  unreadableCount: number
}

/** Something running or deployed refers to it (docs/in-use.md). */
export interface InUseReason {
  code: 'inUse'
  /** Sorted by source, resource, field, text. */
  references: InUseReasonReference[]
}

export interface InUseReasonReference {
  source: InUseSource
  /** ARN, `namespace/pod`, `kind/namespace/name`, or `path:line`. */
  resource: string
  /** Where in the resource it was found, e.g. `containers[0].image`. */
  field: string
  /** The reference as written there. */
  text: string
}

/** Nothing keeps it: deleted. Its age is `evaluatedAt` minus `imagePushedAt`. */
export interface NoKeepRuleReason {
  code: 'noKeepRule'
}

/** Listed only by deleted indexes (`relatedDigest`, one reason per index): deleted with them. */
export interface ChildOfDeletedIndexReason {
  code: 'childOfDeletedIndex'
  relatedDigest: string
}

/** A referrer whose subject (`relatedDigest`) is deleted, or not in the repository at all. */
export interface OrphanReferrerReason {
  code: 'orphanReferrer'
  kind: ReferrerKind
  relatedDigest: string
  /** False when the subject is not in the repository (the referrer is already an orphan). */
  subjectInRepository: boolean
  via: EdgeSource
}

export interface ImageFacts {
  repository: string
  imageDigest: string
  /** The tags at plan time, sorted. Apply re-checks them: a new tag makes the action stale. */
  imageTags: string[]
  imagePushedAt: string
  sizeBytes: number
  status?: 'ACTIVE' | 'ARCHIVED' | 'ACTIVATING'
}

export interface DeleteImageAction extends ImageFacts {
  type: 'deleteImage'
  /**
   * ECR's lastRecordedPullTime at plan time; null when the image was never pulled. Apply treats
   * a later pull as "pulled since the plan" (stale).
   */
  lastPulledAt: string | null
  reasons: Reason[]
  /**
   * Digests of images this one references (index children, and the subject of a referrer), so
   * apply can order deletes: referrers and indexes before what they reference.
   */
  references?: string[]
  /** Display-only remarks for the reviewer (e.g. archive minimum storage duration still billed). */
  notes?: string[]
}

export interface PutLifecyclePolicyAction {
  type: 'putLifecyclePolicy'
  repository: string
  /** Canonical policy text live at plan time; null = no policy. Apply's precondition. */
  before: string | null
  /** Canonical desired policy text. */
  after: string
  declaredBy: LifecycleDeclaration
}

export interface DeleteLifecyclePolicyAction {
  type: 'deleteLifecyclePolicy'
  repository: string
  before: string
  declaredBy: LifecycleDeclaration
}

/** The desired-state entry that declares a repository's `lifecycle:` (or `lifecycle: none`). */
export interface LifecycleDeclaration {
  /** The entry's repository name or glob. */
  entry: string
  file: string
  line: number
}

export type PlanAction = DeleteImageAction | PutLifecyclePolicyAction | DeleteLifecyclePolicyAction

export interface KeptImage extends ImageFacts {
  reasons: Reason[]
}

export interface PlanWarning {
  repository?: string
  imageDigest?: string
  message: string
}

export interface RepositorySummary {
  repository: string
  /**
   * False when only lifecycle-only entries (no `keep`) match the repository: its images are not
   * decided by the plan (never deleted, not listed in `kept`) and the image counts are 0.
   * Absent means the images are managed.
   */
  imagesManaged?: false
  /** Images the plan decided (kept + deleted). */
  imagesTotal: number
  imagesKept: number
  imagesDeleted: number
  /** Sum of imageSizeInBytes of deleted images (overstates: shared layers count once per image). */
  bytesDeleted: number
  /** Bytes of blobs no remaining image references (docs/image-graph.md, "True savings"); absent when manifests were not read. */
  uniqueBytesFreed?: number
  lifecycleChange?: 'put' | 'delete'
}

export interface PlanSummary {
  repositories: RepositorySummary[]
  imagesDeleted: number
  imagesKept: number
  bytesDeleted: number
  uniqueBytesFreed?: number
  lifecyclePolicyChanges: number
  /** Kept images with an `inUse` reason; absent when the plan collected no in-use evidence. */
  imagesKeptInUse?: number
  pricePerGbMonth: number
  /** An estimate: bytes × price / 1e9 (ECR bills decimal GB). */
  estimatedMonthlySavingsUsd: number
  /**
   * Which bytes the estimate uses: unique blob bytes freed (every manifest was read), or the sum
   * of imageSizeInBytes (manifests not read; overstates). Absent = sum of image sizes.
   */
  estimateBasis?: 'uniqueBytes' | 'imageSizes'
}

export interface PlanDocument {
  kind: typeof PLAN_KIND
  formatVersion: typeof PLAN_FORMAT_VERSION
  ecrctlVersion: string
  evaluatedAt: string
  registry: {accountId: string; region: string}
  desiredStateSha256: string
  desiredStateFiles: string[]
  /** Managed repositories in this plan, sorted. Apply re-reads each. */
  managedRepositories: string[]
  unmanagedRepositories: string[]
  actions: PlanAction[]
  kept: KeptImage[]
  warnings: PlanWarning[]
  summary: PlanSummary
  /** Optional guard carried from the desired state (defaults.maxDeletions). */
  maxDeletions?: number
  /**
   * Display-only: per managed repository whose lifecycle policy ecrctl evaluated, what the
   * policy does to the kept images and the conflicts the desired state accepts. Absent when no
   * repository has a policy. See src/model/lifecycle-report.ts and docs/lifecycle.md.
   */
  lifecycle?: LifecycleRepositoryReport[]
  checksum: string
}

/** A plan before it is sealed with a checksum (what the planner returns). */
export type UnsealedPlan = Omit<PlanDocument, 'checksum'>
