/**
 * Typed progress events of an apply. The executor emits them; the Ink view, the plain line
 * renderer, the JSON result and the audit log all consume the same stream.
 */

/** The ECR call an event is the outcome of. */
export type ApplyCall =
  | 'BatchDeleteImage'
  | 'DescribeImages'
  | 'PutLifecyclePolicy'
  | 'DeleteLifecyclePolicy'
  | 'GetLifecyclePolicy'

export type ImageOutcome =
  /**
   * BatchDeleteImage listed it as deleted; or (`confirmedOnRetry`) the answer to an earlier
   * attempt was lost, and the retry found it gone.
   */
  | 'deleted'
  /** Gone before or during this apply (the re-check found no image, or the delete found none). */
  | 'alreadyGone'
  /** Its tags changed or a kept index references it: left alone. */
  | 'skippedStale'
  | 'failed'

export type PolicyOutcome = 'applied' | 'alreadyDone' | 'skippedStale' | 'failed'

export type ApplyEvent =
  | {
      type: 'repositoryStarted'
      repository: string
      images: number
      /** Sum of imageSizeInBytes of the images to delete. */
      imageSizeBytes: number
      policyChanges: number
    }
  | {
      type: 'image'
      repository: string
      imageDigest: string
      imageTags: string[]
      sizeBytes: number
      call: ApplyCall
      outcome: ImageOutcome
      /** Why, in the port's words (imageGone, referencedByIndex, accessDenied …), or the stale reason code. */
      code?: string
      message?: string
      /** Classified by the checks before any change (no call made for it during execution). */
      preChecked?: boolean
      /**
       * Deleted, confirmed on retry: the re-check right before the delete found the image, the
       * answer to the first BatchDeleteImage was lost, and the retry found it gone. This apply's
       * own first attempt is the likely deleter, so it counts as deleted, not already gone.
       */
      confirmedOnRetry?: true
    }
  | {
      type: 'policy'
      repository: string
      action: 'putLifecyclePolicy' | 'deleteLifecyclePolicy'
      call: ApplyCall
      outcome: PolicyOutcome
      code?: string
      message?: string
      preChecked?: boolean
    }
  | {type: 'repositoryFinished'; repository: string}

export type ApplyEventListener = (event: ApplyEvent) => void
