// One bounded memo for the answers the hot paths compute from a few repeated keys (pages, origins,
// proxy peers, header lengths). One rule for all: at most `max` entries, and a full memo starts
// afresh. A flood of made-up keys then costs what it would without the memo, and never memory;
// the keys that matter come back on their next use. Not lru-cache: its recency bookkeeping on
// every hit is work the verdict's path would pay on each page view, for keys that are few.

export class BoundedMemo<Key, Value> {
  private readonly entries = new Map<Key, Value>();

  constructor(private readonly max: number) {}

  // A get and a set rather than get(key, compute): a compute that needs more than the key would be a
  // closure made on every call, hits included, and these run on every verdict.

  /** The value remembered for `key`, or undefined. */
  get(key: Key): Value | undefined {
    return this.entries.get(key);
  }

  /** Remembers `value` for `key` (starting afresh when full) and answers it. */
  set(key: Key, value: Value): Value {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** Entries held: for the tests. */
  get size(): number {
    return this.entries.size;
  }
}
