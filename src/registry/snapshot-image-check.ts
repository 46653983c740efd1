/**
 * A fast yes/no check of one snapshot image, for snapshots of a million images where the zod
 * schema's copy of every image costs seconds and a gigabyte. It only ever answers "valid" for
 * what the zod image schema (./snapshot-file.ts) accepts; anything else, including what zod might
 * still accept, answers "not sure" and the caller runs zod, whose message names the path.
 */
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import {isZonedTime} from '../util/time.js'

const STATUSES = new Set(['ACTIVE', 'ARCHIVED', 'ACTIVATING'])

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isDigest = (value: unknown): boolean => typeof value === 'string' && IMAGE_DIGEST_PATTERN.test(value)
const isSize = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

function isDigestList(value: unknown): boolean {
  if (!Array.isArray(value)) return false
  for (const item of value) if (!isDigest(item)) return false
  return true
}

function isTagList(value: unknown): boolean {
  if (!Array.isArray(value)) return false
  for (const tag of value) if (typeof tag !== 'string' || tag.length === 0) return false
  return true
}

function isBlobList(value: unknown): boolean {
  if (!Array.isArray(value)) return false
  for (const blob of value) {
    if (!isRecord(blob)) return false
    let keys = 0
    for (const key in blob) {
      keys += 1
      if (key === 'digest' ? !isDigest(blob[key]) : key === 'sizeBytes' ? !isSize(blob[key]) : true) return false
    }
    if (keys !== 2) return false
  }
  return true
}

function isManifest(value: unknown): boolean {
  if (!isRecord(value) || typeof value.mediaType !== 'string') return false
  for (const key in value) {
    const item = value[key]
    switch (key) {
      case 'mediaType':
        break
      case 'children':
        if (!isDigestList(item)) return false
        break
      case 'subject':
        if (!isDigest(item)) return false
        break
      case 'blobs':
        if (!isBlobList(item)) return false
        break
      default:
        return false
    }
  }
  return true
}

/** True only when the image schema of snapshot files accepts `value` as it is (strict: no other keys). */
export function isValidSnapshotImage(value: unknown): boolean {
  if (!isRecord(value)) return false
  if (!isDigest(value.digest) || !isTagList(value.tags) || !isZonedTime(value.pushedAt) || !isSize(value.sizeBytes)) return false
  for (const key in value) {
    const item = value[key]
    switch (key) {
      case 'digest':
      case 'tags':
      case 'pushedAt':
      case 'sizeBytes':
        break
      case 'lastPulledAt':
      case 'lastArchivedAt':
      case 'lastActivatedAt':
        if (!isZonedTime(item)) return false
        break
      case 'manifestMediaType':
      case 'artifactMediaType':
      case 'manifestError':
        if (typeof item !== 'string') return false
        break
      case 'subjectDigest':
        if (!isDigest(item)) return false
        break
      case 'status':
        if (typeof item !== 'string' || !STATUSES.has(item)) return false
        break
      case 'manifest':
        if (!isManifest(item)) return false
        break
      default:
        return false
    }
  }
  return true
}
