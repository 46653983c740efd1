import {expect} from 'vitest'
import {DesiredStateError, type DesiredStateIssue} from '../../../src/desired/issues.js'
import {parseDesiredState} from '../../../src/desired/load.js'

/** YAML from indented template text: strips the common indentation so line numbers are obvious. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n')
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length))
  return lines.map((line) => line.slice(indent)).join('\n')
}

/** The issues parsing `text` reports; fails the test if it parses. */
export function issuesOf(text: string, fileName = 'desired-state/x.yaml'): DesiredStateIssue[] {
  try {
    parseDesiredState(text, fileName)
  } catch (error) {
    expect(error).toBeInstanceOf(DesiredStateError)
    return (error as DesiredStateError).issues
  }
  expect.fail('expected the desired state to be rejected')
}

/** `line:column path: message` per issue: compact to assert on. */
export const brief = (issues: DesiredStateIssue[]): string[] =>
  issues.map((issue) => `${issue.line}:${issue.column} ${issue.path ? `${issue.path}: ` : ''}${issue.message}`)
