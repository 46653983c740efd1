/**
 * The outcome of an apply as data: the `--format json` result, its totals and the post-apply
 * pullability check. Built by src/apply, worded by src/render/apply-summary.ts.
 */

export const APPLY_RESULT_KIND = 'ecrctl-apply-result'

export interface ApplyTotals {
  imagesDeleted: number
  /** Of imagesDeleted: the answer to an earlier attempt was lost, and the retry found the image gone. */
  imagesConfirmedOnRetry: number
  imagesAlreadyGone: number
  imagesSkippedStale: number
  imagesFailed: number
  /**
   * Sum of imageSizeInBytes of the images this apply deleted: the plan's "sum of image sizes".
   * Not storage freed: layers other images share stay (the plan's uniqueBytesFreed is that).
   */
  imageSizeBytesDeleted: number
  policiesApplied: number
  policiesAlreadyDone: number
  policiesSkippedStale: number
  policiesFailed: number
}

export interface BrokenIndex {
  repository: string
  indexDigest: string
  indexTags: string[]
  /** Children listed by the index that are not in the repository now. */
  missingChildren: string[]
  /** True when at least one missing child existed before this apply: the apply broke it. */
  causedByApply: boolean
}

export interface PullabilityReport {
  repositories: number
  indexesChecked: number
  broken: BrokenIndex[]
}

/**
 * What apply checked each action against before acting: the freshly read registry, and — with
 * the desired state the plan was made from at hand — the planner's fresh decision (docs/apply.md).
 */
export type ApplyChecks = 'registryAndDesiredState' | 'registryOnly'

export interface ApplyReport {
  kind: typeof APPLY_RESULT_KIND
  plan: string
  planChecksum: string
  registry: {accountId: string; region: string}
  checks: ApplyChecks
  /** 0: everything applied or already done (stale actions skipped on request count as done); 1 otherwise. */
  exitCode: 0 | 1
  totals: ApplyTotals
  auditLog: string
  /** The post-apply check that every remaining multi-arch index still has all its children. */
  pullability?: PullabilityReport
  actions: Array<{
    type: string
    repository: string
    imageDigest?: string
    imageTags?: string[]
    outcome: string
    /** outcome `deleted`: the answer to an earlier attempt was lost, and the retry found the image gone. */
    confirmedOnRetry?: true
    code?: string
    message?: string
  }>
}
