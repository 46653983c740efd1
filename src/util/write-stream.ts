/**
 * Writes text and resolves once it is handed to the OS, so a command that exits right after (an
 * exit code of 2 for "changes present", say) cannot cut its output short on a pipe.
 */
export function writeAndFlush(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())))
}
