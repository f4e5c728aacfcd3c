// Random access to an upload for yauzl: a ZIP is read from its end (the central directory) and then entry by
// entry. A stored upload is read back from the file store in blocks, a few kept, rather than held whole; one
// in memory (a ZIP kept as it passed, or one inside another) is read where it lies, in the pieces it came in.

import { Readable } from "node:stream";
import yauzl from "yauzl";

/** A stored upload read back: whole as a stream, or a range of it. */
export interface StoredBytes {
  size: number;
  read(): Promise<Readable>;
  readRange(start: number, end: number): Promise<Readable>;
}

/** A run of an upload's bytes, and where in the upload it starts. */
interface Piece {
  start: number;
  bytes: Buffer;
}

/** An upload's bytes in pieces: the piece holding a position (empty past the end), at hand or to be read. */
export interface Pieces {
  size: number;
  at(position: number): Piece | Promise<Piece>;
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

/** A stored upload in blocks read from the store, the last few read kept. */
export function storedPieces(stored: StoredBytes): Pieces {
  const kept = new Map<number, Buffer>();
  const read = async (index: number) => {
    const block = await collect(await stored.readRange(index * BLOCK_BYTES, (index + 1) * BLOCK_BYTES));
    kept.set(index, block);
    if (kept.size > KEPT_BLOCKS) kept.delete(kept.keys().next().value!);
    return { start: index * BLOCK_BYTES, bytes: block };
  };
  return {
    size: stored.size,
    at(position) {
      const index = Math.floor(position / BLOCK_BYTES);
      const block = kept.get(index);
      if (!block) return read(index);
      // The least recently read block is the one dropped.
      kept.delete(index);
      kept.set(index, block);
      return { start: index * BLOCK_BYTES, bytes: block };
    },
  };
}

/** Bytes in memory, in the pieces they came in: none is copied to be read. */
export function heldPieces(chunks: readonly Uint8Array[]): Pieces {
  const pieces: Piece[] = [];
  let size = 0;
  for (const chunk of chunks) {
    if (chunk.byteLength === 0) continue;
    pieces.push({ start: size, bytes: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) });
    size += chunk.byteLength;
  }
  return {
    size,
    at(position) {
      let low = 0;
      let high = pieces.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (pieces[middle]!.start <= position) low = middle;
        else high = middle - 1;
      }
      const piece = pieces[low];
      return piece && position < piece.start + piece.bytes.length ? piece : { start: position, bytes: Buffer.alloc(0) };
    },
  };
}

/**
 * yauzl's reader over an upload's pieces. Its small reads (headers, the directory) are served from the
 * piece at hand without a copy, as all but one read in a stored block's worth are.
 */
export class PieceReader extends yauzl.RandomAccessReader {
  constructor(private readonly pieces: Pieces) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.slices(start, end));
  }

  /** `length` bytes at `position`, fewer at the end of the upload. */
  async readAt(position: number, length: number): Promise<Buffer> {
    const end = Math.min(position + length, this.pieces.size);
    const piece = await this.pieces.at(position);
    if (end <= piece.start + piece.bytes.length) return piece.bytes.subarray(position - piece.start, end - piece.start);
    const parts: Buffer[] = [];
    for await (const slice of this.slices(position, end)) parts.push(slice);
    return Buffer.concat(parts);
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

  /** The bytes from `start` to `end`, piece by piece. */
  private async *slices(start: number, end: number): AsyncGenerator<Buffer> {
    for (let at = start; at < end;) {
      const piece = await this.pieces.at(at);
      const slice = piece.bytes.subarray(at - piece.start, Math.min(piece.bytes.length, end - piece.start));
      if (slice.length === 0) return;
      yield slice;
      at += slice.length;
    }
  }
}
