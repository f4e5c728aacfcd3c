// A pull reader over a stream of chunks: take a few bytes, pass or skip many. The format readers here
// (images, tar, gzip'd tar) walk their headers with it, holding only what they ask for.

/** Reads an async sequence of chunks as one run of bytes, never holding more than the largest `take`. */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Whether `n` bytes (at least one when n is 1) can still be read. */
  async has(n = 1): Promise<boolean> {
    return (await this.fill(n)) >= n;
  }

  /** The next `n` bytes without reading past them: a later take() gives them again. */
  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.pending.subarray(0, n);
  }

  /** The next `n` bytes, fewer only at the end. */
  async take(n: number): Promise<Buffer> {
    await this.fill(n);
    const taken = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(taken.length);
    return taken;
  }

  /**
   * The next `n` bytes when they are already read, taken; null when they must be awaited. A walk over
   * thousands of tiny records takes them this way, without a promise for each.
   */
  takeNow(n: number): Buffer | null {
    if (this.pending.length < n) return null;
    const taken = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return taken;
  }

  /** The next `n` bytes as they come, fewer only at the end. */
  async *pass(n: number): AsyncGenerator<Buffer> {
    for (let left = n; left > 0;) {
      if (this.pending.length === 0 && (await this.fill(1)) === 0) return;
      const piece = this.pending.subarray(0, left);
      this.pending = this.pending.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  /** Drops the next `n` bytes; says how many there were. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    for await (const piece of this.pass(n)) skipped += piece.length;
    return skipped;
  }

  /** Everything left, as it comes. */
  async *rest(): AsyncGenerator<Buffer> {
    yield* this.pass(Number.POSITIVE_INFINITY);
  }

  /** The bytes read ahead and not yet taken, to walk without awaiting; valid until the next read. */
  get buffered(): Buffer {
    return this.pending;
  }

  /** Drops `n` of the buffered bytes. */
  consume(n: number): void {
    this.pending = this.pending.subarray(n);
  }

  /** Ends the source early (a file's stream is destroyed, its descriptor closed); reading after gives nothing. */
  async close(): Promise<void> {
    this.ended = true;
    this.pending = Buffer.alloc(0);
    await this.source.return?.();
  }

  /** Reads chunks until `n` bytes are pending or the source ends; the number pending. */
  private async fill(n: number): Promise<number> {
    if (this.pending.length >= n || this.ended) return this.pending.length;
    const parts = this.pending.length === 0 ? [] : [this.pending];
    let have = this.pending.length;
    while (have < n) {
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      parts.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      have += next.value.byteLength;
    }
    // A single chunk is kept as it is: passing large runs through copies nothing.
    this.pending = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    return have;
  }
}
