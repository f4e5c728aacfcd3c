// Random access to a stored upload for yauzl: a ZIP is read from its end (the central directory) and then
// entry by entry, so it is read back from the file store in blocks, a few kept, rather than held whole.

import { Readable } from "node:stream";
import yauzl from "yauzl";

/** A stored upload read back: whole as a stream, or a range of it. */
export interface StoredBytes {
  size: number;
  read(): Promise<Readable>;
  readRange(start: number, end: number): Promise<Readable>;
}

/**
 * 512 KiB blocks, 4 kept (2 MiB at most): the directory and the entries around the one being read. Large
 * blocks because each is a read from the store (a file opened, or rows fetched): 20 for a 10 MiB ZIP.
 */
const BLOCK_BYTES = 512 * 1024;
const KEPT_BLOCKS = 4;

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/**
 * yauzl's reader over a stored upload, its small reads (headers, the directory) served from cached blocks:
 * synchronously when the blocks are at hand, as they are for all but one read in a block's worth.
 */
export class StoreReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Buffer>();

  constructor(private readonly stored: StoredBytes) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.slices(start, end));
  }

  /** `length` bytes at `position`, fewer at the end of the file. */
  async readAt(position: number, length: number): Promise<Buffer> {
    const end = Math.min(position + length, this.stored.size);
    const cached = this.cached(position, end);
    if (cached) return cached;
    const parts: Buffer[] = [];
    for await (const slice of this.slices(position, end)) parts.push(slice);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ) {
    this.readAt(position, length).then((bytes) => {
      if (bytes.length < length) return callback(new Error("unexpected end of the stored file"));
      bytes.copy(buffer, offset);
      callback(null);
    }, callback);
  }

  /** The bytes from `start` to `end` when they lie in one block at hand; else null. */
  private cached(start: number, end: number): Buffer | null {
    const index = Math.floor(start / BLOCK_BYTES);
    const block = this.blocks.get(index);
    if (!block || end > (index + 1) * BLOCK_BYTES) return null;
    this.blocks.delete(index);
    this.blocks.set(index, block);
    const from = start - index * BLOCK_BYTES;
    return block.subarray(from, from + end - start);
  }

  /** The bytes from `start` to `end`, block by block. */
  private async *slices(start: number, end: number): AsyncGenerator<Buffer> {
    for (let at = start; at < end;) {
      const index = Math.floor(at / BLOCK_BYTES);
      const block = await this.block(index);
      const from = at - index * BLOCK_BYTES;
      const slice = block.subarray(from, Math.min(block.length, from + end - at));
      if (slice.length === 0) return;
      yield slice;
      at += slice.length;
    }
  }

  /** One block, kept; the least recently read one dropped when too many are kept. */
  private async block(index: number): Promise<Buffer> {
    const kept = this.blocks.get(index);
    if (kept) {
      this.blocks.delete(index);
      this.blocks.set(index, kept);
      return kept;
    }
    const block = await collect(await this.stored.readRange(index * BLOCK_BYTES, (index + 1) * BLOCK_BYTES));
    this.blocks.set(index, block);
    if (this.blocks.size > KEPT_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    return block;
  }
}
