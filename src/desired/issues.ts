/**
 * Problems found in desired-state files, each located at file:line:column, and the one error
 * that carries all of them to the user. Collecting (not throwing on the first) lets a user fix a
 * file in one round trip.
 */
import {EcrctlError} from '../errors.js'
import {closestKey} from '../util/did-you-mean.js'
import {compareStrings} from '../util/order.js'
import {plural} from '../util/words.js'

export interface DesiredStateIssue {
  file: string
  line: number
  column: number
  /** Where in the document, e.g. `repositories."spaceport/sfm".keep[0]`; empty for the root. */
  path: string
  message: string
}

export function formatIssue(issue: DesiredStateIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`
}

/** Issues in file, then line, then column order: the order a user fixes them in. */
export function sortIssues(issues: DesiredStateIssue[]): DesiredStateIssue[] {
  return [...issues].sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column)
}

/** Every problem of a desired state at once; `issues` is there for tests and JSON output. */
export class DesiredStateError extends EcrctlError {
  readonly issues: DesiredStateIssue[]

  constructor(issues: DesiredStateIssue[], validateHint: string) {
    const sorted = sortIssues(issues)
    const count = plural(sorted.length, 'error')
    super(`Invalid desired state (${count}):`, {
      kind: 'user',
      detail: sorted.map((issue) => `  ${formatIssue(issue)}`).join('\n'),
      nextSteps: [`Fix the file(s) and check again with \`${validateHint}\`.`],
    })
    this.name = 'DesiredStateError'
    this.issues = sorted
  }

  /** A list reads better than a paragraph once there are several errors. */
  override format(): string {
    return [this.message, this.detail, ...this.nextSteps].join('\n')
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `repositories."spaceport/sfm".keep[0]`: keys that are not identifiers are quoted. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else {
      const key = String(segment)
      const part = IDENTIFIER.test(key) ? key : JSON.stringify(key)
      out += out ? `.${part}` : part
    }
  }
  return out
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestKey(key, known)
  if (suggestion) return `unknown key ${JSON.stringify(key)} (did you mean ${JSON.stringify(suggestion)}?)`
  return known.length > 0
    ? `unknown key ${JSON.stringify(key)}; allowed here: ${known.join(', ')}`
    : `unknown key ${JSON.stringify(key)}`
}
