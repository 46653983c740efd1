/**
 * Manifest media types and a pure parser that turns a manifest's bytes into the facts the planner
 * and the image graph need (children of an index, the `subject` of a referrer, blob sizes).
 * No AWS SDK here: the reader (read.ts) fetches, this module only interprets.
 */
import {IMAGE_DIGEST_PATTERN} from '../model/ecr-facts.js'
import {isIndexMediaType, LEAF_MEDIA_TYPES, MEDIA_TYPES} from '../model/media-types.js'
import type {ManifestInfo} from '../model/snapshot.js'

/** Every manifest type ecrctl asks BatchGetImage for (its acceptedMediaTypes). */
export const ACCEPTED_MANIFEST_MEDIA_TYPES = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest,
]

/**
 * Whether a manifest of this media type can point at other images: indexes reference their
 * platform manifests, and OCI image manifests may carry a `subject` (signatures, SBOMs,
 * attestations). An unknown or missing media type counts as "can reference" so that the reader
 * fetches it and the planner fails closed rather than guessing.
 */
export function canReferenceOthers(mediaType: string | undefined): boolean {
  if (mediaType === undefined || mediaType === '') return true
  return !LEAF_MEDIA_TYPES.has(mediaType)
}

export class ManifestParseError extends Error {
  override name = 'ManifestParseError'
}

/**
 * Parse a manifest. `mediaType` is what ECR reported (imageManifestMediaType); the manifest's own
 * `mediaType` field wins when present, since that is what clients that pull it will see.
 * Throws ManifestParseError for anything that is not a well-formed manifest: callers record that
 * as `manifestError` and the planner keeps whatever the image might reference.
 */
export function parseManifest(text: string, mediaType?: string): ManifestInfo {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (error) {
    throw new ManifestParseError(`manifest is not JSON: ${(error as Error).message}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ManifestParseError('manifest is not a JSON object')
  }
  const manifest = doc as Record<string, unknown>
  const ownType = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined
  const effectiveType = ownType ?? mediaType ?? guessMediaType(manifest)
  if (effectiveType === undefined) throw new ManifestParseError('manifest has no mediaType and no recognisable shape')

  const info: ManifestInfo = {mediaType: effectiveType}
  if (Array.isArray(manifest.manifests) || isIndexMediaType(effectiveType)) {
    if (!Array.isArray(manifest.manifests)) throw new ManifestParseError('image index has no "manifests" list')
    info.children = uniqueSorted(manifest.manifests.map((entry, i) => descriptorDigest(entry, `manifests[${i}]`)))
  } else {
    const blobs: Array<{digest: string; sizeBytes: number}> = []
    if (manifest.config !== undefined) blobs.push(descriptorBlob(manifest.config, 'config'))
    if (manifest.layers !== undefined) {
      if (!Array.isArray(manifest.layers)) throw new ManifestParseError('"layers" is not a list')
      manifest.layers.forEach((layer, i) => blobs.push(descriptorBlob(layer, `layers[${i}]`)))
    }
    if (blobs.length > 0) info.blobs = blobs
  }
  if (manifest.subject !== undefined) info.subject = descriptorDigest(manifest.subject, 'subject')
  return info
}

function guessMediaType(manifest: Record<string, unknown>): string | undefined {
  if (Array.isArray(manifest.manifests)) return MEDIA_TYPES.ociIndex
  if (manifest.config !== undefined || Array.isArray(manifest.layers)) return MEDIA_TYPES.ociManifest
  return undefined
}

function descriptorDigest(descriptor: unknown, where: string): string {
  const digest = (descriptor as {digest?: unknown} | null)?.digest
  if (typeof digest !== 'string' || !IMAGE_DIGEST_PATTERN.test(digest)) {
    throw new ManifestParseError(`${where} has no valid sha256 digest`)
  }
  return digest
}

function descriptorBlob(descriptor: unknown, where: string): {digest: string; sizeBytes: number} {
  const digest = descriptorDigest(descriptor, where)
  const size = (descriptor as {size?: unknown}).size
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ManifestParseError(`${where} has no valid size`)
  }
  return {digest, sizeBytes: size}
}

const uniqueSorted = (values: string[]): string[] => [...new Set(values)].sort()
