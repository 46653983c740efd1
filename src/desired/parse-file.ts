/**
 * One desired-state file: YAML text → validated file content, or issues located at
 * file:line:column. YAML is parsed with a LineCounter so every path the schema complains about
 * can be mapped back to the node (or, for unknown and bad keys, the key) that caused it.
 */
import {isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import {z} from 'zod'
import {type DesiredStateFile, desiredStateFileSchema, repositoryEntrySchema} from './schema.js'
import {type DesiredStateIssue, formatPath, unknownKeyMessage} from './issues.js'
import {yamlDialectProblems} from './yaml-dialect.js'

type Path = ReadonlyArray<PropertyKey>

export interface Position {
  line: number
  column: number
}

export interface ParsedFile {
  /** The name errors and DesiredState.files use (relative to the working directory). */
  file: string
  text: string
  /** Present when the file is valid on its own. */
  content?: DesiredStateFile
  issues: DesiredStateIssue[]
  /** Line and column of a path in this file; `atKey` points at the key rather than its value. */
  locate(path: Path, atKey?: boolean): Position
}

export function parseDesiredStateFile(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter()
  // YAML 1.2, core schema only (see ./yaml-dialect.ts for what else is refused, and why).
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2', schema: 'core'})
  const position = (offset: number): Position => {
    const {line, col} = lineCounter.linePos(offset)
    return {line, column: col}
  }
  const locate = (path: Path, atKey = false): Position => position(offsetOf(doc, path, atKey))
  const issueAt = (path: Path, message: string, atKey = false, shownPath: Path = path): DesiredStateIssue => ({
    file,
    ...locate(path, atKey),
    path: formatPath(shownPath),
    message,
  })
  const parsed: ParsedFile = {file, text, issues: [], locate}

  if (doc.errors.length > 0) {
    parsed.issues = doc.errors.map((error) => ({
      file,
      ...position(error.pos[0]),
      path: '',
      message:
        error.code === 'DUPLICATE_KEY'
          ? `duplicate key ${keyTextAt(text, error.pos[0])}: a key may appear only once in a mapping`
          : `YAML syntax: ${error.message}`,
    }))
    return parsed
  }
  if (doc.contents === null) {
    parsed.issues = [issueAt([], 'the file is empty; a desired-state file starts with "version: 1"')]
    return parsed
  }

  const dialect = yamlDialectProblems(doc, text)
  if (dialect.length > 0) {
    parsed.issues = dialect.map((problem) => ({file, ...position(problem.offset), path: '', message: problem.message}))
    return parsed
  }

  // Aliases were bounded above (an expansion limit that counts values, not alias uses).
  const data: unknown = doc.toJS({maxAliasCount: -1})
  const result = desiredStateFileSchema.safeParse(data, {error: genericMessage})
  if (result.success) {
    parsed.content = result.data
    return parsed
  }
  parsed.issues = flattenIssues(result.error.issues, [], data).map((issue) =>
    issueAt(issue.path, issue.message, issue.atKey, issue.shownPath),
  )
  return parsed
}

/** The key as written at `offset` (quotes included), for duplicate-key messages. */
function keyTextAt(text: string, offset: number): string {
  const match = /^(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(offset))
  const key = (match?.[0] ?? '').trim()
  return key.startsWith('"') || key.startsWith("'") ? key : JSON.stringify(key)
}

// ---------------------------------------------------------------------------------------------
// zod issues → located issues

interface FlatIssue {
  path: Path
  shownPath: Path
  message: string
  atKey: boolean
}

const REQUIRED = '\u0000required'

function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: Path, root: unknown): FlatIssue[] {
  const out: FlatIssue[] = []
  // "needs at least one condition" is noise next to "unknown key": the typo is the real problem.
  const withUnknownKeys = new Set(
    issues.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => formatPath(issue.path)),
  )
  for (const issue of issues) {
    const path = [...prefix, ...issue.path]
    if (issue.code === 'custom' && withUnknownKeys.has(formatPath(issue.path))) continue
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(path)
        for (const key of issue.keys) {
          out.push({path: [...path, key], shownPath: path, message: unknownKeyMessage(key, known), atKey: true})
        }
        break
      }
      case 'invalid_key': {
        out.push({path, shownPath: path.slice(0, -1), message: issue.issues[0]?.message ?? issue.message, atKey: true})
        // zod skips the value of a bad key; check it anyway so one run reports everything.
        if (path.length === 2 && path[0] === 'repositories') {
          const value = valueAt(root, path)
          const entry = repositoryEntrySchema.safeParse(value, {error: genericMessage})
          if (!entry.success) out.push(...flattenIssues(entry.error.issues, path, root))
        }
        break
      }
      case 'invalid_union': {
        // Report the alternative the user evidently meant: the one whose shape fits at the top.
        const fitting = issue.errors.filter(
          (branch) => !branch.some((inner) => inner.path.length === 0 && ['invalid_type', 'invalid_value'].includes(inner.code)),
        )
        if (fitting.length === 1) out.push(...flattenIssues(fitting[0]!, path, root))
        else out.push({path, shownPath: path, message: issue.message, atKey: false})
        break
      }
      default: {
        if (issue.message === REQUIRED) {
          const key = String(path.at(-1))
          out.push({path: path.slice(0, -1), shownPath: path.slice(0, -1), message: `missing required key ${JSON.stringify(key)}`, atKey: false})
        } else {
          out.push({path, shownPath: path, message: issue.message, atKey: false})
        }
      }
    }
  }
  return out
}

function describeValue(input: unknown): string {
  if (input === null) return 'an empty value'
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object') return 'a mapping'
  if (typeof input === 'string') return `the string ${JSON.stringify(input)}`
  return `${typeof input} ${String(input)}`
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping (key: value)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
}

/** Plain-language messages for the structural errors the schema leaves to zod. */
function genericMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return REQUIRED
    const expected = EXPECTED[issue.expected] ?? issue.expected
    const quoteHint =
      issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')
        ? ` (quote it: "${String(issue.input)}")`
        : ''
    return `expected ${expected}, got ${describeValue(issue.input)}${quoteHint}`
  }
  if (issue.code === 'invalid_value') {
    if (issue.input === undefined) return REQUIRED
    const values = issue.values.map((value) => JSON.stringify(value))
    const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`
    return `expected ${expected}, got ${describeValue(issue.input)}`
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Schema and document navigation

/** Keys the schema allows for the object at `path` (union of alternatives), for suggestions. */
function knownKeysAt(path: Path): string[] {
  let schemas: z.ZodType[] = [desiredStateFileSchema]
  for (const segment of [...path, undefined]) {
    const expanded: z.ZodType[] = []
    const expand = (schema: z.ZodType): void => {
      if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) {
        expand(schema.unwrap() as z.ZodType)
      } else if (schema instanceof z.ZodUnion) {
        for (const option of schema.options) expand(option as z.ZodType)
      } else if (schema instanceof z.ZodPipe) {
        expand(schema.in as z.ZodType)
      } else {
        expanded.push(schema)
      }
    }
    schemas.forEach(expand)
    if (segment === undefined) {
      schemas = expanded
      break
    }
    schemas = expanded.flatMap((schema): z.ZodType[] => {
      if (schema instanceof z.ZodObject) {
        const child = (schema.shape as Record<string, z.ZodType>)[String(segment)]
        return child ? [child] : []
      }
      if (schema instanceof z.ZodRecord) return [schema.valueType as z.ZodType]
      if (schema instanceof z.ZodArray) return [schema.element as z.ZodType]
      return []
    })
  }
  const keys = schemas.flatMap((schema) => (schema instanceof z.ZodObject ? Object.keys(schema.shape) : []))
  return [...new Set(keys)]
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[segment]
  }
  return value
}

/**
 * Offset of the deepest node along `path` that exists. A missing key (e.g. a required one) is
 * reported at the mapping that should hold it.
 */
function offsetOf(doc: Document, path: Path, atKey: boolean): number {
  let node: Node | null | undefined = doc.contents as Node | null
  let offset = node?.range?.[0] ?? 0
  for (const [index, segment] of path.entries()) {
    if (node && isAlias(node)) node = node.resolve(doc) as Node | undefined
    if (!node) break
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment))
      if (!pair) break
      const key = pair.key as Node | null
      const value = pair.value as Node | null
      const last = index === path.length - 1
      if ((last && atKey) || !value) {
        offset = key?.range?.[0] ?? offset
        node = last ? key : null
        if (!node) break
        continue
      }
      node = value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | null | undefined
      if (!item) break
      node = item
    } else {
      break
    }
    offset = node.range?.[0] ?? offset
  }
  return offset
}
