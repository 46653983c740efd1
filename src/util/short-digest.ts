/**
 * The one way ecrctl shortens a digest: the algorithm and the first 12 hex digits
 * (`sha256:0123456789ab`), no ellipsis, the same in plan reasons, warnings, refusals, keep rule
 * labels and rendered tables. Where a renderer shows many digests side by side, `digestShortener`
 * lengthens exactly those that would otherwise share a short form.
 */

/** Hex digits of a short digest: unambiguous in practice, short enough to read. */
export const SHORT_DIGEST_HEX = 12

/** `sha256:` and the first `hexDigits` hex digits; a digest that short already comes back whole. */
export function shortDigest(digest: string, hexDigits = SHORT_DIGEST_HEX): string {
  return digest.slice(0, digest.indexOf(':') + 1 + hexDigits)
}

/**
 * Shortens digests to the shortest hex prefix of at least 12 characters that no other digest in
 * the set shares, so a short digest in a review still names exactly one image.
 *
 * Built for a million digests: they are grouped by their minimal short form; almost every group
 * holds one digest, which then needs nothing more, and only the rare groups that share it are
 * sorted to find how far each must grow. (Sorting all of them took seconds.)
 */
export interface DigestShortener {
  (digest: string): string
  /**
   * The same answer, faster, for a digest that was in the set (a renderer's own rows): it skips
   * finding out whether the digest is known. Never call it with any other digest.
   */
  known: (digest: string) => string
}

export function digestShortener(digests: Iterable<string>, minHex = SHORT_DIGEST_HEX): DigestShortener {
  const list = Array.isArray(digests) ? (digests as string[]) : [...digests]
  // Without an algorithm prefix a digest could share its minimal form with a longer one of
  // another group (the grouping relies on "sha256:"-like prefixes): compare them all instead.
  if (!list.every((digest) => digest.includes(':'))) {
    const lengths = new Map<string, number>()
    setSharedLengths([...new Set(list)], minHex, lengths)
    const short = (digest: string) => digest.slice(0, lengths.get(digest) ?? digest.length)
    return Object.assign(short, {known: short})
  }
  /** Minimal short form → the one digest that has it, or all of them (deduplicated) when several do. */
  const groups = new Map<string, string | string[]>()
  for (const digest of list) {
    const key = shortDigest(digest, minHex)
    const found = groups.get(key)
    if (found === undefined) groups.set(key, digest)
    else if (typeof found === 'string') {
      if (found !== digest) groups.set(key, [found, digest])
    } else if (!found.includes(digest)) found.push(digest)
  }
  const lengths = new Map<string, number>()
  for (const group of groups.values()) if (typeof group !== 'string') setSharedLengths(group, minHex, lengths)
  const short = (digest: string) => {
    const key = shortDigest(digest, minHex)
    const group = groups.get(key)
    if (group === digest) return key
    return typeof group === 'string' || group === undefined ? digest : digest.slice(0, lengths.get(digest) ?? digest.length)
  }
  // a known digest is alone in its group (its minimal form) unless it has a length of its own
  const known = (digest: string) => {
    const length = lengths.size > 0 ? lengths.get(digest) : undefined
    return length === undefined ? shortDigest(digest, minHex) : digest.slice(0, length)
  }
  return Object.assign(short, {known})
}

/**
 * Each digest of a set (deduplicated) grows from its minimal form until its sorted neighbours no
 * longer share it. For a group of one minimal form, digests outside the group share less than
 * that form with it, so the group alone decides.
 */
function setSharedLengths(group: string[], minHex: number, lengths: Map<string, number>): void {
  const sorted = [...group].sort()
  sorted.forEach((digest, i) => {
    const hexStart = digest.indexOf(':') + 1
    const shared = Math.max(
      i > 0 ? commonPrefixLength(digest, sorted[i - 1]!) : 0,
      i < sorted.length - 1 ? commonPrefixLength(digest, sorted[i + 1]!) : 0,
    )
    lengths.set(digest, Math.min(digest.length, Math.max(hexStart + minHex, shared + 1)))
  })
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1
  return i
}
