/**
 * The one glob dialect of ecrctl: `*` matches any run of characters (including `/` and the empty
 * run); every other character matches itself. Same as ECR's tagPatternList wildcards, so a pattern
 * means the same in a keep rule, a repository entry and a lifecycle rule.
 */
const cache = new Map<string, RegExp>()

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob)
  if (!re) {
    const body = glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')
    re = new RegExp(`^${body}$`, 's')
    cache.set(glob, re)
  }
  return re
}

export function globMatches(glob: string, text: string): boolean {
  if (!glob.includes('*')) return glob === text
  return globToRegExp(glob).test(text)
}

export const isGlob = (text: string): boolean => text.includes('*')
