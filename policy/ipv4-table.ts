// IPv4 rules flattened into sorted, disjoint intervals with a bucket index on the top bits, sized so
// a bucket holds about one interval. A lookup reads one bucket, binary-searches the few intervals in
// it and walks up the chain of enclosing rules only past expired ones, so its cost stays flat from
// 100 to 1M rules; a hash map per prefix length costs one cache miss per length in use, which this avoids.

import type { Network } from "./cidr";

/** What the table needs of a rule: its network. The matcher's rules carry more, which the table hands back. */
export interface NetworkRule {
  network: Network;
}

export interface Ipv4Table<Rule extends NetworkRule> {
  /** The most specific rule covering `value` for which `alive` holds, walking outwards. */
  find(value: number, alive: (rule: Rule) => boolean): Rule | null;
}

// 2^8 buckets at least; 2^22 (16 MiB of index) at most, reached near 2M intervals (1M rules).
const MIN_BUCKET_BITS = 8;
const MAX_BUCKET_BITS = 22;
const SPACE = 2 ** 32;

/** Builds the table. CIDR networks nest or are disjoint, which the sweep relies on. */
export function compileIpv4Table<Rule extends NetworkRule>(rules: readonly Rule[]): Ipv4Table<Rule> {
  const sorted = rules
    .filter((rule) => rule.network.version === 4)
    .sort((a, b) => (a.network.start as number) - (b.network.start as number) || a.network.prefix - b.network.prefix);
  const parents = new Int32Array(sorted.length).fill(-1);
  const starts: number[] = [];
  const owners: number[] = [];
  const emit = (start: number, owner: number) => {
    if (start >= SPACE) return;
    if (starts.at(-1) === start) owners[owners.length - 1] = owner;
    else if (owners.at(-1) !== owner) {
      starts.push(start);
      owners.push(owner);
    }
  };

  emit(0, -1);
  const open: number[] = [];
  const close = (until: number) => {
    while (open.length > 0 && endOf(sorted[open.at(-1)!]!) < until) {
      const closed = open.pop()!;
      emit(endOf(sorted[closed]!) + 1, open.at(-1) ?? -1);
    }
  };
  for (const [index, rule] of sorted.entries()) {
    close(rule.network.start as number);
    parents[index] = open.at(-1) ?? -1;
    open.push(index);
    emit(rule.network.start as number, index);
  }
  close(SPACE);

  const startTable = Uint32Array.from(starts);
  const ownerTable = Int32Array.from(owners);
  const bits = Math.min(MAX_BUCKET_BITS, Math.max(MIN_BUCKET_BITS, Math.ceil(Math.log2(startTable.length))));
  const shift = 32 - bits;
  const buckets = bucketIndex(startTable, bits);

  return {
    find(value, alive) {
      const bucket = value >>> shift;
      let lo = buckets[bucket]!;
      let hi = buckets[bucket + 1]!;
      // The last interval whose start is at or below `value` lies in [lo, hi].
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (startTable[mid]! <= value) lo = mid;
        else hi = mid - 1;
      }
      for (let owner = ownerTable[lo]!; owner >= 0; owner = parents[owner]!) {
        const rule = sorted[owner]!;
        if (alive(rule)) return rule;
      }
      return null;
    },
  };
}

function endOf(rule: NetworkRule): number {
  return (rule.network.start as number) + 2 ** (32 - rule.network.prefix) - 1;
}

/** For each bucket, the interval holding the bucket's first address; one extra entry closes the last. */
function bucketIndex(starts: Uint32Array, bits: number): Uint32Array {
  const count = 2 ** bits;
  const index = new Uint32Array(count + 1);
  let interval = 0;
  for (let bucket = 0; bucket < count; bucket++) {
    const first = bucket * 2 ** (32 - bits);
    while (interval + 1 < starts.length && starts[interval + 1]! <= first) interval++;
    index[bucket] = interval;
  }
  index[count] = starts.length - 1;
  return index;
}
