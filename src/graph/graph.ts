/**
 * The reference graph of one repository's images, both directions of every edge. Pure: built from
 * snapshot images only. Each image's edges (children, OCI subjects, cosign tags: all of them, since
 * the graph decides what is kept) come from src/model/image-edges.ts.
 *
 * Edges may point at digests that are not in the repository (a child that is gone, a signature
 * whose image was deleted); they are kept here and judged by the closure.
 */
import {imageEdges, type SubjectEdge} from '../model/image-edges.js'
import type {LiveImage} from '../model/snapshot.js'
import {compareStrings} from '../util/order.js'
import {type UnreadableManifest, unreadableManifests} from './unreadable-manifests.js'

export interface RepositoryGraph {
  repository: string
  /** Every image of the repository by digest. */
  images: ReadonlyMap<string, LiveImage>
  /** Index → the digests it lists (sorted, unique; may include digests not in the repository). */
  children: ReadonlyMap<string, readonly string[]>
  /** Image → the indexes in the repository that list it (sorted). */
  parents: ReadonlyMap<string, readonly string[]>
  /** Referrer → the subjects it is about (sorted by subject, then how learned). */
  subjects: ReadonlyMap<string, readonly SubjectEdge[]>
  /** Subject → the referrers in the repository about it (sorted). */
  referrers: ReadonlyMap<string, readonly string[]>
  /** Images whose references could not be learned (see unreadable-manifests.ts), sorted by digest. */
  unreadable: readonly UnreadableManifest[]
}

export function buildRepositoryGraph(repository: string, images: readonly LiveImage[]): RepositoryGraph {
  const byDigest = new Map<string, LiveImage>()
  for (const image of images) byDigest.set(image.digest, image)
  const digests = [...byDigest.keys()].sort(compareStrings)

  const children = new Map<string, string[]>()
  const parents = new Map<string, string[]>()
  const subjects = new Map<string, SubjectEdge[]>()
  const referrers = new Map<string, string[]>()
  for (const digest of digests) {
    const image = byDigest.get(digest) as LiveImage
    const edges = imageEdges(image)
    if (edges.children.length > 0) {
      children.set(digest, edges.children)
      for (const child of edges.children) if (byDigest.has(child)) push(parents, child, digest)
    }
    if (edges.subjects.length > 0) {
      subjects.set(digest, edges.subjects)
      for (const subject of new Set(edges.subjects.map((edge) => edge.subject))) {
        if (byDigest.has(subject)) push(referrers, subject, digest)
      }
    }
  }
  // Digests were visited in order, so every list built by push is already sorted.
  return {repository, images: byDigest, children, parents, subjects, referrers, unreadable: unreadableManifests(images)}
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
