/**
 * The code source's I/O edge: walks an `inUse.code` entry's directory and reads the files its
 * globs select; src/inuse/code-scan.ts does the matching. Everything else in src/inuse is pure.
 *
 * - Deterministic: files are scanned and reported in path order (byte order), whatever the
 *   filesystem returns.
 * - Symbolic links are never followed out of the root. A link to a file inside the root is read
 *   (under the link's path); a link to a directory is not entered (what it points at inside the
 *   root is walked anyway). Files are opened with O_NOFOLLOW, so a file swapped for a link between
 *   the walk and the read is refused rather than followed.
 * - Skipped, and reported as such: binary files (a NUL byte in the first 8,000 bytes, git's test),
 *   files over the size cap, links out of the root, and version-control directories (.git, .hg,
 *   .svn), which are never deployed code.
 * - Fails closed: a root, directory or file that cannot be read throws, naming it.
 */
import {closeSync, constants, fstatSync, openSync, readFileSync} from 'node:fs'
import {lstat, readdir, realpath, stat} from 'node:fs/promises'
import {basename, isAbsolute, join, relative, sep} from 'node:path'
import {EcrctlError} from '../errors.js'
import type {ImageReference} from '../model/in-use.js'
import {compareStrings} from '../util/order.js'
import {compilePathGlob, type PathGlob} from '../util/path-glob.js'
import {scanCodeText} from './code-scan.js'
import type {RepositoryNames} from './references.js'

export interface CodeSource {
  /** The directory (or one file) to search. */
  root: string
  /** Path globs relative to the root; empty means every file. */
  include: string[]
  exclude: string[]
  /** Prefixed to each evidence path (`label/relative/path:line`); none by default. */
  label?: string
}

export interface CodeScanLimits {
  /** Larger files are skipped (and reported): generated bundles, data dumps. */
  maxFileBytes: number
}

export const DEFAULT_CODE_SCAN_LIMITS: CodeScanLimits = {maxFileBytes: 10 * 1024 * 1024}
const YIELD_EVERY_MS = 20

export type SkipReason = 'binary' | 'tooLarge' | 'linkOutsideRoot' | 'linkToDirectory' | 'notARegularFile'

export interface SkippedFile {
  /** Relative to the root, `/`-separated. */
  path: string
  reason: SkipReason
}

export interface CodeFile {
  path: string
  absolutePath: string
}

export interface CodeScanResult {
  /** In file path order, then position. */
  references: ImageReference[]
  filesScanned: number
  bytesScanned: number
  /** Sorted by path. */
  skipped: SkippedFile[]
}

const VERSION_CONTROL = new Set(['.git', '.hg', '.svn'])
const BINARY_PROBE_BYTES = 8000
const byPath = (a: {path: string}, b: {path: string}) => compareStrings(a.path, b.path)

/** The files a code source selects, in path order, and the ones it had to skip while walking. */
export async function listCodeFiles(source: CodeSource): Promise<{files: CodeFile[]; skipped: SkippedFile[]}> {
  const include = source.include.map(compilePathGlob)
  const exclude = source.exclude.map(compilePathGlob)
  const root = await resolveRoot(source.root)
  const files: CodeFile[] = []
  const skipped: SkippedFile[] = []
  if (!root.isDirectory) {
    files.push({path: basename(root.path), absolutePath: root.path})
    return {files, skipped}
  }
  const selected = (path: string) => (include.length === 0 || include.some((glob) => glob.matches(path))) && !exclude.some((glob) => glob.matches(path))
  const walk = async (directory: string, relativeDirectory: string): Promise<void> => {
    const entries = await readDirectory(directory)
    for (const entry of entries) {
      const path = relativeDirectory === '' ? entry.name : `${relativeDirectory}/${entry.name}`
      const absolutePath = join(directory, entry.name)
      if (entry.isDirectory()) {
        if (VERSION_CONTROL.has(entry.name) || exclude.some((glob: PathGlob) => glob.matchesEverythingUnder(path))) continue
        await walk(absolutePath, path)
      } else if (entry.isSymbolicLink()) {
        if (exclude.some((glob) => glob.matches(path) || glob.matchesEverythingUnder(path))) continue
        const target = await linkTarget(absolutePath, root.path)
        // A linked directory is reported whatever the includes: files below it may have been meant.
        if (target.kind === 'directory') skipped.push({path, reason: 'linkToDirectory'})
        else if (!selected(path)) continue
        else if (target.kind === 'file') files.push({path, absolutePath: target.path})
        else skipped.push({path, reason: 'linkOutsideRoot'})
      } else if (!selected(path)) {
        continue
      } else if (entry.isFile()) {
        files.push({path, absolutePath})
      } else {
        skipped.push({path, reason: 'notARegularFile'})
      }
    }
  }
  await walk(root.path, '')
  return {files: files.sort(byPath), skipped}
}

/** Walks, reads and scans one code source. */
export async function scanCodeSource(source: CodeSource, repositories: RepositoryNames, limits: CodeScanLimits = DEFAULT_CODE_SCAN_LIMITS): Promise<CodeScanResult> {
  const {files, skipped} = await listCodeFiles(source)
  const references: ImageReference[] = []
  let bytesScanned = 0
  let filesScanned = 0
  let sliceStarted = performance.now()
  for (const file of files) {
    const read = readCodeFile(file, limits.maxFileBytes)
    if (typeof read === 'string') {
      skipped.push({path: file.path, reason: read})
      continue
    }
    filesScanned++
    bytesScanned += read.bytes
    references.push(...scanCodeText(read.text, source.label ? `${source.label}/${file.path}` : file.path, repositories))
    // Reads are synchronous (four to five times faster than the thread pool for small files);
    // yield now and then so AWS and Kubernetes reads running alongside keep moving.
    if (performance.now() - sliceStarted > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      sliceStarted = performance.now()
    }
  }
  return {references, filesScanned, bytesScanned, skipped: skipped.sort(byPath)}
}

/** The text of a code file, or why it was skipped. */
export function readCodeFile(file: CodeFile, maxFileBytes: number): {text: string; bytes: number} | 'binary' | 'tooLarge' {
  let descriptor: number | undefined
  try {
    descriptor = openSync(file.absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW)
    if (fstatSync(descriptor).size > maxFileBytes) return 'tooLarge'
    const bytes = readFileSync(descriptor)
    if (bytes.length > maxFileBytes) return 'tooLarge' // grew while we read it
    if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return 'binary'
    return {text: bytes.toString('utf8'), bytes: bytes.length}
  } catch (error) {
    throw unreadable('file', file.absolutePath, error)
  } finally {
    if (descriptor !== undefined) closeSync(descriptor)
  }
}

async function resolveRoot(root: string): Promise<{path: string; isDirectory: boolean}> {
  try {
    const path = await realpath(root)
    const info = await stat(path)
    if (!info.isDirectory() && !info.isFile()) throw Object.assign(new Error('not a directory or regular file'), {code: 'ENOTDIR'})
    return {path, isDirectory: info.isDirectory()}
  } catch (error) {
    throw unreadable('code path', root, error)
  }
}

async function readDirectory(directory: string) {
  try {
    const entries = await readdir(directory, {withFileTypes: true})
    return entries.sort((a, b) => compareStrings(a.name, b.name))
  } catch (error) {
    throw unreadable('directory', directory, error)
  }
}

async function linkTarget(link: string, root: string): Promise<{kind: 'file' | 'directory'; path: string} | {kind: 'outside'}> {
  let target: string
  try {
    target = await realpath(link)
  } catch {
    return {kind: 'outside'} // dangling: points nowhere we may read
  }
  const fromRoot = relative(root, target)
  if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) return {kind: 'outside'}
  let info
  try {
    info = await lstat(target)
  } catch (error) {
    throw unreadable('file', link, error)
  }
  return info.isDirectory() ? {kind: 'directory', path: target} : info.isFile() ? {kind: 'file', path: target} : {kind: 'outside'}
}

function unreadable(what: string, path: string, error: unknown): EcrctlError {
  const code = (error as NodeJS.ErrnoException).code
  const detail =
    code === 'ENOENT' ? 'It does not exist.' : code === 'EACCES' || code === 'EPERM' ? 'Permission denied.' : code === 'ELOOP' ? 'It is a symbolic link (links are read only when they stay inside the code path).' : `${(error as Error).message}.`
  return new EcrctlError(`Cannot read the ${what} ${path} for the in-use code scan.`, {
    kind: 'environment',
    detail: `${detail} A code source that cannot be read completely stops the plan, so no image it references can be deleted by mistake.`,
    nextSteps: ['Fix the path or its permissions, or exclude it with an `exclude` glob in `inUse.code`.'],
    cause: error,
  })
}
