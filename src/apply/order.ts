/**
 * Deletion order within one repository. ECR refuses to delete a manifest an image index still
 * references (ImageReferencedByManifestList), and a referrer (signature, SBOM) left behind its
 * subject is an orphan; so whatever references another image goes first. Pure.
 */
import {MAX_IMAGE_IDS_PER_CALL} from '../model/ecr-facts.js'
import {imageEdges, referencedDigests} from '../model/image-edges.js'
import type {DeleteImageAction} from '../model/plan.js'
import type {LiveImage} from '../model/snapshot.js'

/**
 * The digests an image references: the plan's `references` plus every edge of the live image
 * (children, OCI subjects and cosign tags: ordering by more edges only deletes referrers earlier).
 */
function referencesOf(action: DeleteImageAction, live: ReadonlyMap<string, LiveImage>): string[] {
  const image = live.get(action.imageDigest)
  return [...(action.references ?? []), ...(image === undefined ? [] : referencedDigests(imageEdges(image)))]
}

/**
 * Splits one repository's deletions into waves: wave 0 holds images nothing else in the set
 * references; wave k holds images referenced only from waves < k. Within a wave the plan's order
 * (by digest) is kept, so the result is deterministic. A reference cycle (impossible with
 * content-addressed manifests) lands in a final wave rather than looping.
 */
export function deletionWaves(
  deletes: readonly DeleteImageAction[],
  liveImages: readonly LiveImage[] = [],
): DeleteImageAction[][] {
  const live = new Map(liveImages.map((image) => [image.digest, image]))
  const inSet = new Set(deletes.map((action) => action.imageDigest))
  /** digest -> digests (in the set) that reference it */
  const referencedBy = new Map<string, Set<string>>()
  for (const action of deletes) {
    for (const target of referencesOf(action, live)) {
      if (!inSet.has(target) || target === action.imageDigest) continue
      const set = referencedBy.get(target) ?? new Set<string>()
      set.add(action.imageDigest)
      referencedBy.set(target, set)
    }
  }
  const waves: DeleteImageAction[][] = []
  const placed = new Set<string>()
  let remaining = [...deletes]
  while (remaining.length > 0) {
    const wave = remaining.filter((action) =>
      [...(referencedBy.get(action.imageDigest) ?? [])].every((parent) => placed.has(parent)),
    )
    if (wave.length === 0) {
      waves.push(remaining)
      break
    }
    waves.push(wave)
    for (const action of wave) placed.add(action.imageDigest)
    remaining = remaining.filter((action) => !placed.has(action.imageDigest))
  }
  return waves
}

export function chunk<T>(items: readonly T[], size: number = MAX_IMAGE_IDS_PER_CALL): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
