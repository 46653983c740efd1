/**
 * The live state of a registry as ecrctl reads it: the planner's only view of AWS.
 * Written by `ecrctl snapshot`, read by `ecrctl plan --live-state`. Every time is an ISO-8601
 * UTC string with milliseconds, so a snapshot round-trips through JSON unchanged.
 */

export const SNAPSHOT_FORMAT_VERSION = 1

export type ImageStatus = 'ACTIVE' | 'ARCHIVED' | 'ACTIVATING'

/** What ecrctl learned from an image's manifest (BatchGetImage). Absent when it was not read. */
export interface ManifestInfo {
  mediaType: string
  /** Digests of the manifests an image index / manifest list references (its platform children). */
  children?: string[]
  /** OCI 1.1 referrer: the digest of the image this manifest is about (`subject`). */
  subject?: string
  /** Config and layer blobs with their compressed sizes (for unique-bytes savings). */
  blobs?: Array<{digest: string; sizeBytes: number}>
}

export interface LiveImage {
  digest: string
  /** Sorted; empty for an untagged image. */
  tags: string[]
  pushedAt: string
  /** ECR's lastRecordedPullTime; absent when the image was never pulled. */
  lastPulledAt?: string
  /** ECR's imageSizeInBytes (compressed; for an index, its largest child). */
  sizeBytes: number
  manifestMediaType?: string
  artifactMediaType?: string
  /** ECR's subjectManifestDigest (OCI referrers), when the API reports it. */
  subjectDigest?: string
  /** Absent means ACTIVE. */
  status?: ImageStatus
  lastArchivedAt?: string
  lastActivatedAt?: string
  /** The parsed manifest, for images whose media type can reference others (indexes, referrers). */
  manifest?: ManifestInfo
  /** Set when the manifest should have been read but could not be read or parsed: fail closed. */
  manifestError?: string
}

export interface LiveRepository {
  name: string
  /** The lifecycle policy text as ECR returns it; null when the repository has none. */
  lifecyclePolicy: string | null
  /**
   * False when the images were not read (repositories no desired-state entry manages).
   * A planner must refuse to manage a repository whose images were not read.
   */
  imagesRead: boolean
  /** Sorted by digest. */
  images: LiveImage[]
}

export interface LiveSnapshot {
  kind: 'ecrctl-live-snapshot'
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION
  takenAt: string
  registry: {accountId: string; region: string}
  /** Sorted by name. Every repository of the registry, managed or not. */
  repositories: LiveRepository[]
}
