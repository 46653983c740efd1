import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {JsonPieceError, JsonPieceTooLargeError, parseJsonInPieces} from '../../../src/document/json-pieces.js'

/** The text's bytes in chunks of the given sizes (cycled), each a fresh buffer as a file read gives. */
function chunked(text: string, sizes: number[]): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8')
  const chunks: Uint8Array[] = []
  for (let start = 0, i = 0; start < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    chunks.push(Uint8Array.from(bytes.subarray(start, start + size)))
    start += size
  }
  return chunks
}

const outcome = (run: () => unknown): {value: unknown} | {error: true} => {
  try {
    return {value: run()}
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof JsonPieceError) return {error: true}
    throw error
  }
}

const chunkSizes = fc.array(fc.integer({min: 1, max: 40}), {minLength: 1, maxLength: 5})
/** JSON texts written as ecrctl writes them and as people or other tools might. */
const layouts = fc.constantFrom<(value: unknown) => string>(
  (value) => JSON.stringify(value),
  (value) => JSON.stringify(value, null, 2),
  (value) => ` \r\n\t${JSON.stringify(value, null, '\t')}\n\n`,
)

describe('parseJsonInPieces: JSON.parse for texts longer than one string', () => {
  it('gives what JSON.parse gives, however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 5}), layouts, chunkSizes, (value, layout, sizes) => {
        const text = layout(value)
        expect(parseJsonInPieces(chunked(text, sizes), 1 << 20)).toStrictEqual(JSON.parse(text))
      }),
      {numRuns: 2000},
    )
  })

  it('refuses exactly the texts JSON.parse refuses (cut, spliced or with a byte replaced)', () => {
    let refused = 0
    const edits = fc.record({at: fc.nat(), cut: fc.nat({max: 3}), insert: fc.constantFrom('', ',', ']', '}', '"', ':', '{', '[', '1', ' ', 'x', '\\', '-', 'e')})
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 4}), layouts, chunkSizes, edits, (value, layout, sizes, edit) => {
        const text = layout(value)
        const at = text.length === 0 ? 0 : edit.at % text.length
        const edited = text.slice(0, at) + edit.insert + text.slice(at + edit.cut)
        const expected = outcome(() => JSON.parse(edited))
        if ('error' in expected) refused++
        expect(outcome(() => parseJsonInPieces(chunked(edited, sizes), 1 << 20))).toStrictEqual(expected)
      }),
      {numRuns: 4000},
    )
    expect(refused).toBeGreaterThan(500)
  })

  it('keeps "__proto__" as an own key and lets the last duplicate key win, as JSON.parse does', () => {
    const text = '{"a": {"x": [{"__proto__": {"polluted": 1}}], "__proto__": 2, "k": 1, "k": 2}}'
    const parsed = parseJsonInPieces(chunked(text, [3]), 1000) as {a: Record<string, unknown>}
    expect(parsed).toStrictEqual(JSON.parse(text))
    expect(Object.keys(parsed.a)).toEqual(['x', '__proto__', 'k'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('names the byte where the text goes wrong, and a value too long to decode', () => {
    expect(() => parseJsonInPieces(chunked('{"actions": [1, 2,, 3]}', [4]), 1000)).toThrow(/^expected a value, found ","$/)
    expect(() => parseJsonInPieces(chunked('{"kept": [', [4]), 1000)).toThrow(/unexpected end of the document/)
    const long = JSON.stringify({actions: [{message: 'x'.repeat(500)}]})
    expect(() => parseJsonInPieces(chunked(long, [64]), 100)).toThrow(JsonPieceTooLargeError)
    expect(parseJsonInPieces(chunked(long, [64]), 1000)).toStrictEqual(JSON.parse(long))
  })
})
