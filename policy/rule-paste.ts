// Turning pasted lines into rules: addresses, networks and (where asked for) AS numbers; every line
// valid or nothing stored, each bad line's number and reason, host bits cleared, duplicates and what
// a wider rule already covers merged.

import { networkKey, networkOf, parseCidr, type Network } from "./cidr";
import type { IpMatcher } from "./ip-matcher";
import { asText, parseAsn, type KeyedRules, type RuleTarget } from "./rules";
import { MAX_RULE_LINES, MAX_RULE_LINE_CHARS } from "./limits";

export interface LineError {
  line: number;
  input: string;
  code: string;
  message: string;
}

/** What happened to one line: stored as `text`, or merged into an existing rule or an earlier line. */
export type LineOutcome =
  | { line: number; input: string; status: "added"; target: RuleTarget; text: string; hostBitsCleared: boolean }
  | { line: number; input: string; status: "merged"; text: string; into: string; message: string };

export type RulePlan = { ok: true; outcomes: LineOutcome[] } | { ok: false; errors: LineError[] };

/** The rules a paste is planned against: what is stored, as the matchers hold it. */
export interface StoredRules {
  ip: IpMatcher;
  /** Absent: AS lines are not taken (the IP rules route, the console's IP-only paste). */
  as?: KeyedRules<number>;
}

type Parsed =
  | { line: number; input: string; network: Network; text: string; hostBitsCleared: boolean }
  | { line: number; input: string; asn: number; text: string };

/**
 * Plans the rules for a paste against the rules already stored. Blank lines and lines starting
 * with `#` are skipped, so a commented list can be pasted as is.
 * @example planRules("203.0.113.7/24\nAS13335", { ip: compileIpMatcher([]), as: keyedRules([], () => null) }, null)
 */
export function planRules(paste: string, stored: StoredRules, expiresAt: number | null): RulePlan {
  const parsed = parseLines(paste, stored.as !== undefined);
  if (!Array.isArray(parsed)) return { ok: false, errors: parsed.errors };
  const networks = parsed.filter((item) => "network" in item);
  // Wider networks first, so a narrower line merges into a wider one wherever it was pasted.
  networks.sort((a, b) => a.network.prefix - b.network.prefix || a.line - b.line);
  const batch = new BatchIndex();
  const outcomes: LineOutcome[] = [];
  for (const item of networks) {
    const kept = stored.ip.covering(item.network, expiresAt);
    const earlier = batch.covering(item.network);
    if (kept !== null) outcomes.push(merged(item, kept.id, kept.text));
    else if (earlier !== null) outcomes.push(merged(item, `line ${earlier.line}`, earlier.text));
    else {
      batch.add(item);
      const full = item.network.prefix === (item.network.version === 4 ? 32 : 128);
      const target: RuleTarget = { kind: full ? "address" : "network", network: item.network };
      outcomes.push({
        line: item.line,
        input: item.input,
        status: "added",
        target,
        text: item.text,
        hostBitsCleared: item.hostBitsCleared,
      });
    }
  }
  const earlierAs = new Map<number, number>();
  for (const item of parsed) {
    if (!("asn" in item)) continue;
    const kept = stored.as?.covering(item.asn, expiresAt) ?? null;
    const earlier = earlierAs.get(item.asn);
    if (kept !== null) outcomes.push(merged(item, kept.id, kept.text));
    else if (earlier !== undefined) outcomes.push(merged(item, `line ${earlier}`, item.text));
    else {
      earlierAs.set(item.asn, item.line);
      outcomes.push({
        line: item.line,
        input: item.input,
        status: "added",
        target: { kind: "as", asn: item.asn },
        text: item.text,
        hostBitsCleared: false,
      });
    }
  }
  return { ok: true, outcomes: outcomes.sort((a, b) => a.line - b.line) };
}

/** planRules() for addresses and networks alone. */
export function planIpRules(paste: string, existing: IpMatcher, expiresAt: number | null): RulePlan {
  return planRules(paste, { ip: existing }, expiresAt);
}

function parseLines(paste: string, asTaken: boolean): Parsed[] | { errors: LineError[] } {
  const lines = paste.split(/\r?\n/);
  if (lines.length > MAX_RULE_LINES) {
    return {
      errors: [
        {
          line: MAX_RULE_LINES + 1,
          input: "",
          code: "too_many_lines",
          message: `A paste may hold at most ${MAX_RULE_LINES} lines; this one has ${lines.length}. Split it into smaller pastes.`,
        },
      ],
    };
  }
  const parsed: Parsed[] = [];
  const errors: LineError[] = [];
  for (const [index, raw] of lines.entries()) {
    const input = raw.trim();
    const line = index + 1;
    if (input === "" || input.startsWith("#")) continue;
    if (input.length > MAX_RULE_LINE_CHARS) {
      errors.push({
        line,
        input: input.slice(0, 40) + "…",
        code: "line_too_long",
        message: `Line is longer than ${MAX_RULE_LINE_CHARS} characters: put one address or network on each line.`,
      });
      continue;
    }
    const asn = asTaken ? parseAsn(input) : null;
    if (asn !== null) {
      parsed.push({ line, input, asn, text: asText(asn) });
      continue;
    }
    const result = parseCidr(input);
    if (result.ok)
      parsed.push({ line, input, network: result.network, text: result.text, hostBitsCleared: result.hostBitsCleared });
    else errors.push({ line, input, ...asLineHint(input, asTaken, result.error) });
  }
  if (errors.length > 0) return { errors };
  if (parsed.length === 0) {
    return {
      errors: [
        {
          line: 1,
          input: "",
          code: "no_rules",
          message: asTaken
            ? "Enter at least one IP address, network or AS number (AS13335), one per line."
            : "Enter at least one IP address or network, one per line.",
        },
      ],
    };
  }
  return parsed;
}

/** An AS line where only addresses are taken, or a malformed AS line, says so rather than "not an address". */
function asLineHint(
  input: string,
  asTaken: boolean,
  error: { code: string; message: string },
): { code: string; message: string } {
  if (!/^as\s*\d/i.test(input)) return error;
  if (!asTaken)
    return {
      code: "as_not_here",
      message: `${input} is an AS number: add it under Rules, where every kind of rule goes.`,
    };
  return {
    code: "as_invalid",
    message: `${input} is not an AS number: write AS and the number, e.g. AS13335 (1 to 4294967294, no leading zeros).`,
  };
}

/** A line that a stored rule (`into`, written `intoText`) or an earlier line already covers. */
export function merged(item: Pick<Parsed, "line" | "input" | "text">, into: string, intoText: string): LineOutcome {
  const message =
    intoText === item.text
      ? `${item.text} is already blocked; merged with the existing rule.`
      : `${item.text} is already covered by ${intoText}; merged into it.`;
  return { line: item.line, input: item.input, status: "merged", text: item.text, into, message };
}

type ParsedNetwork = Extract<Parsed, { network: Network }>;

/** The lines accepted so far in this paste, probed once per prefix length in use. */
class BatchIndex {
  private readonly byKey = new Map<string, ParsedNetwork>();
  private readonly prefixes = new Set<number>();

  add(item: ParsedNetwork): void {
    this.byKey.set(networkKey(item.network), item);
    this.prefixes.add(item.network.prefix);
  }

  covering(network: Network): ParsedNetwork | null {
    for (const prefix of this.prefixes) {
      if (prefix > network.prefix) continue;
      const start =
        network.version === 4
          ? networkOf({ version: 4, value: network.start }, prefix)
          : networkOf({ version: 6, value: network.start }, prefix);
      const found = this.byKey.get(networkKey(start));
      if (found !== undefined) return found;
    }
    return null;
  }
}
