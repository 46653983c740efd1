/**
 * Reading a JSON document file (a plan, a snapshot) in chunks, so its size is bounded by memory
 * and not by V8's longest string: see ./json-pieces.ts. Errors say what actually happened (no
 * such file, a directory, no permission, not JSON at byte N, one value too long) and name the file.
 */
import {constants as bufferLimits} from 'node:buffer'
import {closeSync, openSync, readSync} from 'node:fs'
import {EcrctlError} from '../errors.js'
import {JsonPieceError, JsonPieceTooLargeError, parseJsonInPieces} from './json-pieces.js'

const CHUNK_BYTES = 1 << 24

/** What the reader names in its messages. */
export interface DocumentNames {
  /** "plan", "live-state snapshot" */
  noun: string
  /** What makes a new one, e.g. "Re-run `ecrctl plan --out <file>` to make a new plan." */
  remake: string
}

export interface ReadJsonOptions {
  /** The longest value decoded at once (default V8's limit; tests lower it). */
  maxPieceLength?: number
}

/** The parsed JSON of the file at `path`. */
export function readJsonFile(path: string, names: DocumentNames, options: ReadJsonOptions = {}): unknown {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw readError(error, path, names)
  }
  try {
    return parseJson(fileChunks(fd, path, names), path, names, options)
  } finally {
    closeSync(fd)
  }
}

/** The parsed JSON of `text` (a document already in memory), with the reader's refusals. */
export function parseJsonText(text: string, source: string, names: DocumentNames): unknown {
  return parseJson([Buffer.from(text, 'utf8')], source, names, {})
}

function parseJson(chunks: Iterable<Uint8Array>, source: string, names: DocumentNames, options: ReadJsonOptions): unknown {
  try {
    return parseJsonInPieces(chunks, options.maxPieceLength ?? bufferLimits.MAX_STRING_LENGTH)
  } catch (error) {
    if (error instanceof JsonPieceError) {
      throw new EcrctlError(`${source} is not valid JSON: it is truncated or corrupted.`, {
        kind: 'refused',
        detail: `At byte ${error.offset}: ${error.message}.`,
        nextSteps: [names.remake],
        cause: error,
      })
    }
    if (error instanceof JsonPieceTooLargeError) {
      throw new EcrctlError(`Cannot read ${source}: ${error.message}.`, {
        kind: 'environment',
        detail: `A ${names.noun} is read one value (one image, one action) at a time; this one alone does not fit in a string.`,
        nextSteps: [names.remake],
        cause: error,
      })
    }
    throw error
  }
}

function* fileChunks(fd: number, path: string, names: DocumentNames): Generator<Uint8Array> {
  for (;;) {
    // a fresh buffer per chunk: a value that spans two chunks keeps a view of the first
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    let read: number
    try {
      read = readSync(fd, buffer, 0, CHUNK_BYTES, null)
    } catch (error) {
      throw readError(error, path, names)
    }
    if (read === 0) return
    yield buffer.subarray(0, read)
  }
}

function readError(error: unknown, path: string, names: DocumentNames): EcrctlError {
  const code = (error as NodeJS.ErrnoException).code
  const what: Record<string, string> = {
    ENOENT: 'The file does not exist.',
    EISDIR: 'It is a directory, not a file.',
    EACCES: 'No permission to read it.',
    EPERM: 'No permission to read it.',
    ENOTDIR: 'A part of the path is not a directory.',
    ELOOP: 'It is a loop of symbolic links.',
    EIO: 'The disk reported an input/output error.',
  }
  const missing = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR'
  return new EcrctlError(`Cannot read the ${names.noun} file ${path}${code ? ` (${code})` : ''}.`, {
    kind: 'user',
    detail: (code && what[code]) ?? (error as Error).message,
    nextSteps: missing ? [`Check the path. ${names.remake}`] : [],
    cause: error,
  })
}
