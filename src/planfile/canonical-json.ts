/**
 * Canonical JSON for plan files, written in pieces so that a plan of a million images never has to
 * exist as one string (V8 caps a string near 512 MB; such a plan is larger, and one string per
 * rendering doubles the peak memory).
 *
 * - `compactJson` / `streamCompactJson`: sorted keys, no whitespace: the same bytes as
 *   json-stable-stringify's default output (undefined members skipped, undefined array items as
 *   null). The plan checksum is sha256 over this form, fed to the hash piece by piece.
 * - `streamPlanLayout`: the plan file's layout: objects one key per line (2-space indent), and
 *   arrays of objects one element per line, each element compact. So a reviewer's diff of two plan
 *   files shows one line per changed image, and the file stays close to the compact size.
 */
export type Sink = (chunk: string) => void

const isPlainValue = (value: unknown): boolean => value === null || typeof value !== 'object'

function member(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol'
}

function sortedKeys(object: object): string[] {
  return Object.keys(object)
    .filter((key) => member((object as Record<string, unknown>)[key]))
    .sort()
}

function primitive(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? 'null' : text
}

/**
 * A copy with every object's keys in sorted order and undefined members dropped (undefined array
 * items become null), so that V8's native JSON.stringify, far faster than any JS-level writer,
 * produces the canonical text.
 */
export function canonicalCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length)
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index]
      copy[index] = member(item) ? canonicalCopy(item) : null
    }
    return copy
  }
  const object = value as Record<string, unknown>
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(object).sort()) {
    const item = object[key]
    if (member(item)) copy[key] = canonicalCopy(item)
  }
  return copy
}

/** One value as compact canonical JSON (for small values: an action, a reason). */
export function compactJson(value: unknown): string {
  return primitiveOrNull(JSON.stringify(canonicalCopy(value)))
}

const primitiveOrNull = (text: string | undefined): string => (text === undefined ? 'null' : text)

export interface StreamOptions {
  /** The value is a canonicalCopy (sorted keys everywhere, no undefined): items need no copying. */
  canonical?: boolean
}

const itemJson = (item: unknown, options: StreamOptions): string =>
  options.canonical ? primitiveOrNull(JSON.stringify(item)) : compactJson(item)

/** Compact canonical JSON in pieces: the document's own arrays and objects are streamed, their items given whole. */
export function streamCompactJson(value: unknown, sink: Sink, options: StreamOptions = {}, depth = 0): void {
  if (depth >= 2 || isPlainValue(value)) {
    sink(itemJson(value, options))
    return
  }
  if (Array.isArray(value)) {
    sink('[')
    value.forEach((item, index) => {
      if (index > 0) sink(',')
      if (member(item)) streamCompactJson(item, sink, options, depth + 1)
      else sink('null')
    })
    sink(']')
    return
  }
  const object = value as Record<string, unknown>
  sink('{')
  sortedKeys(object).forEach((key, index) => {
    sink(`${index > 0 ? ',' : ''}${JSON.stringify(key)}:`)
    streamCompactJson(object[key], sink, options, depth + 1)
  })
  sink('}')
}

/** The plan file layout (see the module comment), ending without a newline. */
export function streamPlanLayout(value: unknown, sink: Sink, options: StreamOptions = {}, indent = ''): void {
  if (isPlainValue(value)) {
    sink(primitive(value))
    return
  }
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return sink('[]')
    if (value.every(isPlainValue)) return sink(compactJson(value))
    sink('[')
    value.forEach((item, index) => sink(`${index > 0 ? ',' : ''}\n${inner}${member(item) ? itemJson(item, options) : 'null'}`))
    sink(`\n${indent}]`)
    return
  }
  const object = value as Record<string, unknown>
  const keys = sortedKeys(object)
  if (keys.length === 0) return sink('{}')
  sink('{')
  keys.forEach((key, index) => {
    sink(`${index > 0 ? ',' : ''}\n${inner}${JSON.stringify(key)}: `)
    streamPlanLayout(object[key], sink, options, inner)
  })
  sink(`\n${indent}}`)
}
