/**
 * Canonical JSON for plan files, written in pieces so that a plan of a million images (about
 * 440 MB) never has to exist as one string: one string per rendering would double the peak memory,
 * and a plan a little larger would pass V8's longest string (about 537 million characters).
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
 * The canonical text written by hand: for values that isCanonical refuses. Not a sorted copy fed
 * to JSON.stringify: V8 always lists integer-like keys ("9", "10") first, in numeric order, so no
 * object can hold them in string order.
 */
function canonicalText(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as {toJSON?: unknown}).toJSON === 'function') {
    return canonicalText((value as {toJSON: () => unknown}).toJSON())
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) {
    const items = new Array<string>(value.length)
    for (let index = 0; index < value.length; index++) items[index] = primitiveOrNull(canonicalText(value[index]))
    return `[${items.join(',')}]`
  }
  const object = value as Record<string, unknown>
  const members: string[] = []
  for (const key of Object.keys(object).sort()) {
    const text = canonicalText(object[key])
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`)
  }
  return `{${members.join(',')}}`
}

/**
 * True when V8's native JSON.stringify already gives the canonical text of `value`: every object
 * is a plain object whose keys come in sorted order (undefined members are skipped by both, and
 * array items need no order). The planner builds its objects that way, so a million images are
 * stringified without a sorted copy each; anything else (a hand-built plan, a plan read from a
 * file with its keys moved) takes the slow path, so the bytes never depend on key order.
 */
export function isCanonical(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (!isCanonical(value[index])) return false
    return true
  }
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return false
  const object = value as Record<string, unknown>
  let previous: string | undefined
  // for-in gives own keys in the order Object.keys does (a plain object has no enumerable inherited keys)
  for (const key in object) {
    if (previous !== undefined && !(previous < key)) return false
    previous = key
    if (!isCanonical(object[key])) return false
  }
  return true
}

/** One value as compact canonical JSON (for small values: an action, a reason). */
export function compactJson(value: unknown): string {
  return primitiveOrNull(isCanonical(value) ? JSON.stringify(value) : canonicalText(value))
}

const primitiveOrNull = (text: string | undefined): string => (text === undefined ? 'null' : text)

/** Compact canonical JSON in pieces: the document's own arrays and objects are streamed, their items given whole. */
export function streamCompactJson(value: unknown, sink: Sink, depth = 0): void {
  if (depth >= 2 || isPlainValue(value)) {
    sink(compactJson(value))
    return
  }
  if (Array.isArray(value)) {
    sink('[')
    value.forEach((item, index) => {
      if (index > 0) sink(',')
      if (member(item)) streamCompactJson(item, sink, depth + 1)
      else sink('null')
    })
    sink(']')
    return
  }
  const object = value as Record<string, unknown>
  sink('{')
  sortedKeys(object).forEach((key, index) => {
    sink(`${index > 0 ? ',' : ''}${JSON.stringify(key)}:`)
    streamCompactJson(object[key], sink, depth + 1)
  })
  sink('}')
}

/** The plan file layout (see the module comment), ending without a newline. */
export function streamPlanLayout(value: unknown, sink: Sink, indent = ''): void {
  if (isPlainValue(value)) {
    sink(primitive(value))
    return
  }
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return sink('[]')
    if (value.every(isPlainValue)) return sink(compactJson(value))
    sink('[')
    value.forEach((item, index) => sink(`${index > 0 ? ',' : ''}\n${inner}${member(item) ? compactJson(item) : 'null'}`))
    sink(`\n${indent}]`)
    return
  }
  const object = value as Record<string, unknown>
  const keys = sortedKeys(object)
  if (keys.length === 0) return sink('{}')
  sink('{')
  keys.forEach((key, index) => {
    sink(`${index > 0 ? ',' : ''}\n${inner}${JSON.stringify(key)}: `)
    streamPlanLayout(object[key], sink, inner)
  })
  sink(`\n${indent}}`)
}

/**
 * The plan file layout and the compact canonical form of the same value in one walk, each array
 * item stringified once for both (what streamPlanLayout and streamCompactJson give separately):
 * writing a plan file and its checksum together stringifies a million images once, not twice.
 */
export function streamLayoutAndCompact(value: unknown, layout: Sink, compact: Sink, indent = ''): void {
  if (isPlainValue(value)) {
    const text = primitive(value)
    layout(text)
    compact(text)
    return
  }
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every(isPlainValue)) {
      const text = compactJson(value)
      layout(text)
      compact(text)
      return
    }
    layout('[')
    compact('[')
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index]
      const text = member(item) ? compactJson(item) : 'null'
      // separators apart from the text: gluing them on would make a rope V8 must flatten twice
      layout(index > 0 ? `,\n${inner}` : `\n${inner}`)
      layout(text)
      if (index > 0) compact(',')
      compact(text)
    }
    layout(`\n${indent}]`)
    compact(']')
    return
  }
  const object = value as Record<string, unknown>
  const keys = sortedKeys(object)
  if (keys.length === 0) {
    layout('{}')
    compact('{}')
    return
  }
  layout('{')
  compact('{')
  keys.forEach((key, index) => {
    const name = JSON.stringify(key)
    layout(`${index > 0 ? ',' : ''}\n${inner}${name}: `)
    compact(`${index > 0 ? ',' : ''}${name}:`)
    streamLayoutAndCompact(object[key], layout, compact, inner)
  })
  layout(`\n${indent}}`)
  compact('}')
}

