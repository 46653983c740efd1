/**
 * What ECR accepts and guarantees, in one place: the formats and limits ecrctl checks offline, and
 * the call sizes it sends. Each value cites the section of ECR-REFERENCE (the team's digest of the
 * ECR guide and API model) it comes from; when AWS changes one, this file is the one to change.
 */

/**
 * An image digest as ECR reports it and accepts it: `sha256:` and 64 lowercase hex digits. ECR
 * addresses images by sha256 only (`…/REPO@sha256:HEX`, ECR-REFERENCE §10), and OCI fixes the sha256 encoding at
 * 64 lowercase hex digits; the generic OCI grammar (`sha512:…`, other algorithms) names nothing an
 * ECR repository can hold.
 */
export const IMAGE_DIGEST_SOURCE = 'sha256:[0-9a-f]{64}'
export const IMAGE_DIGEST_PATTERN = new RegExp(`^${IMAGE_DIGEST_SOURCE}$`)

/** A tag is 1–300 characters (ECR-REFERENCE §3). */
export const MAX_TAG_LENGTH = 300
/** A repository name is at most 256 characters (the API model's RepositoryName). */
export const MAX_REPOSITORY_NAME_LENGTH = 256

/** At most 4 `*` per entry of a lifecycle rule's tagPatternList (ECR-REFERENCE §1); keep rules use the same dialect. */
export const MAX_WILDCARDS_PER_PATTERN = 4
/** A lifecycle policy holds at most 50 rules (ECR-REFERENCE §1). */
export const MAX_LIFECYCLE_RULES = 50
/** A lifecycle policy text is at most 30,720 characters (ECR-REFERENCE §1). */
export const MAX_LIFECYCLE_POLICY_CHARS = 30_720

/**
 * Archived images are billed for at least 90 days in archive, and lifecycle cannot expire them
 * before 90 days there; deleting one earlier does not end the charge (ECR-REFERENCE §1, §4, §11).
 */
export const ARCHIVE_MINIMUM_DAYS = 90

/** `imageIds` per BatchDeleteImage, BatchGetImage and DescribeImages call (ECR-REFERENCE §3: more is an InvalidParameterException). */
export const MAX_IMAGE_IDS_PER_CALL = 100
/** `maxResults` per page of DescribeImages, ListImages and DescribeRepositories (ECR-REFERENCE §3). */
export const MAX_RESULTS_PER_PAGE = 1000
