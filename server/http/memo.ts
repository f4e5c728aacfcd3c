// One bounded memo for the answers the hot paths compute from a few repeated keys (pages, origins,
// proxy peers, header lengths). One rule for all: at most `max` entries, and a full memo starts
// afresh. A flood of made-up keys then costs what it would without the memo, and never memory;
// the keys that matter come back on their next use. Not lru-cache: its recency bookkeeping on
// every hit is work the verdict's path would pay on each page view, for keys that are few.

export class BoundedMemo<Key, Value> {
  private readonly entries = new Map<Key, Value>();

  constructor(private readonly max: number) {}

  /** The value remembered for `key`, or `compute(key)`, remembered. */
  get(key: Key, compute: (key: Key) => Value): Value {
    let value = this.entries.get(key);
    if (value === undefined) {
      if (this.entries.size >= this.max) this.entries.clear();
      value = compute(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Entries held: for the tests. */
  get size(): number {
    return this.entries.size;
  }
}
