/** How the graph names images in reasons and warnings: short digest plus tags, so a reviewer can find them. */
import type {LiveImage} from '../model/snapshot.js'
import {describeTags} from '../util/words.js'

/** `sha256:` and the first 12 hex digits: unambiguous in practice, short enough to read. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':')
  const hex = digest.slice(colon + 1)
  return hex.length > 12 ? `${digest.slice(0, colon + 1)}${hex.slice(0, 12)}…` : digest
}

/** "sha256:ab12cd34ef56… (tag v2)"; for a digest not in the repository, just the short digest. */
export function describeImage(digest: string, image: LiveImage | undefined): string {
  return image === undefined ? shortDigest(digest) : `${shortDigest(digest)} (${describeTags(image.tags)})`
}
