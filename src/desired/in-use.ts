/**
 * `inUse` of every file → the model's InUseSettings (src/model/desired.ts), and the check that the
 * paths it names exist (`ecrctl validate` reports a missing code path at its line, not the plan).
 *
 * Several files may each have `inUse`: their lists are concatenated in file order, AWS sources are
 * united, and a setting given twice (`maxScanAge`, `aws.ecs.taskDefinitionRevisions`) must agree,
 * like `defaults`. Paths are relative to the file that names them.
 */
import {stat} from 'node:fs/promises'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import type {AwsInUseSettings, CodeInUseSource, InUseDeclaration, InUseScanFiles, InUseSettings, KubernetesInUseSource} from '../model/desired.js'
import {AWS_IN_USE_SOURCES, DEFAULT_NEWEST_REVISIONS, type AwsInUseSource} from '../model/in-use.js'
import {parseDuration} from '../util/duration.js'
import {splitFilePattern} from '../util/path-glob.js'
import {DAY_MS} from '../util/time.js'
import {type DesiredStateIssue, formatPath} from './issues.js'
import type {ParsedFile} from './parse-file.js'
import type {InUseInput} from './schema.js'

/** As src/inuse/scan-document.ts's DEFAULT_MAX_SCAN_AGE_MS (docs/in-use.md): a day. */
const DEFAULT_MAX_SCAN_AGE_MS = DAY_MS

/** A setting that may be repeated across files but must agree (load.ts's SettingsMerge). */
export interface SettingSink {
  set(file: ParsedFile, path: readonly string[], value: unknown): void
  get(path: readonly string[]): unknown
}

type Path = ReadonlyArray<string | number>

/** The files' `inUse` sections merged; undefined when none has one. */
export function mergeInUse(files: ReadonlyArray<{file: ParsedFile; inUse: InUseInput}>, settings: SettingSink): InUseSettings | undefined {
  if (files.length === 0) return undefined
  const declaration = (file: ParsedFile, path: Path): InUseDeclaration => ({source: {file: file.file, ...file.locate(path)}, setting: formatPath(path)})
  const relativeTo = (file: ParsedFile, path: string): string => (isAbsolute(path) ? path : join(dirname(file.file), path))

  const awsSources = new Set<AwsInUseSource>()
  let awsDeclared: InUseDeclaration | undefined
  const merged: InUseSettings = {scans: [], maxScanAgeMs: DEFAULT_MAX_SCAN_AGE_MS, kubernetes: [], code: []}
  for (const {file, inUse} of files) {
    if (inUse.aws !== undefined) {
      awsDeclared ??= declaration(file, ['inUse', 'aws'])
      if (inUse.aws === 'all') AWS_IN_USE_SOURCES.forEach((source) => awsSources.add(source))
      else if (Array.isArray(inUse.aws)) inUse.aws.forEach((source) => awsSources.add(source))
      else {
        for (const [source, options] of Object.entries(inUse.aws) as Array<[AwsInUseSource, Record<string, number> | null | undefined]>) {
          if (options === undefined) continue
          awsSources.add(source)
          for (const [key, value] of Object.entries(options ?? {})) settings.set(file, ['inUse', 'aws', source, key], value)
        }
      }
    }
    if (inUse.maxScanAge !== undefined) settings.set(file, ['inUse', 'maxScanAge'], inUse.maxScanAge)
    for (const [index, pattern] of (inUse.scans ?? []).entries()) {
      const {base, glob} = splitFilePattern(pattern)
      const scans: InUseScanFiles = {...declaration(file, ['inUse', 'scans', index]), pattern, path: relativeTo(file, base === '' ? '.' : base)}
      if (glob !== undefined) scans.glob = glob
      merged.scans.push(scans)
    }
    for (const [index, entry] of (inUse.kubernetes ?? []).entries()) {
      const declared = declaration(file, ['inUse', 'kubernetes', index])
      const source: KubernetesInUseSource =
        entry.pods !== undefined ? {...declared, kind: 'pods', path: relativeTo(file, entry.pods)} : {...declared, kind: 'context', context: entry.context!}
      merged.kubernetes.push(source)
    }
    for (const [index, entry] of (inUse.code ?? []).entries()) {
      const code: CodeInUseSource = {...declaration(file, ['inUse', 'code', index]), path: relativeTo(file, entry.path), include: entry.include ?? [], exclude: entry.exclude ?? []}
      merged.code.push(code)
    }
  }

  const maxScanAge = settings.get(['inUse', 'maxScanAge'])
  if (typeof maxScanAge === 'string') merged.maxScanAgeMs = parseDuration(maxScanAge)!
  if (awsDeclared !== undefined && awsSources.size > 0) {
    const aws: AwsInUseSettings = {...awsDeclared, sources: AWS_IN_USE_SOURCES.filter((source) => awsSources.has(source))}
    const newest = (source: AwsInUseSource, option: string): number => {
      const value = settings.get(['inUse', 'aws', source, option])
      return typeof value === 'number' ? value : DEFAULT_NEWEST_REVISIONS
    }
    if (awsSources.has('batch')) aws.batch = {jobDefinitionRevisions: newest('batch', 'jobDefinitionRevisions')}
    if (awsSources.has('ecs')) aws.ecs = {taskDefinitionRevisions: newest('ecs', 'taskDefinitionRevisions')}
    if (awsSources.has('lambda')) aws.lambda = {versions: newest('lambda', 'versions')}
    if (awsSources.has('stepfunctions')) aws.stepfunctions = {versions: newest('stepfunctions', 'versions')}
    merged.aws = aws
  }
  return merged
}

/**
 * Every path `inUse` names that does not exist, at the line that names it: a code path, a kubectl
 * JSON file, a scan file, or the directory a scan glob starts from. (Whether a glob matches any
 * file is checked when the scans are read: the files may be fetched just before a plan.)
 */
export async function inUsePathIssues(inUse: InUseSettings | undefined, cwd: string): Promise<DesiredStateIssue[]> {
  if (inUse === undefined) return []
  const issues: DesiredStateIssue[] = []
  const check = async (declared: InUseDeclaration, path: string, want: 'file' | 'directory' | 'any', what: string): Promise<void> => {
    const info = await stat(resolve(cwd, path)).catch((error: NodeJS.ErrnoException) => error)
    const problem =
      info instanceof Error
        ? info.code === 'ENOENT' || info.code === 'ENOTDIR'
          ? `${what} ${path} does not exist`
          : `${what} ${path} cannot be read (${info.code ?? info.message})`
        : want === 'file' && !info.isFile()
          ? `${what} ${path} is not a file`
          : want === 'directory' && !info.isDirectory()
            ? `${what} ${path} is not a directory`
            : undefined
    if (problem !== undefined) issues.push({...declared.source, path: declared.setting, message: `${problem} (paths are relative to the desired-state file)`})
  }
  for (const scans of inUse.scans) {
    await (scans.glob === undefined ? check(scans, scans.path, 'file', 'the scan file') : check(scans, scans.path, 'directory', 'the scan directory'))
  }
  for (const source of inUse.kubernetes) if (source.kind === 'pods') await check(source, source.path, 'file', 'the kubectl JSON file')
  for (const code of inUse.code) await check(code, code.path, 'any', 'the code path')
  return issues
}
