/**
 * The one glob dialect of ecrctl: `*` matches any run of characters (including `/` and the empty
 * run); every other character matches itself. Same as ECR's tagPatternList wildcards, so a pattern
 * means the same in a keep rule, a repository entry and a lifecycle rule.
 *
 * Matching runs in time linear in the text: the literal before the first `*` must start the text,
 * the one after the last `*` must end it, and each literal in between is found at its leftmost
 * occurrence after the previous one. Taking the leftmost is never wrong (a later occurrence leaves
 * less room for the rest), so nothing is ever retried. A regular expression `^a.*b.*c$` backtracks
 * instead: with several wildcards it costs a power of the tag's length per tag.
 */
export type GlobMatcher = (text: string) => boolean

export function compileGlob(glob: string): GlobMatcher {
  const parts = glob.split('*')
  if (parts.length === 1) return (text) => text === glob
  const prefix = parts[0]!
  const suffix = parts.at(-1)!
  const middle = parts.slice(1, -1).filter((part) => part !== '')
  const fixedLength = prefix.length + suffix.length
  return (text) => {
    if (text.length < fixedLength || !text.startsWith(prefix) || !text.endsWith(suffix)) return false
    const end = text.length - suffix.length
    let from = prefix.length
    for (const part of middle) {
      const found = text.indexOf(part, from)
      if (found === -1 || found + part.length > end) return false
      from = found + part.length
    }
    return true
  }
}

const cache = new Map<string, GlobMatcher>()

export function globMatches(glob: string, text: string): boolean {
  if (!glob.includes('*')) return glob === text
  let matcher = cache.get(glob)
  if (!matcher) {
    matcher = compileGlob(glob)
    cache.set(glob, matcher)
  }
  return matcher(text)
}

export const isGlob = (text: string): boolean => text.includes('*')
