/**
 * The plan: the reviewed contract between `ecrctl plan` and `ecrctl apply`.
 *
 * Rules:
 * - Everything apply acts on or re-checks is in `actions` (type, repository, digest, the tags the
 *   image had at plan time, the policy before/after). Display-only fields (reason, sizes, summary)
 *   never drive apply.
 * - Arrays are sorted (actions by repository then digest; kept likewise) and the file is written
 *   with sorted keys, one image per line (src/planfile/canonical-json.ts), so the same inputs give
 *   byte-identical plans.
 * - `checksum` is sha256 over the canonical JSON (json-stable-stringify's compact form) of the
 *   document without `checksum`; apply refuses a plan whose checksum does not match ("tampered or
 *   corrupted").
 */

import type {LifecycleRepositoryReport} from './lifecycle-report.js'
import {MINUTE_MS} from '../util/time.js'

export const PLAN_FORMAT_VERSION = 1
export const PLAN_KIND = 'ecrctl-plan'

/**
 * How far a plan's `evaluatedAt` may lie ahead of the clock of the machine that applies it (the
 * two machines' clocks may differ a little). Beyond it apply refuses: a plan evaluated in the
 * future counted ages and grace periods from a time that has not come.
 */
export const PLAN_CLOCK_SKEW_MS = 5 * MINUTE_MS

/** Why an image is kept or deleted. `code` is stable for machines; `message` is for people. */
export type ReasonCode =
  | 'keepRule' // matched a keep rule of the desired state
  | 'gracePeriod' // pushed less than the grace period ago
  | 'indexChild' // referenced by a kept image index
  | 'referrerOfKept' // a signature/attestation/SBOM whose subject is kept
  | 'subjectOfKept' // the subject of a kept signature/attestation/SBOM (keeping more is the safe direction)
  | 'manifestUnreadable' // fail closed: a manifest that might reference it could not be read
  | 'lifecycleAccepted'
  | 'noKeepRule' // nothing keeps it: deleted
  | 'childOfDeletedIndex' // only referenced by deleted indexes: deleted with them
  | 'orphanReferrer' // signature/attestation whose subject is deleted or gone

export interface Reason {
  code: ReasonCode
  message: string
  /** The keep rule's label, for keepRule. */
  rule?: string
  /** The related image (parent index, subject), for graph reasons. */
  relatedDigest?: string
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
  /** One-line summary of `reasons`, for people. */
  reason: string
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
  reason: string
}

export interface DeleteLifecyclePolicyAction {
  type: 'deleteLifecyclePolicy'
  repository: string
  before: string
  reason: string
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
