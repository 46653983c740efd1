/**
 * In-use evidence: which images production runs or references, and where that was found.
 *
 * Scanners (AWS services, Kubernetes, code) produce `CandidateString`s; src/inuse extracts
 * `ImageReference`s from them and resolves those against a live snapshot. A reference is kept
 * whatever the keep rules say. Rules (see docs/in-use.md):
 * - a reference by tag keeps the image that tag points at; by digest (with or without a tag), that
 *   digest only;
 * - `registry` is set only when the text named an ECR registry (`ACCOUNT.dkr.ecr.REGION…`); a
 *   reference without it was matched by repository name and counts for the registry being planned.
 */
import type {RegistryIdentity} from './registry.js'

export type InUseSource = 'ecs' | 'lambda' | 'sagemaker' | 'batch' | 'stepfunctions' | 'kubernetes' | 'code' | 'scan'

/** The AWS services an in-use scan reads, in the order they are run and reported. */
export const AWS_IN_USE_SOURCES = ['batch', 'ecs', 'lambda', 'sagemaker', 'stepfunctions'] as const satisfies readonly InUseSource[]
export type AwsInUseSource = (typeof AWS_IN_USE_SOURCES)[number]

/**
 * How many of the newest revisions or versions an AWS scan reads per ECS task definition family,
 * Lambda function, Batch job definition and Step Functions state machine, unless the desired
 * state says otherwise (`inUse.aws.ecs.taskDefinitionRevisions`, …).
 */
export const DEFAULT_NEWEST_REVISIONS = 5

/** Where a candidate image string was found. */
export interface InUseEvidence {
  source: InUseSource
  /** ARN, `namespace/pod`, `kind/namespace/name`, or `path:line` for code. */
  resource: string
  /** The field it was read from, e.g. `containers[0].image`, `Code.ImageUri`, `Environment.Variables.IMAGE`. */
  field: string
}

/** A string a scanner found that is, or contains, image references (a URI field, an env var value, a JSON definition). */
export interface CandidateString {
  value: string
  evidence: InUseEvidence
  /** true when `value` is exactly one image reference field (e.g. containers[].image), false when free text to search */
  exact: boolean
}

/** One image reference found in a candidate string. At least one of `tag` and `digest` is set. */
export interface ImageReference {
  /** The ECR registry the text named; absent when matched by repository name alone. */
  registry?: RegistryIdentity
  repository: string
  /** `latest` when a full ECR URI or an exact image field named neither tag nor digest. */
  tag?: string
  /** `sha256:<64 hex>`; when set, it alone decides which image is referenced. */
  digest?: string
  /** The text matched, as written (e.g. `spaceport/sfm:real-colmap-fixed-final`). */
  text: string
  evidence: InUseEvidence
}

/** The references that keep one image, sorted. */
export interface InUseImage {
  digest: string
  references: ImageReference[]
}

export interface InUseRepository {
  repository: string
  /** Sorted by digest. */
  images: InUseImage[]
}

/**
 * A reference to this registry that names something the snapshot does not have: production may be
 * broken, or the reference is stale. A warning, never a reason to delete.
 */
export interface BrokenReference {
  problem: 'repositoryNotFound' | 'tagNotFound' | 'digestNotFound'
  reference: ImageReference
}

/** References × one registry's snapshot. Everything sorted, so equal inputs give equal output. */
export interface InUseResolution {
  registry: RegistryIdentity
  /** Only repositories with at least one referenced image; sorted by name. */
  repositories: InUseRepository[]
  broken: BrokenReference[]
  /** References into repositories whose images were not read: not resolvable, and never planned. */
  unread: ImageReference[]
  /** References naming another ECR registry (a scan from a workload account names several). */
  otherRegistryReferences: number
}

export const SCAN_KIND = 'ecrctl-scan'
export const SCAN_FORMAT_VERSION = 1

/**
 * A scan file (`ecrctl scan --out`): the references found in one account, region or cluster, to
 * every ECR registry, so a central registry can learn what workload accounts run.
 */
export interface ScanDocument {
  kind: typeof SCAN_KIND
  formatVersion: typeof SCAN_FORMAT_VERSION
  ecrctlVersion: string
  /** ISO-8601 UTC; a plan refuses scans older than `inUse.maxScanAge` at its evaluation time. */
  scannedAt: string
  scope: {
    accountId?: string
    region?: string
    /** The Kubernetes cluster or kubeconfig context scanned. */
    cluster?: string
    /** The sources scanned, sorted and unique. */
    sources: InUseSource[]
  }
  /** Sorted (registry, repository, tag, digest, evidence, text); no duplicates. */
  references: ImageReference[]
}
