// The IP rule matcher, compiled once from a rule list; lookup cost does not grow with the rule count.
// IPv4 goes through a bucketed interval table (ipv4-table.ts). IPv6 rules, far fewer in practice,
// sit in one hash map per prefix length in use: a lookup masks and probes once per length.
// Node's net.BlockList scans every rule (about 2 ms a check at 100k rules) and answers false on garbage.

import { maskV6, type Network } from "./cidr";
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
  readonly size: number;
}

type Alive = (rule: MatchableRule) => boolean;

/** Compiles rules into a matcher. */
export function compileIpMatcher(rules: readonly MatchableRule[]): IpMatcher {
  const v4 = compileIpv4Table(rules);
  const v6 = compileIpv6Table(rules);
  const find = (address: IpAddress, alive: Alive) =>
    address.version === 4 ? v4.find(address.value, alive) : v6(address.value, alive);
  return {
    size: rules.length,
    match(address, now) {
      return find(unmapIpv4(address), (rule) => rule.expiresAt === null || rule.expiresAt > now);
    },
    covering(network, until) {
      const start: IpAddress =
        network.version === 4 ? { version: 4, value: network.start } : { version: 6, value: network.start };
      return find(start, (rule) => rule.network.prefix <= network.prefix && !outlives(until, rule.expiresAt));
    },
  };
}

function compileIpv6Table(rules: readonly MatchableRule[]): (value: bigint, alive: Alive) => MatchableRule | null {
  const byPrefix = new Map<number, Map<bigint, MatchableRule[]>>();
  for (const rule of rules) {
    if (rule.network.version !== 6) continue;
    let byStart = byPrefix.get(rule.network.prefix);
    if (byStart === undefined) byPrefix.set(rule.network.prefix, (byStart = new Map()));
    const same = byStart.get(rule.network.start);
    if (same === undefined) byStart.set(rule.network.start, [rule]);
    else same.push(rule);
  }
  // Most specific first, so a reason names the narrowest rule that hid the visitor.
  const rows = [...byPrefix.entries()]
    .sort(([a], [b]) => b - a)
    .map(([prefix, byStart]) => ({ mask: maskV6(prefix), byStart }));
  return (value, alive) => {
    for (const row of rows) {
      const found = row.byStart.get(value & row.mask)?.find(alive);
      if (found !== undefined) return found;
    }
    return null;
  };
}

/** Whether an expiry `a` lasts strictly longer than `b` (null is forever). */
function outlives(a: number | null, b: number | null): boolean {
  if (b === null) return false;
  return a === null || a > b;
}
