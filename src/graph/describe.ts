/** How the graph names images in reasons and warnings: short digest plus tags, so a reviewer can find them. */
import type {LiveImage} from '../model/snapshot.js'
import {shortDigest} from '../util/short-digest.js'
import {describeTags} from '../util/words.js'

/** "sha256:ab12cd34ef56 (tag v2)"; for a digest not in the repository, just the short digest. */
export function describeImage(digest: string, image: LiveImage | undefined): string {
  return image === undefined ? shortDigest(digest) : `${shortDigest(digest)} (${describeTags(image.tags)})`
}
