// A sliding-window counter per key, in this process, whose cost per hit does not depend on how many
// keys it holds, and whose memory is bounded and released as windows pass.
//
// Two generations of maps: this window's counts and the last window's. When a window passes, the
// last one is dropped whole, so nothing is ever swept key by key. A key is judged by this window's
// count plus the last window's, weighted by how much of the last window the sliding window still
// covers: Cloudflare's estimate ("Counting things, a lot of different things", 2017), which keeps
// the burst at a window's edge near the limit instead of twice it.
// Written by hand because no library does this without a timer or an object per key:
// rate-limiter-flexible's memory store (Hatch uses the library for limits shared through Redis) holds about
// 450 bytes, a promise per hit and a timer per key with no cap on keys, against about 40 bytes here,
// and a hit costs it 3-6 times as long (bench/rate-limit.ts prints both).

import { MAX_COUNTED_KEYS } from "../limits";

export class WindowCounter<Key extends string | number = string> {
  private current = new Map<Key, number>();
  private previous = new Map<Key, number>();
  private start = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = MAX_COUNTED_KEYS,
  ) {}

  /**
   * Counts `cost` for `key` when it fits under the limit and answers 0; otherwise counts nothing and
   * answers how many milliseconds to wait before it would fit (Infinity when it never can).
   * A new key past `maxKeys` in one window is let through uncounted: a flood of that many distinct
   * addresses must not cost unbounded memory, and each of its keys would be at its first hit anyway.
   */
  take(key: Key, now: number, cost = 1): number {
    this.advance(now);
    const elapsed = (now - this.start) / this.windowMs;
    const counted = this.current.get(key);
    const current = counted ?? 0;
    const previous = this.previous.get(key) ?? 0;
    if (previous * (1 - elapsed) + current + cost > this.limit) return this.waitMs(current, previous, elapsed, cost);
    if (counted === undefined && this.current.size >= this.maxKeys) return 0;
    this.current.set(key, current + cost);
    return 0;
  }

  /** Gives back up to `cost` of what `key` took in this window. */
  refund(key: Key, now: number, cost: number): void {
    this.advance(now);
    const current = this.current.get(key);
    if (current === undefined) return;
    if (current <= cost) this.current.delete(key);
    else this.current.set(key, current - cost);
  }

  /** Keys held in both generations: for the tests and the bench. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private advance(now: number): void {
    if (now < this.start + this.windowMs) return;
    const passed = Math.floor((now - this.start) / this.windowMs);
    // One window on: this window becomes the last. More: both are history.
    this.previous = passed === 1 ? this.current : new Map();
    this.current = new Map();
    this.start = Number.isFinite(this.start) && passed === 1 ? this.start + this.windowMs : now;
  }

  /** When `cost` more would fit, from the estimate's formula solved for time. */
  private waitMs(current: number, previous: number, elapsed: number, cost: number): number {
    if (cost > this.limit) return Number.POSITIVE_INFINITY;
    const window = this.windowMs;
    if (current + cost > this.limit) {
      // Not before this window ends; then this window's count is the last one's, fading.
      const fadeInto = 1 - (this.limit - cost) / current;
      return (1 - elapsed) * window + Math.max(0, fadeInto) * window;
    }
    return Math.max(0, (1 - (this.limit - current - cost) / previous - elapsed) * window);
  }
}
