/**
 * Finding image references in text: a hand-written scanner, linear in the length of the text (no
 * regular expression that can backtrack), because it runs over whole source trees (target: 50 MB/s)
 * and over definitions a user does not control.
 *
 * Two rules (docs/in-use.md, "What counts as a reference"):
 * 1. A full ECR URI `ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/REPO[:TAG][@sha256:HEX]`, any
 *    repository; neither tag nor digest means `latest`.
 * 2. `REPO:TAG` or `REPO[:TAG]@sha256:HEX` where REPO is one of the given repository names and
 *    starts the word or a path segment: `{account}.dkr.ecr.{region}.amazonaws.com/spaceport/sfm:v1`
 *    and `ghcr.io/x/spaceport/sfm:v1` both reference `spaceport/sfm:v1`. Keeping too much is the
 *    safe error; the longest known repository wins (`spaceport/sfm` over `sfm`).
 * A tag or digest written as a template (`:${TAG}`, `:v1-{env}`, `@%s`) cannot be known: no
 * reference. A trailing `.` is sentence punctuation, not part of the tag.
 */
import {MAX_REPOSITORY_NAME_LENGTH, MAX_TAG_LENGTH} from '../model/ecr-facts.js'
import type {CandidateString, ImageReference, InUseEvidence} from '../model/in-use.js'
import type {RegistryIdentity} from '../model/registry.js'

/** The repository names rule 2 looks for, prepared for fast lookup. */
export interface RepositoryNames {
  readonly names: ReadonlySet<string>
  /** Last path segments of the names: most candidate words fail this one cheap lookup. */
  readonly lastSegments: ReadonlySet<string>
}

export function repositoryNames(names: Iterable<string>): RepositoryNames {
  const set = new Set(names)
  const lastSegments = new Set<string>()
  for (const name of set) lastSegments.add(name.slice(name.lastIndexOf('/') + 1))
  return {names: set, lastSegments}
}

/** A reference found in a text, with its position (UTF-16 offsets, end exclusive). */
export interface ReferenceMatch {
  start: number
  end: number
  registry?: RegistryIdentity
  repository: string
  tag?: string
  digest?: string
}

const DIGEST_HEX = 64
const MAX_REGION = 32
const ECR_HOST_MARK = '.dkr.ecr.'
const AMAZONAWS = '.amazonaws.com'
const CHINA = '.cn'
const SHA256 = 'sha256:'

const LOWER_ALNUM = 1 // a-z 0-9: how a repository name ends
const WORD = 2 // A-Z a-z 0-9 _ . - /: the characters of a word a repository name can start in
const TAG_START = 4 // A-Z a-z 0-9 _
const TAG = 8 // A-Z a-z 0-9 _ . -
const HEX = 16 // 0-9 a-f
const TEMPLATE = 32 // $ { %: a name or tag built at run time continues here
const REPOSITORY = 64 // a-z 0-9 . _ - /
const classes = new Uint8Array(128)
const mark = (chars: string, flag: number) => {
  for (const char of chars) classes[char.charCodeAt(0)]! |= flag
}
const lower = 'abcdefghijklmnopqrstuvwxyz'
const upper = lower.toUpperCase()
const digits = '0123456789'
mark(lower + digits, LOWER_ALNUM | WORD | TAG_START | TAG | REPOSITORY)
mark(upper, WORD | TAG_START | TAG)
mark('_', WORD | TAG_START | TAG | REPOSITORY)
mark('.-', WORD | TAG | REPOSITORY)
mark('/', WORD | REPOSITORY)
mark('0123456789abcdef', HEX)
mark('${%', TEMPLATE)

const is = (code: number, flag: number): boolean => code < 128 && (classes[code]! & flag) !== 0
const COLON = 58
const AT = 64
const SLASH = 47
const DOT = 46

/** Every reference in `text`, in order of position; overlapping matches are not reported twice. */
export function findReferences(text: string, repositories: RepositoryNames): ReferenceMatch[] {
  const uris = findEcrUris(text)
  const named = repositories.names.size === 0 ? [] : findNamedReferences(text, repositories, uris)
  if (named.length === 0) return uris
  if (uris.length === 0) return named
  return [...uris, ...named].sort((a, b) => a.start - b.start)
}

/** The references in one candidate string, each carrying the candidate's evidence. */
export function extractReferences(candidate: CandidateString, repositories: RepositoryNames): ImageReference[] {
  const value = candidate.value
  const toReference = (match: ReferenceMatch) => referenceOf(match, value, candidate.evidence)
  const matches = findReferences(value, repositories)
  if (matches.length === 0 && candidate.exact) {
    const bare = bareRepositoryReference(value, repositories)
    if (bare) return [toReference(bare)]
  }
  return matches.map(toReference)
}

/** A match in `text` as the reference it is, found at `evidence`. */
export function referenceOf(match: ReferenceMatch, text: string, evidence: InUseEvidence): ImageReference {
  return {
    ...(match.registry ? {registry: match.registry} : {}),
    repository: match.repository,
    ...(match.tag !== undefined ? {tag: match.tag} : {}),
    ...(match.digest !== undefined ? {digest: match.digest} : {}),
    text: text.slice(match.start, match.end),
    evidence,
  }
}

/**
 * An exact image field naming a known repository with neither tag nor digest (`spaceport/sfm`,
 * `registry.example/spaceport/sfm`): the runtime pulls `latest`. Free text never gets this rule:
 * a repository name alone in code is usually its creation, not a use.
 */
function bareRepositoryReference(value: string, repositories: RepositoryNames): ReferenceMatch | undefined {
  const start = value.length - value.trimStart().length
  const end = value.trimEnd().length
  let lastSlash = -1
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i)
    if (code === SLASH) lastSlash = i
    else if (!is(code, WORD) && code !== COLON) return undefined
  }
  // A colon after the last slash is a tag (findReferences' business); before it, a host's port.
  const colon = value.indexOf(':', lastSlash + 1)
  if (colon >= 0 && colon < end) return undefined
  // The longest known name that starts the value or a path segment.
  for (let i = start; i < end; i++) {
    if (i !== start && value.charCodeAt(i - 1) !== SLASH) continue
    const name = value.slice(i, end)
    if (repositories.names.has(name)) return {start: i, end, repository: name, tag: 'latest'}
  }
  return undefined
}

/** Rule 1: full ECR URIs, found from their `.dkr.ecr.` mark. */
function findEcrUris(text: string): ReferenceMatch[] {
  const found: ReferenceMatch[] = []
  let from = 0
  for (;;) {
    const markAt = text.indexOf(ECR_HOST_MARK, from)
    if (markAt < 0) return found
    from = markAt + ECR_HOST_MARK.length
    const match = ecrUriAt(text, markAt)
    if (match) {
      found.push(match)
      from = match.end
    }
  }
}

function ecrUriAt(text: string, markAt: number): ReferenceMatch | undefined {
  const start = markAt - 12
  if (start < 0) return undefined
  for (let i = start; i < markAt; i++) {
    const code = text.charCodeAt(i)
    if (code < 48 || code > 57) return undefined
  }
  // `docker-pullable://123…` is a URI; `x123…` and `1123…` are not this account.
  if (start > 0 && is(text.charCodeAt(start - 1), TAG)) return undefined
  const regionStart = markAt + ECR_HOST_MARK.length
  let i = regionStart
  while (i < text.length && i - regionStart <= MAX_REGION) {
    const code = text.charCodeAt(i)
    if (!(is(code, LOWER_ALNUM) || code === 45)) break
    i++
  }
  if (!text.startsWith(AMAZONAWS, i)) return undefined
  const region = text.slice(regionStart, i)
  if (!isRegionName(region)) return undefined
  i += AMAZONAWS.length
  if (text.startsWith(CHINA, i)) i += CHINA.length
  if (text.charCodeAt(i) !== SLASH) return undefined
  const accountId = text.slice(start, markAt)
  const rest = repositoryAndVersionAt(text, i + 1)
  if (!rest) return undefined
  return {start, end: rest.end, registry: {accountId, region}, repository: rest.repository, ...versionFields(rest, true)}
}

interface Version {
  end: number
  tag?: string
  digest?: string
}

/** A repository path at `from` (rule 1), then its tag and digest. */
function repositoryAndVersionAt(text: string, from: number): (Version & {repository: string}) | undefined {
  let i = from
  while (i < text.length && i - from <= MAX_REPOSITORY_NAME_LENGTH && is(text.charCodeAt(i), REPOSITORY)) i++
  const runEnd = i
  const next = text.charCodeAt(runEnd)
  // `…/myApp`, `…/app-${env}`: a name that goes on is not this one.
  if (is(next, TEMPLATE) || (next >= 65 && next <= 90)) return undefined
  let end = runEnd
  while (end > from && !is(text.charCodeAt(end - 1), LOWER_ALNUM)) end--
  const repository = text.slice(from, end)
  if (!isRepositoryName(repository)) return undefined
  if (end !== runEnd) return {repository, end} // trailing punctuation: nothing follows the name
  const version = versionAt(text, end)
  return version && {repository, ...version}
}

function versionFields(version: Version, defaultLatest: boolean): {tag?: string; digest?: string} {
  if (version.tag === undefined && version.digest === undefined) return defaultLatest ? {tag: 'latest'} : {}
  return {...(version.tag !== undefined ? {tag: version.tag} : {}), ...(version.digest !== undefined ? {digest: version.digest} : {})}
}

/**
 * `[:TAG][@sha256:HEX]` at `at`, right after a repository name. Undefined when the version is a
 * template (unknowable) or the name was a host (`host:5000/…`).
 */
function versionAt(text: string, at: number): Version | undefined {
  let i = at
  let tag: string | undefined
  if (text.charCodeAt(i) === COLON) {
    const tagStart = i + 1
    const first = text.charCodeAt(tagStart)
    if (is(first, TEMPLATE)) return undefined
    if (is(first, TAG_START)) {
      let j = tagStart
      while (j < text.length && is(text.charCodeAt(j), TAG)) j++
      const after = text.charCodeAt(j)
      if (is(after, TEMPLATE) || after === SLASH) return undefined
      let tagEnd = j
      while (text.charCodeAt(tagEnd - 1) === DOT) tagEnd--
      if (tagEnd - tagStart > MAX_TAG_LENGTH) return undefined
      tag = text.slice(tagStart, tagEnd)
      if (tagEnd !== j) return {end: tagEnd, tag}
      i = j
    }
    // `URI: text` — a colon that is punctuation, not a tag.
    else return {end: at}
  }
  if (text.charCodeAt(i) === AT) {
    const digest = digestAt(text, i + 1)
    if (digest) return {end: i + 1 + digest.length, ...(tag !== undefined ? {tag} : {}), digest}
    if (is(text.charCodeAt(i + 1), TEMPLATE) && tag === undefined) return undefined
  }
  return {end: i, ...(tag !== undefined ? {tag} : {})}
}

function digestAt(text: string, at: number): string | undefined {
  if (!text.startsWith(SHA256, at)) return undefined
  const hexStart = at + SHA256.length
  const hexEnd = hexStart + DIGEST_HEX
  if (hexEnd > text.length) return undefined
  for (let i = hexStart; i < hexEnd; i++) if (!is(text.charCodeAt(i), HEX)) return undefined
  if (is(text.charCodeAt(hexEnd), TAG_START)) return undefined
  return text.slice(at, hexEnd)
}

/** An AWS region's shape, `[a-z]{2}(-[a-z]+)+-[0-9]+` (us-east-1, us-gov-west-1, cn-north-1). */
export function isRegionName(region: string): boolean {
  const parts = region.split('-')
  if (parts.length < 3 || !/^[a-z]{2}$/.test(parts[0]!) || !/^[0-9]+$/.test(parts.at(-1)!)) return false
  return parts.slice(1, -1).every((part) => /^[a-z]+$/.test(part))
}

/** ECR's repository name grammar: `[a-z0-9]+([._-][a-z0-9]+)*` segments joined by `/`. */
export function isRepositoryName(name: string): boolean {
  if (name.length < 2 || name.length > MAX_REPOSITORY_NAME_LENGTH) return false
  let previousWasSeparator = true // a name and each segment start with [a-z0-9]
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if (is(code, LOWER_ALNUM)) previousWasSeparator = false
    else if (is(code, REPOSITORY)) {
      if (previousWasSeparator) return false
      previousWasSeparator = true
    } else return false
  }
  return !previousWasSeparator
}

/** Rule 2: `REPO:TAG` and `REPO[:TAG]@sha256:…` for known names, found from their `:` or `@`. */
function findNamedReferences(text: string, repositories: RepositoryNames, uris: ReferenceMatch[]): ReferenceMatch[] {
  const found: ReferenceMatch[] = []
  let uriIndex = 0
  let nextColon = text.indexOf(':')
  let nextAt = text.indexOf('@')
  while (nextColon >= 0 || nextAt >= 0) {
    const isColon = nextAt < 0 || (nextColon >= 0 && nextColon < nextAt)
    const trigger = isColon ? nextColon : nextAt
    let resumeAt = trigger + 1
    while (uriIndex < uris.length && uris[uriIndex]!.end <= trigger) uriIndex++
    const uri = uris[uriIndex]
    if (uri && uri.start <= trigger) resumeAt = uri.end
    else {
      const match = namedReferenceAt(text, trigger, isColon, repositories)
      if (match) {
        found.push(match)
        resumeAt = match.end
      }
    }
    if (nextColon >= 0 && nextColon < resumeAt) nextColon = text.indexOf(':', resumeAt)
    if (nextAt >= 0 && nextAt < resumeAt) nextAt = text.indexOf('@', resumeAt)
  }
  return found
}

function namedReferenceAt(text: string, trigger: number, isColon: boolean, repositories: RepositoryNames): ReferenceMatch | undefined {
  // Cheap rejections first: most colons in code are `key: value`, `a::b`, `https://`.
  if (!is(text.charCodeAt(trigger - 1), LOWER_ALNUM)) return undefined
  if (isColon ? !is(text.charCodeAt(trigger + 1), TAG_START) : !text.startsWith(SHA256, trigger + 1)) return undefined
  // The word before the trigger, back to where it starts or at most one name's length.
  let wordStart = trigger - 1
  let lastSegmentStart = -1
  while (wordStart > 0 && trigger - wordStart <= MAX_REPOSITORY_NAME_LENGTH) {
    const code = text.charCodeAt(wordStart - 1)
    if (!is(code, WORD)) break
    if (code === SLASH && lastSegmentStart < 0) lastSegmentStart = wordStart
    wordStart--
  }
  const wordIsWhole = wordStart === 0 || !is(text.charCodeAt(wordStart - 1), WORD)
  if (lastSegmentStart < 0) lastSegmentStart = wordStart
  if (!repositories.lastSegments.has(text.slice(lastSegmentStart, trigger))) return undefined
  // In `unknown:tag@sha256:…` the word before `@` is a tag, not a repository name.
  const wordIsTag = !isColon && wordIsWhole && wordStart > 0 && text.charCodeAt(wordStart - 1) === COLON
  for (let start = wordStart; start <= lastSegmentStart; start++) {
    const isBoundary = (start === wordStart && wordIsWhole && !wordIsTag) || text.charCodeAt(start - 1) === SLASH
    if (!isBoundary) continue
    const name = text.slice(start, trigger)
    if (!repositories.names.has(name)) continue
    const version = versionAt(text, trigger)
    if (!version || (version.tag === undefined && version.digest === undefined)) return undefined
    return {start, end: version.end, repository: name, ...versionFields(version, false)}
  }
  return undefined
}
