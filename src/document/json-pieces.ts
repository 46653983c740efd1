/**
 * JSON.parse for documents that do not fit in one string. V8 caps a string near 512 MB, and a
 * plan of a million images is about that size (the writer already writes them in pieces). Here
 * the bytes arrive in chunks; the outer two levels of the document (its own object and the
 * arrays and objects directly in it) are scanned byte by byte, and every value below them (one
 * image, one action, one repository summary) is decoded and handed to JSON.parse whole. The
 * result equals JSON.parse of the whole text, and a text JSON.parse refuses is refused too
 * (held to that by a property test): a piece that is not JSON fails in JSON.parse itself, and the
 * scanner accepts nothing but JSON's own punctuation and whitespace between pieces.
 */

/** Containers at this depth and deeper are pieces, parsed whole. */
const PIECE_DEPTH = 2

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const COMMA = 0x2c
const COLON = 0x3a

const isWhitespace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
const isDelimiter = (byte: number): boolean =>
  isWhitespace(byte) || byte === COMMA || byte === CLOSE_ARRAY || byte === CLOSE_OBJECT || byte === COLON

/** A JSON text that is not valid, with the byte offset of the problem. */
export class JsonPieceError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
    this.name = 'JsonPieceError'
  }
}

/** A single value (one image, say) longer than the longest string this JavaScript engine holds. */
export class JsonPieceTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly offset: number,
  ) {
    super(`one value (at byte ${offset}) is ${bytes} bytes long, more than the longest string this Node.js can hold`)
    this.name = 'JsonPieceTooLargeError'
  }
}

interface Frame {
  container: Record<string, unknown> | unknown[]
  /** What comes next: a key (objects), a value, or a comma / the closing bracket. */
  expect: 'keyOrEnd' | 'key' | 'colon' | 'valueOrEnd' | 'value' | 'commaOrEnd'
  key?: string
}

type PieceKind = 'string' | 'container' | 'scalar'

/**
 * Parses JSON that arrives as `chunks` of UTF-8 bytes (chunks are kept by reference until the
 * piece that spans them ends: pass fresh buffers). `maxPieceLength` is the longest piece that can
 * be decoded (V8's string limit; lower in tests).
 */
export function parseJsonInPieces(chunks: Iterable<Uint8Array>, maxPieceLength: number): unknown {
  const stack: Frame[] = []
  let result: unknown
  let haveResult = false

  // the piece being read: where it started, the bytes of earlier chunks, its scanning state
  let piece: PieceKind | undefined
  let pieceStart = 0
  let pieceParts: Uint8Array[] = []
  let pieceBytes = 0
  let pieceDepth = 0
  let inString = false
  let escaped = false
  /** A piece that is a key of an object (decoded with the piece's text, then expects a colon). */
  let pieceIsKey = false

  let offset = 0 // of the current chunk's first byte in the document

  const fail = (message: string, at: number): never => {
    throw new JsonPieceError(message, at)
  }

  const place = (value: unknown, at: number): void => {
    const frame = stack[stack.length - 1]
    if (frame === undefined) {
      if (haveResult) fail('more than one value', at)
      result = value
      haveResult = true
      return
    }
    if (Array.isArray(frame.container)) frame.container.push(value)
    else {
      // as JSON.parse: an own property even for "__proto__", the last of duplicate keys wins
      Object.defineProperty(frame.container, frame.key!, {value, writable: true, enumerable: true, configurable: true})
    }
    frame.expect = 'commaOrEnd'
  }

  const decode = (chunk: Uint8Array, end: number): string => {
    const length = pieceBytes + (end - (pieceParts.length === 0 ? pieceStart : 0))
    if (length > maxPieceLength) throw new JsonPieceTooLargeError(length, offset + (pieceParts.length === 0 ? pieceStart : 0) - pieceBytes)
    const tail = chunk.subarray(pieceParts.length === 0 ? pieceStart : 0, end)
    const bytes = pieceParts.length === 0 ? tail : Buffer.concat([...pieceParts, tail])
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  }

  const finishPiece = (chunk: Uint8Array, end: number): void => {
    const at = offset + (pieceParts.length === 0 ? pieceStart : 0) - pieceBytes
    const text = decode(chunk, end)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      fail(`${(error as Error).message} (in the value at byte ${at})`, at)
    }
    const wasKey = pieceIsKey
    piece = undefined
    pieceParts = []
    pieceBytes = 0
    pieceIsKey = false
    if (wasKey) {
      const frame = stack[stack.length - 1]!
      frame.key = value as string
      frame.expect = 'colon'
    } else place(value, at)
  }

  /**
   * The index of the quote that closes the string `from` is in, or chunk.length when the chunk
   * ends first (then `escaped` says whether its last byte escapes the next chunk's first).
   */
  const endOfString = (chunk: Uint8Array, from: number): number => {
    let start = from
    if (escaped) {
      escaped = false
      start++
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, start)
      const end = quote === -1 ? chunk.length : quote
      // a run of backslashes right before it: odd escapes the quote (or the next chunk's first byte)
      let backslashes = 0
      while (end - backslashes - 1 >= start && chunk[end - backslashes - 1] === BACKSLASH) backslashes++
      if (quote === -1) {
        escaped = backslashes % 2 === 1
        return chunk.length
      }
      if (backslashes % 2 === 0) return quote
      start = quote + 1
    }
  }

  const startPiece = (kind: PieceKind, index: number, asKey = false): void => {
    piece = kind
    pieceStart = index
    pieceParts = []
    pieceBytes = 0
    pieceDepth = 0
    inString = false
    escaped = false
    pieceIsKey = asKey
  }

  for (const chunk of chunks) {
    let index = 0
    const length = chunk.length
    while (index < length) {
      if (piece !== undefined) {
        // scan to the end of the piece
        if (piece === 'scalar') {
          while (index < length && !isDelimiter(chunk[index]!)) index++
          if (index < length) finishPiece(chunk, index)
          continue
        }
        let done = false
        while (index < length) {
          if (inString) {
            // most bytes of a plan are inside strings: jump to the next quote
            index = endOfString(chunk, index)
            if (index === length) break
            inString = false
            index++
            if (piece === 'string') {
              done = true
              break
            }
            continue
          }
          const byte = chunk[index]!
          index++
          if (byte === QUOTE) inString = true
          else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) pieceDepth++
          else if ((byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) && --pieceDepth === 0) {
            done = true
            break
          }
        }
        if (done) finishPiece(chunk, index)
        continue
      }

      const byte = chunk[index]!
      if (isWhitespace(byte)) {
        index++
        continue
      }
      const at = offset + index
      const frame = stack[stack.length - 1]
      const expecting = frame?.expect ?? (haveResult ? 'end' : 'value')
      switch (expecting) {
        case 'end':
          fail(`unexpected ${describeByte(byte)} after the end of the document`, at)
          break
        case 'keyOrEnd':
        case 'key':
          if (byte === QUOTE) {
            startPiece('string', index, true)
            inString = true
            index++
          } else if (byte === CLOSE_OBJECT && expecting === 'keyOrEnd') {
            stack.pop()
            place(frame!.container, at)
            index++
          } else fail(`expected a key in double quotes, found ${describeByte(byte)}`, at)
          break
        case 'colon':
          if (byte !== COLON) fail(`expected ":" after the key, found ${describeByte(byte)}`, at)
          frame!.expect = 'value'
          index++
          break
        case 'commaOrEnd': {
          const closing = Array.isArray(frame!.container) ? CLOSE_ARRAY : CLOSE_OBJECT
          if (byte === COMMA) frame!.expect = Array.isArray(frame!.container) ? 'value' : 'key'
          else if (byte === closing) {
            stack.pop()
            place(frame!.container, at)
          } else fail(`expected "," or "${String.fromCharCode(closing)}", found ${describeByte(byte)}`, at)
          index++
          break
        }
        case 'valueOrEnd':
        case 'value':
          if (byte === CLOSE_ARRAY && expecting === 'valueOrEnd') {
            stack.pop()
            place(frame!.container, at)
            index++
          } else if ((byte === OPEN_OBJECT || byte === OPEN_ARRAY) && stack.length < PIECE_DEPTH) {
            stack.push(byte === OPEN_OBJECT ? {container: {}, expect: 'keyOrEnd'} : {container: [], expect: 'valueOrEnd'})
            index++
          } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
            startPiece('container', index)
          } else if (byte === QUOTE) {
            startPiece('string', index)
            inString = true
            index++
          } else if (isDelimiter(byte)) {
            fail(`expected a value, found ${describeByte(byte)}`, at)
          } else startPiece('scalar', index)
          break
      }
    }
    // the chunk ends inside a piece: keep its bytes so far
    if (piece !== undefined) {
      const part = chunk.subarray(pieceParts.length === 0 ? pieceStart : 0)
      pieceParts.push(part)
      pieceBytes += part.length
      if (pieceBytes > maxPieceLength) throw new JsonPieceTooLargeError(pieceBytes, offset + length - pieceBytes)
    }
    offset += length
  }

  // a number, true, false or null ends with the text: its bytes are all in pieceParts
  if (piece === 'scalar') finishPiece(new Uint8Array(0), 0)
  if (piece !== undefined || stack.length > 0 || !haveResult) fail('unexpected end of the document (truncated?)', offset)
  return result
}

function describeByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? `"${String.fromCharCode(byte)}"` : `byte 0x${byte.toString(16).padStart(2, '0')}`
}
