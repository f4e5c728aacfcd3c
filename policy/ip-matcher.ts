// The IP rule matcher, compiled once from a rule list; lookup cost does not grow with the rule count.
// IPv4 goes through a bucketed interval table (ipv4-table.ts). IPv6 rules, far fewer in practice,
// sit in one hash map per prefix length in use: a lookup masks and probes once per length.
// Rules added after the compile (a ban, a paste) go into such maps too, for IPv4 beside the table,
// so a change costs what it adds, not a compile of every rule (server/verdict/policy-cache.ts).
// Node's net.BlockList scans every rule (about 2 ms a check at 100k rules) and answers false on garbage.

import { maskV4, maskV6, type Network } from "./cidr";
import { unmapIpv4, type IpAddress } from "./ip";
import { compileIpv4Table } from "./ipv4-table";

/** What the matcher needs of a rule. `expiresAt` is epoch milliseconds, or null for never. */
export interface MatchableRule {
  id: string;
  network: Network;
  /** The network as the console shows it, e.g. `203.0.113.0/24`. */
  text: string;
  expiresAt: number | null;
}

export interface IpMatcher {
  /** The live rule that covers `address` (most specific first), or null. IPv4-mapped IPv6 matches IPv4. */
  match(address: IpAddress, now: number): MatchableRule | null;
  /** The rule whose network contains all of `network` and lives at least until `until` (null = forever). */
  covering(network: Network, until: number | null): MatchableRule | null;
  /** Holds `rule` from now on, unless it holds a rule of that id already. */
  add(rule: MatchableRule): void;
  /** Rules compiled and added, removed ones included. */
  readonly size: number;
}

type Alive = (rule: MatchableRule) => boolean;

/** The ids of rules taken out since a compile, which the matchers skip. */
export interface RemovedRules {
  /** How many: a plain field, as every match reads it (a Set's size getter made each match twice as slow). */
  readonly count: number;
  has(id: string): boolean;
}

const NONE_REMOVED: RemovedRules = { count: 0, has: () => false };

/** Compiles rules into a matcher, which skips the rules `removed` comes to hold (CompiledRules adds to it). */
export function compileIpMatcher(rules: readonly MatchableRule[], removed = NONE_REMOVED): IpMatcher {
  const v4 = compileIpv4Table(rules);
  /** IPv4 rules added since the compile: the table is only ever built whole. */
  const added4 = new PrefixMaps<number>(maskV4, (value, mask) => (value & mask) >>> 0);
  const v6 = new PrefixMaps<bigint>(maskV6, v6Key);
  for (const rule of rules) if (rule.network.version === 6) v6.add(rule, rule.network.start);
  const find = (address: IpAddress, wanted: Alive): MatchableRule | null => {
    const alive = removed.count === 0 ? wanted : (rule: MatchableRule) => !removed.has(rule.id) && wanted(rule);
    if (address.version === 6) return v6.find(address.value, alive);
    const compiled = v4.find(address.value, alive);
    if (added4.size === 0) return compiled;
    const later = added4.find(address.value, alive);
    return later !== null && (compiled === null || later.network.prefix > compiled.network.prefix) ? later : compiled;
  };
  const startOf = (network: Network): IpAddress =>
    network.version === 4 ? { version: 4, value: network.start } : { version: 6, value: network.start };
  // A plain object with a plain `size`: a getter here made every match three times slower.
  const matcher = {
    size: rules.length,
    match(address: IpAddress, now: number) {
      return find(unmapIpv4(address), (rule) => rule.expiresAt === null || rule.expiresAt > now);
    },
    covering(network: Network, until: number | null) {
      return find(
        startOf(network),
        (rule) => rule.network.prefix <= network.prefix && !outlives(until, rule.expiresAt),
      );
    },
    add(rule: MatchableRule) {
      // Every rule that holds an address is on the way out from it, the rule itself included.
      if (find(startOf(rule.network), (held) => held.id === rule.id) !== null) return;
      if (rule.network.version === 4) added4.add(rule, rule.network.start);
      else v6.add(rule, rule.network.start);
      matcher.size += 1;
    },
  };
  return matcher;
}

/**
 * The key of the IPv6 network of `mask` that holds `value`: its first address with the upper 64 bits
 * folded into the lower ones. V8 hashes a BigInt by its lowest 64 bits alone, which are all zero in
 * every /64 (the networks bans are made of): keyed by the address itself, a map of many /64s is a list.
 * The fold is one-to-one (the upper bits stay as they are), so it finds what the address would.
 */
function v6Key(value: bigint, mask: bigint): bigint {
  const start = value & mask;
  return start ^ (start >> 64n);
}

/** Rules in one hash map per prefix length in use, probed most specific first. */
class PrefixMaps<Value extends number | bigint> {
  private rows: { prefix: number; mask: Value; byStart: Map<Value, MatchableRule[]> }[] = [];
  size = 0;

  constructor(
    private readonly maskOf: (prefix: number) => Value,
    /** The map's key for the network of `mask` that holds `value`. */
    private readonly masked: (value: Value, mask: Value) => Value,
  ) {}

  add(rule: MatchableRule, start: Value): void {
    const { prefix } = rule.network;
    let row = this.rows.find((candidate) => candidate.prefix === prefix);
    if (row === undefined) {
      row = { prefix, mask: this.maskOf(prefix), byStart: new Map() };
      // Most specific first, so a reason names the narrowest rule that hid the visitor.
      this.rows = [...this.rows, row].sort((a, b) => b.prefix - a.prefix);
    }
    const key = this.masked(start, row.mask);
    const same = row.byStart.get(key);
    if (same === undefined) row.byStart.set(key, [rule]);
    else same.push(rule);
    this.size += 1;
  }

  find(value: Value, alive: Alive): MatchableRule | null {
    for (const row of this.rows) {
      const found = row.byStart.get(this.masked(value, row.mask))?.find(alive);
      if (found !== undefined) return found;
    }
    return null;
  }
}

/** Whether an expiry `a` lasts strictly longer than `b` (null is forever). */
function outlives(a: number | null, b: number | null): boolean {
  if (b === null) return false;
  return a === null || a > b;
}
