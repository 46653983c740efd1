/**
 * Which images' references could not be learned: the input of the graph's fail-closed rule
 * (resolve.ts keeps whatever they might reference). The graph itself is graph.ts.
 */
import {isIndexMediaType} from '../model/media-types.js'
import type {LiveImage} from '../model/snapshot.js'
import {compareStrings} from '../util/order.js'

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
