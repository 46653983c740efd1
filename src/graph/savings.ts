/**
 * True savings: ECR stores a layer or config blob once per repository, and `imageSizeInBytes`
 * counts it in every image that uses it (and is the largest child for an index). A blob's bytes
 * are freed only when every image of the repository that references it is deleted.
 *
 * Needs every image's manifest (`readManifests: 'all'`). When any image's blobs are unknown (its
 * manifest was not read, or could not be), the figure is undefined rather than a guess: a remaining
 * image we cannot see might share the blobs of a deleted one. Index manifests own no blobs.
 * Pure.
 */
import type {PlanSummary, RepositorySummary} from '../model/plan.js'
import type {LiveImage} from '../model/snapshot.js'
import {isIndexMediaType} from '../model/media-types.js'

/** Why unique bytes could not be computed for a repository, or undefined when they can be. */
export function uniqueBytesUnknownBecause(images: readonly LiveImage[]): string | undefined {
  const unknown = images.filter((image) => !blobsKnown(image))
  if (unknown.length === 0) return undefined
  return `${unknown.length} of ${images.length} manifests were not read`
}

function blobsKnown(image: LiveImage): boolean {
  if (image.manifestError !== undefined || image.manifest === undefined) return false
  if (isIndexMediaType(image.manifest.mediaType ?? image.manifestMediaType)) return true
  // A non-empty image whose manifest lists no blobs was not read in full (e.g. a hand-made
  // snapshot): trust it no more than an unread one.
  return (image.manifest.blobs?.length ?? 0) > 0 || image.sizeBytes === 0
}

/**
 * Bytes of the blobs referenced by deleted images and by no remaining image of the repository.
 * Undefined when some image's blobs are unknown.
 */
export function uniqueBytesFreed(images: readonly LiveImage[], deleted: ReadonlySet<string>): number | undefined {
  if (uniqueBytesUnknownBecause(images) !== undefined) return undefined
  const remaining = new Set<string>()
  const candidates = new Map<string, number>()
  for (const image of images) {
    if (isIndexMediaType(image.manifest?.mediaType ?? image.manifestMediaType)) continue
    const isDeleted = deleted.has(image.digest)
    for (const blob of image.manifest?.blobs ?? []) {
      if (!isDeleted) remaining.add(blob.digest)
      else candidates.set(blob.digest, Math.max(candidates.get(blob.digest) ?? 0, blob.sizeBytes))
    }
  }
  let bytes = 0
  for (const [digest, size] of candidates) if (!remaining.has(digest)) bytes += size
  return bytes
}

/**
 * The savings part of a plan summary. When every repository that deletes images has `uniqueBytesFreed`, the total and
 * the monthly estimate use unique bytes (`estimateBasis: 'uniqueBytes'`); otherwise the estimate
 * uses the sum of image sizes (no `estimateBasis`; renderers label it as such).
 */
export function savingsSummary(
  repositories: readonly RepositorySummary[],
  pricePerGbMonth: number,
): Pick<PlanSummary, 'bytesDeleted' | 'uniqueBytesFreed' | 'estimatedMonthlySavingsUsd' | 'estimateBasis'> {
  let bytesDeleted = 0
  let uniqueBytes: number | undefined = 0
  for (const summary of repositories) {
    bytesDeleted += summary.bytesDeleted
    // A repository that deletes nothing frees nothing, whether or not its manifests were read.
    if (summary.imagesDeleted === 0) continue
    if (uniqueBytes !== undefined && summary.uniqueBytesFreed !== undefined) uniqueBytes += summary.uniqueBytesFreed
    else uniqueBytes = undefined
  }
  // With nothing deleted there is nothing to compare; keep the summary as plain as before.
  if (repositories.every((summary) => summary.imagesDeleted === 0)) uniqueBytes = undefined
  const basisBytes = uniqueBytes ?? bytesDeleted
  // Not rounded to the cent here: the renderer does that, and shows a fraction of a cent as
  // "< $0.01". Twelve significant digits keep the figure free of binary noise (0.15, not 0.15000000000000002).
  const estimatedMonthlySavingsUsd = Number(((basisBytes / 1e9) * pricePerGbMonth).toPrecision(12))
  // estimateBasis absent means the sum of image sizes (src/model/plan.ts), so older plans read the same.
  if (uniqueBytes === undefined) return {bytesDeleted, estimatedMonthlySavingsUsd}
  return {bytesDeleted, uniqueBytesFreed: uniqueBytes, estimatedMonthlySavingsUsd, estimateBasis: 'uniqueBytes'}
}
