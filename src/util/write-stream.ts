/**
 * Writes text and resolves once it is handed to the OS, so a command that exits right after (an
 * exit code of 2 for "changes present", say) cannot cut its output short on a pipe.
 */
export function writeAndFlush(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())))
}

const BATCH_CHARS = 1 << 20

/** Writes rendered pieces in batches of about a megabyte: a million-image plan never is one string. */
export async function writePiecesAndFlush(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  let batch: string[] = []
  let length = 0
  for (const piece of pieces) {
    batch.push(piece)
    length += piece.length
    if (length >= BATCH_CHARS) {
      await writeAndFlush(stream, batch.join(''))
      batch = []
      length = 0
    }
  }
  await writeAndFlush(stream, batch.join(''))
}
