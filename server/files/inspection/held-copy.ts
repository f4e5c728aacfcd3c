// A ZIP's bytes kept in memory as they pass to the store, so that its inspection walks them there rather
// than reading them back: on this machine a read back of a 10 MiB upload just written took from 4 ms to
// 50 ms, as long as the walk itself or longer (bench/inspection.ts), and from PostgreSQL it is rows
// fetched. Bounded per upload and across all uploads of the process: past either bound the copy is
// dropped, and the inspection reads the store as it does for any larger upload.

import { MAX_HELD_BYTES, MAX_HELD_UPLOAD_BYTES } from "../../limits";
import { heldPieces, type Pieces } from "./store-reader";

/**
 * What keeping one chunk costs beyond its bytes, charged to both bounds: a body sent a byte at a time
 * cannot make a copy of millions of tiny chunks. Measured here, a chunk of one byte held about 640 bytes
 * (its buffer, and the piece that reads it); a chunk of 64 KiB pays 1.6 % more than its bytes.
 */
const CHUNK_COST = 1024;

/** The bounds copies are kept within, and what all copies under them hold now. */
export class HoldBudget {
  held = 0;

  constructor(
    readonly perUpload: number,
    readonly total: number,
  ) {}
}

/** The process's budget: what the uploads being inspected at once may hold. */
export const HOLD_BUDGET = new HoldBudget(MAX_HELD_UPLOAD_BYTES, MAX_HELD_BYTES);

/** One upload's copy: kept while the bounds allow it, given back with release() however the upload ends. */
export class HeldCopy {
  private chunks: Uint8Array[] | null = [];
  private bytes = 0;
  /** The bytes and the chunks' cost, charged to the budget. */
  private charged = 0;
  private complete = false;

  constructor(private readonly budget: HoldBudget) {}

  /**
   * The bytes of `source` passed on as they are, kept as they pass. The chunks are kept, not copied: a
   * request body's reader hands each chunk over and never writes to it again.
   */
  async *keep(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      this.add(chunk);
      yield chunk;
    }
    this.complete = true;
  }

  /** The bytes that passed, when all were kept and they are `size` long; null to read the store instead. */
  kept(size: number): Pieces | null {
    return this.complete && this.chunks && this.bytes === size ? heldPieces(this.chunks) : null;
  }

  /** Gives the copy's memory back to the budget; the copy keeps nothing more. */
  release(): void {
    this.budget.held -= this.charged;
    this.charged = 0;
    this.chunks = null;
  }

  private add(chunk: Uint8Array): void {
    if (!this.chunks) return;
    const cost = chunk.byteLength + CHUNK_COST;
    if (this.charged + cost > this.budget.perUpload || this.budget.held + cost > this.budget.total)
      return this.release();
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    this.charged += cost;
    this.budget.held += cost;
  }
}
