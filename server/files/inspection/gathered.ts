// What an image's metadata strip writes from the bytes it has read ahead: ranges of them, neighbouring
// ranges joined, so a run of thousands of tiny kept segments or chunks is one copy, not thousands.

/** Output gathered from one buffer of read-ahead bytes, in order. */
export class Gathered {
  private readonly out: Buffer[] = [];
  private from = 0;
  private to = 0;

  constructor(private readonly view: Buffer) {}

  /** Bytes from…to of the buffer, written as they are. */
  range(from: number, to: number): void {
    if (from !== this.to) {
      this.flush();
      this.from = from;
    }
    this.to = to;
  }

  /** Bytes made anew (a segment rewritten), written in their place. */
  other(bytes: Buffer): void {
    this.flush();
    this.out.push(bytes);
  }

  /** All that was gathered, as one buffer (empty when nothing was). */
  written(): Buffer {
    this.flush();
    return this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out);
  }

  private flush(): void {
    if (this.to > this.from) this.out.push(this.view.subarray(this.from, this.to));
    this.from = this.to;
  }
}
