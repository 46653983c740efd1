/**
 * Text pieces encoded straight into one reused buffer and handed on when it is full: no joined
 * strings and no buffer per piece (a plan of a million images is ~440 MB of pieces).
 */
export class ByteBatcher {
  private readonly buffer: Buffer
  private used = 0

  constructor(
    size: number,
    private readonly drain: (bytes: Buffer) => void,
  ) {
    this.buffer = Buffer.allocUnsafe(size)
  }

  write(chunk: string): void {
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + chunk.length * 3 > this.buffer.length) {
      this.flush()
      if (chunk.length * 3 > this.buffer.length) {
        this.drain(Buffer.from(chunk, 'utf8'))
        return
      }
    }
    this.used += this.buffer.write(chunk, this.used, 'utf8')
  }

  flush(): void {
    if (this.used === 0) return
    this.drain(this.buffer.subarray(0, this.used))
    this.used = 0
  }
}
