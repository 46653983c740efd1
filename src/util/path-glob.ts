/**
 * File path globs (`inUse.code` include/exclude), a different dialect from src/util/glob.ts on
 * purpose: there `*` is ECR's tag wildcard and crosses everything; in a path, `*` stays inside one
 * segment and `**` crosses directories, as in .gitignore and every editor.
 *
 * - `*` any run of characters except `/` (dot files included: `.github/…` holds deploy files);
 * - `?` one character except `/`;
 * - `**` as a whole segment: zero or more directories (`**` /x matches `x` and `a/b/x`; a final
 *   `/**` matches everything below);
 * - `{a,b}` either alternative (not nested);
 * - everything else is literal, `[` and `]` included (`pages/[id].tsx`).
 * Paths are relative, separated by `/`; a leading `./` is ignored.
 */

export interface PathGlob {
  readonly glob: string
  matches(path: string): boolean
  /** True when every path below `directory` matches, so a walker need not enter it. */
  matchesEverythingUnder(directory: string): boolean
}

/** Why `glob` is not a valid path glob, as a sentence naming the fix; undefined when valid. */
export function pathGlobProblem(glob: string): string | undefined {
  const body = stripDotSlash(glob)
  if (body.length === 0) return 'an empty glob matches nothing; use "**" for every file'
  if (body.includes('\\')) return 'use "/" to separate directories, not "\\"'
  if (body.startsWith('/')) return 'globs are relative to the code path; remove the leading "/"'
  const segments = body.split('/')
  if (segments.some((segment) => segment === '..')) return '".." cannot leave the code path; point `path` at the directory instead'
  if (segments.some((segment) => segment === '.')) return 'remove the "." segment: paths are matched without it'
  if (segments.some((segment) => segment.length === 0)) return 'a glob has no empty segments ("//" or a trailing "/")'
  if (segments.some((segment) => segment.includes('**') && segment !== '**')) return '"**" must be a whole segment, as in "**/x" or "a/**"; use "*" within a name'
  let depth = 0
  for (const char of body) {
    if (char === '{') depth++
    if (char === '}') depth--
    if (depth > 1) return 'braces cannot be nested'
    if (depth < 0) return 'a "}" has no opening "{"'
    if (depth === 1 && char === '/') return 'alternatives in braces cannot contain "/"; write two globs'
  }
  if (depth !== 0) return 'a "{" is not closed'
  return undefined
}

export function compilePathGlob(glob: string): PathGlob {
  const problem = pathGlobProblem(glob)
  if (problem) throw new Error(`invalid path glob ${JSON.stringify(glob)}: ${problem}`)
  const body = stripDotSlash(glob)
  const whole = new RegExp(`^${toRegExpSource(body)}$`, 's')
  const under = body === '**' ? /^/ : body.endsWith('/**') ? new RegExp(`^${toRegExpSource(body.slice(0, -3))}$`, 's') : undefined
  return {
    glob,
    matches: (path) => whole.test(path),
    matchesEverythingUnder: (directory) => under !== undefined && under.test(directory),
  }
}

function stripDotSlash(glob: string): string {
  return glob.startsWith('./') ? glob.slice(2) : glob
}

function toRegExpSource(body: string): string {
  let source = ''
  let i = 0
  while (i < body.length) {
    const atSegmentStart = i === 0 || body[i - 1] === '/'
    if (atSegmentStart && body.startsWith('**', i) && (i + 2 === body.length || body[i + 2] === '/')) {
      if (i + 2 === body.length) {
        source += '.+'
        i += 2
      } else {
        source += '(?:[^/]+/)*'
        i += 3
      }
      continue
    }
    const char = body[i]!
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '{') source += '(?:'
    else if (char === '}') source += ')'
    else if (char === ',' && insideBraces(body, i)) source += '|'
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&')
    i++
  }
  return source
}

function insideBraces(body: string, at: number): boolean {
  const open = body.lastIndexOf('{', at)
  return open >= 0 && body.lastIndexOf('}', at) < open
}

/**
 * A file pattern (`inUse.scans`: `scans/*.json`, `../scans/*.json`, `/var/scans/a.json`) split
 * into the directory its literal leading segments name, which may use `..` or be absolute,
 * and the glob below it (undefined when the whole pattern is literal: one file).
 */
export interface FilePattern {
  /** `/`-separated; `''` for the directory the pattern is relative to. */
  base: string
  glob?: string
}

const WILDCARD = /[*?{}]/

export function splitFilePattern(pattern: string): FilePattern {
  const segments = stripDotSlash(pattern).split('/')
  const firstWild = segments.findIndex((segment) => WILDCARD.test(segment))
  if (firstWild < 0) return {base: stripDotSlash(pattern)}
  return {base: segments.slice(0, firstWild).join('/'), glob: segments.slice(firstWild).join('/')}
}

/** Why `pattern` is not a valid file pattern, as a sentence naming the fix; undefined when valid. */
export function filePatternProblem(pattern: string): string | undefined {
  if (stripDotSlash(pattern).length === 0) return 'an empty pattern names no file'
  if (pattern.includes('\\')) return 'use "/" to separate directories, not "\\"'
  const {base, glob} = splitFilePattern(pattern)
  if (glob === undefined) return pattern.endsWith('/') ? 'a pattern names files: remove the trailing "/" and add a glob such as "/*.json"' : undefined
  if (base.split('/').slice(1).some((segment) => segment === '')) return 'a pattern has no empty segments ("//")'
  const problem = pathGlobProblem(glob)
  if (problem === undefined) return undefined
  // `..` and absolute paths are fine before the first wildcard; the glob part must stay below it.
  return problem.includes('..') ? '".." may appear only before the first wildcard, as in "../scans/*.json"' : problem
}
