/**
 * The ECR calls apply makes, behind the RegistryApplyPort of src/model/apply-port.ts. Every SDK error is
 * translated here into the port's words (RegistryCallError, DeleteFailure kinds), so the executor
 * never sees an SDK error name; ECR's own text travels along for people. Throttling and transient
 * faults are retried by the client's adaptive retry strategy (registry/client.ts) before that.
 */
import {
  BatchDeleteImageCommand,
  DeleteLifecyclePolicyCommand,
  ImageFailureCode,
  PutLifecyclePolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr'
import {
  RegistryCallError,
  type BatchDeleteResult,
  type DeleteFailureKind,
  type RegistryApplyPort,
  type RegistryFailure,
} from '../model/apply-port.js'
import type {LiveRepositoryState, RegistryIdentity} from '../model/registry.js'
import type {LiveImage} from '../model/snapshot.js'
import {getLifecyclePolicyText} from './ecr-quirks.js'
import {classifySdkError, unlessMissing, type SdkErrorKind} from './errors.js'
import {readLifecyclePolicy, readRegistryIdentity, readRepositoryImages} from './read.js'

/**
 * Fresh state of one repository the plan touches: every image (with index manifests, so a kept
 * index that now references a planned deletion is seen) and the lifecycle policy.
 */
export async function readTouchedRepository(client: ECRClient, repository: string): Promise<LiveRepositoryState> {
  const gone: LiveRepositoryState = {repository, exists: false, images: [], lifecyclePolicy: null}
  return unlessMissing(
    (async (): Promise<LiveRepositoryState> => {
      const images = await readRepositoryImages(client, repository, {readManifests: 'references'})
      const lifecyclePolicy = await readLifecyclePolicy(client, repository)
      return {repository, exists: true, images, lifecyclePolicy}
    })(),
    'repositoryNotFound',
    gone,
  )
}

const FAILURES: Record<SdkErrorKind, RegistryFailure> = {
  repositoryNotFound: 'notFound',
  imageNotFound: 'notFound',
  lifecyclePolicyNotFound: 'notFound',
  invalidRequest: 'invalidRequest',
  noCredentials: 'credentials',
  credentialsRejected: 'credentials',
  accessDenied: 'accessDenied',
  throttled: 'throttled',
  timedOut: 'timedOut',
  unreachable: 'unreachable',
  serviceFault: 'serviceFault',
  other: 'failed',
}

/**
 * The port's words for why a call failed. The message is ECR's, led by its error name when ECR
 * sent one (e.g. "AccessDeniedException: …"), for people; the call is named by the event.
 */
export function toRegistryCallError(error: unknown): RegistryCallError {
  if (error instanceof RegistryCallError) return error
  const name = error instanceof Error && '$metadata' in error && error.name ? `${error.name}: ` : ''
  const message = error instanceof Error ? error.message : String(error)
  return new RegistryCallError(FAILURES[classifySdkError(error)], `${name}${message}`, {cause: error})
}

/** BatchDeleteImage's per-image failure codes, in the port's words. */
function deleteFailureKind(code: string | undefined): DeleteFailureKind {
  if (code === ImageFailureCode.ImageNotFound) return 'imageGone'
  if (code === ImageFailureCode.ImageReferencedByManifestList) return 'referencedByIndex'
  return 'refused'
}

export class EcrApplyCalls implements RegistryApplyPort {
  constructor(private readonly client: ECRClient) {}

  /** EcrctlErrors (session-level: a failure here ends the apply before any change). */
  readIdentity(): Promise<RegistryIdentity> {
    return readRegistryIdentity(this.client)
  }

  readTouchedRepository(repository: string): Promise<LiveRepositoryState> {
    return readTouchedRepository(this.client, repository)
  }

  private async translated<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw toRegistryCallError(error)
    }
  }

  async rereadImages(repository: string, known: ReadonlyMap<string, LiveImage>): Promise<LiveImage[]> {
    return this.translated(() => unlessMissing(readRepositoryImages(this.client, repository, {readManifests: 'references', known}), 'repositoryNotFound', []))
  }

  async batchDeleteImages(repository: string, digests: readonly string[]): Promise<BatchDeleteResult> {
    // The repository itself is gone: so is every image in it.
    const repositoryGone: BatchDeleteResult = {
      deleted: [],
      failures: digests.map((imageDigest) => ({imageDigest, kind: 'imageGone', reason: 'the repository does not exist'})),
      attempts: 1,
    }
    return this.translated(async () => {
      const response = await unlessMissing(
        this.client.send(new BatchDeleteImageCommand({repositoryName: repository, imageIds: digests.map((imageDigest) => ({imageDigest}))})),
        'repositoryNotFound',
        null,
      )
      if (response === null) return repositoryGone
      return {
        deleted: [...new Set((response.imageIds ?? []).flatMap((id) => (id.imageDigest ? [id.imageDigest] : [])))],
        failures: (response.failures ?? []).map((failure) => ({
          imageDigest: failure.imageId?.imageDigest ?? '',
          kind: deleteFailureKind(failure.failureCode),
          reason: [failure.failureCode ?? 'Unknown', failure.failureReason].filter(Boolean).join(': '),
        })),
        attempts: response.$metadata?.attempts ?? 1,
      }
    })
  }

  async getLifecyclePolicy(repository: string): Promise<string | null> {
    return this.translated(() => getLifecyclePolicyText(this.client, repository))
  }

  async putLifecyclePolicy(repository: string, policyText: string): Promise<void> {
    await this.translated(() =>
      this.client.send(new PutLifecyclePolicyCommand({repositoryName: repository, lifecyclePolicyText: policyText})),
    )
  }

  async deleteLifecyclePolicy(repository: string): Promise<boolean> {
    return this.translated(async () => {
      const response = await unlessMissing(
        this.client.send(new DeleteLifecyclePolicyCommand({repositoryName: repository})),
        'lifecyclePolicyNotFound',
        null,
      )
      return response !== null
    })
  }
}
