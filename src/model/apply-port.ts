/**
 * What apply needs from ECR, as narrow ports: the executor's calls (ApplyPort) and, for the whole
 * apply session, the registry's identity and a fresh read of each touched repository. The
 * SDK-backed implementation is src/registry/apply-calls.ts; unit tests use an in-memory registry.
 */
import type {LiveRepositoryState, RegistryIdentity} from './registry.js'

export interface DeleteFailure {
  imageDigest: string
  /** ECR failureCode, e.g. ImageNotFound, ImageReferencedByManifestList. */
  code: string
  reason: string
}

export interface BatchDeleteResult {
  deleted: string[]
  failures: DeleteFailure[]
}

export interface ApplyPort {
  /** Current tags of those of `digests` that exist (≤100 digests); a missing digest is absent from the map. */
  describeImageTags(repository: string, digests: readonly string[]): Promise<Map<string, string[]>>
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
