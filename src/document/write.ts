/**
 * Writing the files ecrctl makes, never through a symbolic link (docs/plan-file.md, "Files ecrctl writes"):
 *
 * - Whole documents (plan --out, snapshot --out) are written to a temporary file created
 *   exclusively (O_EXCL, O_NOFOLLOW) in the target's directory under an unpredictable name, then
 *   renamed over the target. A reader never sees half a document, and a link planted at the
 *   temporary name cannot redirect the write. A target that is a symbolic link is refused (rename
 *   would replace the link, which a user who made it on purpose would not expect, and the file
 *   behind it must never be written); if a link appears there after the check, rename replaces the
 *   link itself, so its target is still untouched.
 * - The audit log is appended to, never rewritten, so it is opened in place: O_APPEND | O_CREAT |
 *   O_NOFOLLOW in one call (created when missing, with no window between a check and the open),
 *   and refused unless it is a regular file with no other hard link.
 *
 * Errors say what actually happened: a missing directory is not a full disk is not a link.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, constants, fstatSync, lstatSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {EcrctlError} from '../errors.js'
import {ByteBatcher} from './byte-batcher.js'

const FLUSH_AT = 1 << 20
/** 0 where the platform has no such flag (Windows). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0
const NONBLOCK = constants.O_NONBLOCK ?? 0

export type Sink = (chunk: string) => void

export interface DocumentWriter {
  write: Sink
  /** Bytes written so far (flushes what is pending). */
  position: () => number
  /** Overwrites bytes already written (flushes what is pending first). */
  writeAt: (position: number, text: string) => void
}

/**
 * Writes the file at `path` from the pieces `produce` gives, atomically (see the module comment).
 * `what` names the document in errors ("plan", "snapshot").
 */
export function writeFileAtomically(path: string, what: string, produce: (file: DocumentWriter) => void): void {
  refuseSymbolicLink(path, what)
  const directory = dirname(path)
  const temporary = join(directory, `${basename(path)}.${randomBytes(8).toString('hex')}.tmp`)
  let fd: number | undefined
  let created = false
  try {
    const descriptor = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o666)
    fd = descriptor
    created = true
    let written = 0
    const writeAll = (bytes: Uint8Array, at: number): void => {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(descriptor, bytes, offset, bytes.length - offset, at + offset)
    }
    const file = new ByteBatcher(FLUSH_AT, (bytes) => {
      writeAll(bytes, written)
      written += bytes.length
    })
    produce({
      write: (chunk) => file.write(chunk),
      position: () => {
        file.flush()
        return written
      },
      writeAt: (position, text) => {
        file.flush() // what is pending may cover `position`
        writeAll(Buffer.from(text, 'utf8'), position)
      },
    })
    file.flush()
    closeSync(descriptor)
    fd = undefined
    renameSync(temporary, path)
    created = false
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    if (created) rmSync(temporary, {force: true})
    throw writeError(error, path, what)
  }
}

/** Opens `path` for appending (the audit log): see the module comment. Returns the descriptor. */
export function openForAppend(path: string, what: string): number {
  let fd: number
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK, 0o666)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // ELOOP: the last component is a symbolic link (EMLINK on FreeBSD); ENXIO: a FIFO nobody reads
    if (code === 'ELOOP' || code === 'EMLINK') throw symbolicLinkError(path, what, error)
    if (code === 'ENXIO') throw notRegularError(path, what)
    throw writeError(error, path, what)
  }
  const stats = fstatSync(fd)
  if (!stats.isFile() || stats.nlink > 1) {
    closeSync(fd)
    throw notRegularError(path, what, stats.isFile())
  }
  return fd
}

function refuseSymbolicLink(path: string, what: string): void {
  let isLink = false
  try {
    isLink = lstatSync(path).isSymbolicLink()
  } catch {
    return // missing (the usual case) or unreadable: the write itself reports it
  }
  if (isLink) throw symbolicLinkError(path, what)
}

function symbolicLinkError(path: string, what: string, cause?: unknown): EcrctlError {
  return new EcrctlError(`Refusing to write the ${what} to ${path}: it is a symbolic link.`, {
    kind: 'user',
    detail: 'ecrctl never writes through a symbolic link (a link planted there could make it overwrite another file).',
    nextSteps: [`Remove the link, or pass the path of a regular file.`],
    cause,
  })
}

function notRegularError(path: string, what: string, isFile = false): EcrctlError {
  return new EcrctlError(`Refusing to write the ${what} to ${path}: ${isFile ? 'it has other hard links' : 'it is not a regular file'}.`, {
    kind: 'user',
    detail: 'ecrctl appends only to a regular file of its own, so that a planted link cannot redirect what it writes.',
    nextSteps: ['Pass another path (e.g. with --log), or remove the file.'],
  })
}

/** What went wrong, in words: the errno code decides, not the message. */
function writeError(error: unknown, path: string, what: string): unknown {
  if (error instanceof EcrctlError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const directory = dirname(path)
  const because: Record<string, string> = {
    ENOENT: `the directory ${directory} does not exist`,
    ENOTDIR: `a part of ${directory} is not a directory`,
    EACCES: `no permission to write in ${directory}`,
    EPERM: `no permission to write in ${directory}`,
    EROFS: `${directory} is on a read-only file system`,
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EFBIG: 'the file would be larger than the file system allows',
    EISDIR: `${path} is a directory`,
    EIO: 'the disk reported an input/output error',
  }
  if (error instanceof RangeError) {
    return new EcrctlError(`Cannot write the ${what} to ${path}: it is too large to put together in memory.`, {
      kind: 'environment',
      detail: `${error.message}.`,
      nextSteps: ['Read fewer repositories or manifests (e.g. --manifests references), or write it in parts.'],
      cause: error,
    })
  }
  if (code === undefined) return error
  const reason = because[code]
  return new EcrctlError(`Cannot write the ${what} to ${path}: ${reason ?? (error as Error).message} (${code}).`, {
    kind: 'environment',
    nextSteps: [
      code === 'ENOSPC' || code === 'EDQUOT' ? 'Free some space or write elsewhere.' : 'Pass another output path, or fix the directory and try again.',
    ],
    cause: error,
  })
}
