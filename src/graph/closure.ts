/**
 * The image reference graph of one repository, as far as the plan needs it today: which images an
 * image index (or Docker manifest list) references, and whether every manifest that might
 * reference something could be read. Pure; works on snapshot images only.
 *
 * Issue 5 extends this folder with referrers, cosign tags and deletion cascades; the functions
 * here stay the building blocks (edges out of an image, closure from a kept set, readability).
 */
import type {LiveImage} from '../model/snapshot.js'

export const OCI_IMAGE_INDEX = 'application/vnd.oci.image.index.v1+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'

/** Media types whose manifest lists other manifests (platform children). */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === OCI_IMAGE_INDEX || mediaType === DOCKER_MANIFEST_LIST
}

/** The digests an image references as an index (empty for anything else or an unread manifest). */
export function indexChildren(image: LiveImage): readonly string[] {
  return image.manifest?.children ?? []
}

/** Why a repository's references cannot be fully known: one entry per image that blocks it. */
export interface UnreadableManifest {
  digest: string
  problem: string
}

/**
 * Images whose references ecrctl could not learn: a manifest that failed to read or parse, or an
 * index whose manifest is absent from the snapshot. While any exist, nothing untagged in the
 * repository can safely be deleted, because any untagged image might be one of their children.
 * Sorted by digest.
 */
export function unreadableManifests(images: readonly LiveImage[]): UnreadableManifest[] {
  const problems: UnreadableManifest[] = []
  for (const image of images) {
    if (image.manifestError !== undefined) {
      problems.push({digest: image.digest, problem: image.manifestError})
    } else if (image.manifest === undefined && isIndexMediaType(image.manifestMediaType)) {
      problems.push({digest: image.digest, problem: 'index manifest was not read'})
    }
  }
  return problems.sort((a, b) => compareStrings(a.digest, b.digest))
}

export interface IndexClosure {
  /** For every image referenced by at least one kept index: those kept parents, sorted by digest. */
  keptParents: Map<string, LiveImage[]>
  /** Children a kept index lists that are not in the repository (the index cannot be pulled whole). */
  missingChildren: Array<{parent: string; child: string}>
}

/**
 * Closes a kept set over index children, to a fixed point (an index kept because a kept index
 * lists it keeps its own children, and so on). `initiallyKept` is not modified; an image is kept in
 * the closure when it is in `initiallyKept` or a key of `keptParents`. Each kept image's edges are
 * visited once, so the cost is linear in images plus edges.
 */
export function closeOverIndexChildren(
  imagesByDigest: ReadonlyMap<string, LiveImage>,
  initiallyKept: ReadonlySet<string>,
): IndexClosure {
  const keptParents = new Map<string, LiveImage[]>()
  const missingChildren: Array<{parent: string; child: string}> = []
  const visited = new Set<string>()
  const queue: string[] = []
  for (const digest of initiallyKept) queue.push(digest)

  while (queue.length > 0) {
    const digest = queue.pop() as string
    if (visited.has(digest)) continue
    visited.add(digest)
    const parent = imagesByDigest.get(digest)
    if (parent === undefined) continue
    for (const child of new Set(indexChildren(parent))) {
      if (!imagesByDigest.has(child)) {
        missingChildren.push({parent: digest, child})
        continue
      }
      const parents = keptParents.get(child)
      if (parents === undefined) keptParents.set(child, [parent])
      else parents.push(parent)
      if (!visited.has(child)) queue.push(child)
    }
  }

  for (const parents of keptParents.values()) parents.sort((a, b) => compareStrings(a.digest, b.digest))
  missingChildren.sort((a, b) => compareStrings(a.parent, b.parent) || compareStrings(a.child, b.child))
  return {keptParents, missingChildren}
}

/** Code-unit order, independent of locale, so plans sort the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
