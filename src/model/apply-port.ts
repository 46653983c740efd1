/**
 * What apply needs from ECR, as narrow ports: the executor's calls (ApplyPort) and, for the whole
 * apply session, the registry's identity and a fresh read of each touched repository. The
 * SDK-backed implementation is src/registry/apply-calls.ts; unit tests use an in-memory registry.
 * Failures cross the port in ecrctl's own words (the adapter translates ECR's): the executor
 * decides by them, and ECR's own text travels along in `reason` / the error message for people.
 */
import type {LiveRepositoryState, RegistryIdentity} from './registry.js'
import type {LiveImage} from './snapshot.js'

/** Why ECR did not delete one image of a BatchDeleteImage. */
export type DeleteFailureKind =
  /** There is no such image (any more): gone is what was wanted. */
  | 'imageGone'
  /** An image index still lists it (ECR protects it); may succeed once the index is deleted. */
  | 'referencedByIndex'
  /** Anything else ECR refused (a KMS error, an unknown code …). */
  | 'refused'

export interface DeleteFailure {
  imageDigest: string
  kind: DeleteFailureKind
  /** ECR's failure code and reason, for people, e.g. "KmsError: …". */
  reason: string
}

export interface BatchDeleteResult {
  deleted: string[]
  failures: DeleteFailure[]
  /**
   * How many times the request was sent (the SDK retries a lost or failed answer). More than one:
   * an earlier attempt may have deleted what the answer now reports as `imageGone`.
   */
  attempts: number
}

/** Why a whole call failed. */
export type RegistryFailure =
  | 'notFound'
  | 'accessDenied'
  | 'credentials'
  | 'throttled'
  | 'timedOut'
  | 'unreachable'
  | 'serviceFault'
  | 'invalidRequest'
  | 'failed'

/** A call through the port that failed as a whole; `message` says what ECR said. */
export class RegistryCallError extends Error {
  constructor(
    readonly failure: RegistryFailure,
    message: string,
    options?: {cause?: unknown},
  ) {
    super(message, options)
    this.name = 'RegistryCallError'
  }
}

/** Every method throws only RegistryCallError. */
export interface ApplyPort {
  /**
   * Every image of the repository as it is now (none when the repository is gone), for the
   * re-check right before a BatchDeleteImage: tags, `subjectManifestDigest`, and the manifest of
   * each image that `known` does not hold and that can carry a `subject`. An image in `known`
   * takes its manifest from there: a digest's manifest never changes.
   */
  rereadImages(repository: string, known: ReadonlyMap<string, LiveImage>): Promise<LiveImage[]>
  /** BatchDeleteImage by digest (≤100). Per-item failures are returned, not thrown. */
  batchDeleteImages(repository: string, digests: readonly string[]): Promise<BatchDeleteResult>
  /** Raw policy text, null when the repository has none. */
  getLifecyclePolicy(repository: string): Promise<string | null>
  putLifecyclePolicy(repository: string, policyText: string): Promise<void>
  /** Resolves false when there was no policy to delete. */
  deleteLifecyclePolicy(repository: string): Promise<boolean>
}

/** Everything an apply session asks of the registry. */
export interface RegistryApplyPort extends ApplyPort {
  /** The account and region the credentials point at. */
  readIdentity(): Promise<RegistryIdentity>
  /** Every image (index manifests read) and the lifecycle policy; `exists: false` when the repository is gone. */
  readTouchedRepository(repository: string): Promise<LiveRepositoryState>
}
