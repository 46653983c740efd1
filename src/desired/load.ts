/**
 * Desired-state files → one validated DesiredState (src/model/desired.ts). `-f` names a file or a
 * directory whose `*.yaml`/`*.yml` files (not subdirectories) are read in name order and merged.
 * Every problem in every file is collected and thrown together as one DesiredStateError.
 * Pure apart from reading the files; no AWS.
 */
import {createHash} from 'node:crypto'
import {readdir, readFile, stat} from 'node:fs/promises'
import {basename, join, relative, resolve} from 'node:path'
import {EcrctlError} from '../errors.js'
import type {DesiredState, RepositoryEntry, SourceRef} from '../model/desired.js'
import {parseDuration} from '../util/duration.js'
import {compareStrings} from '../util/order.js'
import {inUsePathIssues, mergeInUse} from './in-use.js'
import {DesiredStateError, type DesiredStateIssue, formatPath} from './issues.js'
import {normalizeEntries} from './normalize.js'
import {type ParsedFile, parseDesiredStateFile} from './parse-file.js'
import type {InUseInput} from './schema.js'

export const DEFAULT_GRACE_PERIOD = '24h'
const DEFAULT_GRACE_PERIOD_MS = parseDuration(DEFAULT_GRACE_PERIOD)!

export interface DesiredStateSource {
  /** Shown in errors and DesiredState.files: relative to the working directory. */
  file: string
  /** Name inside the loaded set (basename), the part of the path that enters the hash. */
  hashName: string
  bytes: Uint8Array
}

export interface LoadOptions {
  /** Base for relative paths; default process.cwd(). */
  cwd?: string
}

/** Reads a desired-state file or directory; throws EcrctlError (exit 1) listing every problem. */
export async function loadDesiredState(path: string, options: LoadOptions = {}): Promise<DesiredState> {
  const cwd = options.cwd ?? process.cwd()
  const absolute = resolve(cwd, path)
  const display = (file: string): string => relative(cwd, file) || basename(file)
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new EcrctlError(`Desired state not found: ${path}`, {
          detail: 'ecrctl reads desired-state/ in the current directory unless -f names another file or directory.',
          nextSteps: ['Pass the file or directory with `-f PATH`, e.g. `ecrctl validate -f desired-state/`.'],
          cause: error,
        })
      : new EcrctlError(`Cannot read desired state ${path}: ${error.message}`, {kind: 'environment', cause: error})
  })

  let files: string[]
  if (info.isDirectory()) {
    const names = (await readdir(absolute)).filter((name) => /\.ya?ml$/.test(name)).sort(compareStrings)
    const regular: string[] = []
    for (const name of names) {
      if ((await stat(join(absolute, name))).isFile()) regular.push(join(absolute, name))
    }
    if (regular.length === 0) {
      throw new EcrctlError(`No desired-state files in ${path}`, {
        detail: 'A desired-state directory holds *.yaml or *.yml files (subdirectories are not read).',
        nextSteps: ['Add a file starting with `version: 1`, or pass a file with `-f PATH`.'],
      })
    }
    files = regular
  } else {
    files = [absolute]
  }

  const sources: DesiredStateSource[] = []
  for (const file of files) {
    sources.push({file: display(file), hashName: basename(file), bytes: await readFile(file)})
  }
  const validateHint = `ecrctl validate -f ${path}`
  const state = buildDesiredState(sources, validateHint)
  const pathIssues = await inUsePathIssues(state.inUse, cwd)
  if (pathIssues.length > 0) throw new DesiredStateError(pathIssues, validateHint)
  return state
}

/** Where plan and apply look for the desired state when `-f` is not given. */
export const DEFAULT_DESIRED_STATE_PATH = 'desired-state/'

/**
 * The desired state apply re-derives a plan from: `path` when given (it must exist), else
 * desired-state/ when it exists, else undefined (nothing at hand).
 */
export async function loadDesiredStateAtHand(path: string | undefined, options: LoadOptions = {}): Promise<DesiredState | undefined> {
  if (path !== undefined) return loadDesiredState(path, options)
  const exists = await stat(resolve(options.cwd ?? process.cwd(), DEFAULT_DESIRED_STATE_PATH)).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  )
  return exists ? loadDesiredState(DEFAULT_DESIRED_STATE_PATH, options) : undefined
}

/** One file's text → DesiredState; for tests and callers that already hold the text. */
export function parseDesiredState(text: string, fileName: string): DesiredState {
  const bytes = new TextEncoder().encode(text)
  return buildDesiredState([{file: fileName, hashName: basename(fileName), bytes}], `ecrctl validate -f ${fileName}`)
}

/** Validates and merges already-read files (given in the order to merge them). */
export function buildDesiredState(sources: DesiredStateSource[], validateHint: string): DesiredState {
  const decoder = new TextDecoder()
  const parsed = sources.map((source) => parseDesiredStateFile(decoder.decode(source.bytes), source.file))
  const issues: DesiredStateIssue[] = parsed.flatMap((file) => file.issues)
  const merge = new SettingsMerge(issues)
  const entries: RepositoryEntry[] = []
  const declared = new Map<string, SourceRef>()
  const inUseFiles: Array<{file: ParsedFile; inUse: InUseInput}> = []

  for (const file of parsed) {
    const content = file.content
    if (!content) continue
    if (content.registry) {
      for (const [key, value] of Object.entries(content.registry)) merge.set(file, ['registry', key], value)
    }
    if (content.defaults) {
      for (const [key, value] of Object.entries(content.defaults)) merge.set(file, ['defaults', key], value)
    }
    if (content.inUse) inUseFiles.push({file, inUse: content.inUse})
    const normalized = normalizeEntries(file, content.repositories ?? {})
    issues.push(...normalized.issues)
    for (const entry of normalized.entries) {
      const first = declared.get(entry.pattern)
      if (first) {
        issues.push({
          ...entry.source,
          path: formatPath(['repositories', entry.pattern]),
          message: `declared again; first declared at ${first.file}:${first.line}:${first.column} (each repository name or glob may appear once across all files)`,
        })
        continue
      }
      declared.set(entry.pattern, entry.source)
      entries.push(entry)
    }
  }
  const inUse = mergeInUse(inUseFiles, merge)
  if (issues.length > 0) throw new DesiredStateError(issues, validateHint)

  const registry = merge.section('registry') as DesiredState['registry']
  const defaults = merge.section('defaults')
  const state: DesiredState = {
    version: 1,
    defaults: {
      gracePeriodMs: typeof defaults.gracePeriod === 'string' ? parseDuration(defaults.gracePeriod)! : DEFAULT_GRACE_PERIOD_MS,
    },
    entries,
    sha256: desiredStateHash(sources),
    files: sources.map((source) => source.file),
  }
  if (typeof defaults.maxDeletions === 'number') state.defaults.maxDeletions = defaults.maxDeletions
  if (registry && Object.keys(registry).length > 0) state.registry = registry
  if (inUse) state.inUse = inUse
  return state
}

/**
 * sha256 over the files exactly as written, in name order: for each file its name inside the
 * set, its byte length and its bytes. Any edit (even whitespace or a comment) changes the hash,
 * so a plan records precisely which text it was made from; renaming a file changes it too.
 */
export function desiredStateHash(sources: ReadonlyArray<Pick<DesiredStateSource, 'hashName' | 'bytes'>>): string {
  const hash = createHash('sha256')
  for (const source of [...sources].sort((a, b) => compareStrings(a.hashName, b.hashName))) {
    hash.update(`${source.hashName}\n${source.bytes.length}\n`)
    hash.update(source.bytes)
  }
  return hash.digest('hex')
}

/** `24h` and `1d` are the same grace period. */
function sameSetting(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'string' || typeof b !== 'string') return false
  const ms = parseDuration(a)
  return ms !== undefined && ms === parseDuration(b)
}

/**
 * `registry`, `defaults` and the settings of `inUse` may be split over files or repeated, but
 * never contradict: the same key with two different values is an error naming both places.
 */
class SettingsMerge {
  private readonly values = new Map<string, {value: unknown; at: SourceRef}>()

  constructor(private readonly issues: DesiredStateIssue[]) {}

  set(file: ParsedFile, path: readonly string[], value: unknown): void {
    const key = JSON.stringify(path)
    const at = {file: file.file, ...file.locate(path)}
    const first = this.values.get(key)
    if (!first) {
      this.values.set(key, {value, at})
      return
    }
    if (!sameSetting(first.value, value)) {
      this.issues.push({
        ...at,
        path: formatPath(path),
        message: `${JSON.stringify(value)} contradicts ${JSON.stringify(first.value)} set at ${first.at.file}:${first.at.line}:${first.at.column}; files in one desired state must agree`,
      })
    }
  }

  get(path: readonly string[]): unknown {
    return this.values.get(JSON.stringify(path))?.value
  }

  /** The keys set directly under `name` (`registry`, `defaults`). */
  section(name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [key, {value}] of this.values) {
      const path = JSON.parse(key) as string[]
      if (path.length === 2 && path[0] === name) out[path[1]!] = value
    }
    return out
  }
}
