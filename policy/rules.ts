// Rules of every kind, in one list: what each hides (an address, a network, an autonomous system,
// one browser's visitor id), how each is written, and how the AS and visitor rules are matched.
// Address and network rules are matched by ip-matcher.ts; every kind shares the comment, author,
// time and expiry of a rule.

import type { Network } from "./cidr";
import { compileIpMatcher, type IpMatcher, type MatchableRule, type RemovedRules } from "./ip-matcher";

export const RULE_KINDS = ["address", "network", "as", "visitor"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** What a rule hides. An address is a network of full length (/32, /128), kept apart for the console. */
export type RuleTarget =
  | { kind: "address" | "network"; network: Network }
  | { kind: "as"; asn: number }
  | { kind: "visitor"; visitorId: string };

/** A rule as the matchers want it. `expiresAt` is epoch milliseconds, or null for never. */
export interface RuleEntry {
  id: string;
  target: RuleTarget;
  /** As the console shows it: `203.0.113.0/24`, `AS13335`, `v_…`. */
  text: string;
  expiresAt: number | null;
}

/** Who made a rule: a console user, an agent from a chat, or Hatch itself (automatic protection). */
export type RuleAuthor =
  | { kind: "console"; userId: string; email: string }
  | { kind: "agent"; userId: string; email: string; conversationId: string }
  | { kind: "automatic"; conversationId: string | null };

/** A rule as the API returns it. */
export interface Rule {
  id: string;
  kind: RuleKind;
  /** The rule as written: `203.0.113.7`, `203.0.113.0/24`, `AS13335`, `v_…`. */
  rule: string;
  /** What the console shows beside it: an AS's organisation, when known. */
  label: string | null;
  comment: string;
  createdBy: RuleAuthor;
  /** The chat a rule was made from, if any. */
  conversationId: string | null;
  createdAt: string;
  expiresAt: string | null;
}

/** The chat a rule was made from, as the console names a chat: by its visitor's address and when it started. */
export interface RuleChat {
  id: string;
  visitorIp: string;
  startedAt: string;
}

/** A rule as the list returns it: with its chat, null when it came from none or the chat has since been erased. */
export interface ListedRule extends Rule {
  chat: RuleChat | null;
}

/** A visitor id as the widget makes it: `v_` and 16 base64url characters (96 random bits). */
export const VISITOR_ID = /^v_[A-Za-z0-9_-]{16}$/;

/** AS numbers are 32 bits (RFC 6793); 0 and 4294967295 are reserved (RFC 7607, RFC 7300). */
const MAX_ASN = 4_294_967_294;

/**
 * Reads `AS13335` (any case, no spaces, no leading zeros) as an AS number; null when the text is not one.
 * @example parseAsn("as13335") // 13335
 */
export function parseAsn(text: string): number | null {
  const match = /^as([1-9]\d{0,9})$/i.exec(text);
  if (!match) return null;
  const asn = Number(match[1]);
  return asn <= MAX_ASN ? asn : null;
}

export function asText(asn: number): string {
  return `AS${asn}`;
}

/** Rules keyed by what they hide (an AS number, a visitor id), each key's live rule found without a scan. */
export interface KeyedRules<Key> {
  /** The live rule for `key`, or null. */
  match(key: Key, now: number): RuleEntry | null;
  /** The rule for `key` that lives at least until `until` (null: forever), or null: a new one would add nothing. */
  covering(key: Key, until: number | null): RuleEntry | null;
  /** Holds `entry` from now on (if it has a key here), unless it holds a rule of that id already. */
  add(entry: RuleEntry): void;
  /**
   * How many keys have rules, removed ones included until the next compile: a verdict skips looking
   * up a visitor's AS when no rule could use it.
   */
  readonly size: number;
}

/** Rules by key, skipping the rules `removed` comes to hold. */
export function keyedRules<Key>(
  entries: readonly RuleEntry[],
  keyOf: (entry: RuleEntry) => Key | null,
  removed: RemovedRules = { count: 0, has: () => false },
): KeyedRules<Key> {
  const byKey = new Map<Key, RuleEntry[]>();
  const held = (entry: RuleEntry) => removed.count === 0 || !removed.has(entry.id);
  // A plain `size`, kept as keys are added: a getter made every match slower.
  const keyed = {
    size: 0,
    match(key: Key, now: number) {
      return (
        byKey.get(key)?.find((entry) => (entry.expiresAt === null || entry.expiresAt > now) && held(entry)) ?? null
      );
    },
    covering(key: Key, until: number | null) {
      return (
        byKey
          .get(key)
          ?.find(
            (entry) => (entry.expiresAt === null || (until !== null && entry.expiresAt >= until)) && held(entry),
          ) ?? null
      );
    },
    add(entry: RuleEntry) {
      const key = keyOf(entry);
      if (key === null) return;
      const same = byKey.get(key);
      if (same === undefined) {
        byKey.set(key, [entry]);
        keyed.size = byKey.size;
      } else if (!same.some((other) => other.id === entry.id)) same.push(entry);
    },
  };
  for (const entry of entries) keyed.add(entry);
  return keyed;
}

/**
 * Rules compiled for matching: addresses and networks in the IP matcher, AS and visitor rules by key.
 * A change is applied rule by rule (add, remove), without compiling the rest again.
 */
export interface CompiledRules {
  ip: IpMatcher;
  as: KeyedRules<number>;
  visitors: KeyedRules<string>;
  /** Holds these rules too; one already held (by id) or removed before is skipped. */
  add(entries: readonly RuleEntry[]): void;
  /** Stops matching the rules of these ids. */
  remove(ids: readonly string[]): void;
}

function matchable(entry: RuleEntry): MatchableRule | null {
  const { target } = entry;
  return target.kind === "address" || target.kind === "network"
    ? { id: entry.id, network: target.network, text: entry.text, expiresAt: entry.expiresAt }
    : null;
}

export function compileRules(entries: readonly RuleEntry[]): CompiledRules {
  const ids = new Set<string>();
  const removed = { count: 0, has: (id: string) => ids.has(id) };
  const ip = compileIpMatcher(
    entries.flatMap((entry) => matchable(entry) ?? []),
    removed,
  );
  const as = keyedRules(entries, (entry) => (entry.target.kind === "as" ? entry.target.asn : null), removed);
  const visitors = keyedRules(
    entries,
    (entry) => (entry.target.kind === "visitor" ? entry.target.visitorId : null),
    removed,
  );
  return {
    ip,
    as,
    visitors,
    add(added) {
      for (const entry of added) {
        if (ids.has(entry.id)) continue;
        const rule = matchable(entry);
        if (rule !== null) ip.add(rule);
        else if (entry.target.kind === "as") as.add(entry);
        else visitors.add(entry);
      }
    },
    remove(gone) {
      for (const id of gone) ids.add(id);
      removed.count = ids.size;
    },
  };
}
