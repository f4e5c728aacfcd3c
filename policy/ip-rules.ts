// Turning pasted lines into IP rules: every line valid or nothing stored, each bad line's number
// and reason, host bits cleared, duplicates and networks a wider rule already covers merged.

import { networkKey, networkOf, parseCidr, type Network } from "./cidr";
import type { IpMatcher } from "./ip-matcher";

/** A paste is at most this many lines; more is almost surely the wrong file. */
export const MAX_RULE_LINES = 10_000;
/** The longest line worth parsing: an IPv6 network with an IPv4 tail is under 60 characters. */
export const MAX_RULE_LINE_CHARS = 100;

export interface LineError {
  line: number;
  input: string;
  code: string;
  message: string;
}

/** What happened to one line: stored as `text`, or merged into an existing rule or an earlier line. */
export type LineOutcome =
  | { line: number; input: string; status: "added"; network: Network; text: string; hostBitsCleared: boolean }
  | { line: number; input: string; status: "merged"; text: string; into: string; message: string };

export type RulePlan = { ok: true; outcomes: LineOutcome[] } | { ok: false; errors: LineError[] };

interface Parsed {
  line: number;
  input: string;
  network: Network;
  text: string;
  hostBitsCleared: boolean;
}

/**
 * Plans the rules for a paste against the rules already stored (as a matcher).
 * Blank lines and lines starting with `#` are skipped, so a commented list can be pasted as is.
 * @example planIpRules("203.0.113.7/24\n10.0.0.1", compileIpMatcher([]), null)
 */
export function planIpRules(paste: string, existing: IpMatcher, expiresAt: number | null): RulePlan {
  const parsed = parseLines(paste);
  if (!Array.isArray(parsed)) return { ok: false, errors: parsed.errors };
  // Wider networks first, so a narrower line merges into a wider one wherever it was pasted.
  const widestFirst = [...parsed].sort((a, b) => a.network.prefix - b.network.prefix || a.line - b.line);
  const batch = new BatchIndex();
  const outcomes: LineOutcome[] = [];
  for (const item of widestFirst) {
    const stored = existing.covering(item.network, expiresAt);
    const earlier = batch.covering(item.network);
    if (stored !== null) {
      outcomes.push(merged(item, stored.id, stored.text));
    } else if (earlier !== null) {
      outcomes.push(merged(item, `line ${earlier.line}`, earlier.text));
    } else {
      batch.add(item);
      outcomes.push({ ...item, status: "added" });
    }
  }
  return { ok: true, outcomes: outcomes.sort((a, b) => a.line - b.line) };
}

function parseLines(paste: string): Parsed[] | { errors: LineError[] } {
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
    const result = parseCidr(input);
    if (result.ok)
      parsed.push({ line, input, network: result.network, text: result.text, hostBitsCleared: result.hostBitsCleared });
    else errors.push({ line, input, ...result.error });
  }
  if (errors.length > 0) return { errors };
  if (parsed.length === 0) {
    return {
      errors: [
        { line: 1, input: "", code: "no_rules", message: "Enter at least one IP address or network, one per line." },
      ],
    };
  }
  return parsed;
}

function merged(item: Parsed, into: string, intoText: string): LineOutcome {
  const message =
    intoText === item.text
      ? `${item.text} is already blocked; merged with the existing rule.`
      : `${item.text} is already covered by ${intoText}; merged into it.`;
  return { line: item.line, input: item.input, status: "merged", text: item.text, into, message };
}

/** The lines accepted so far in this paste, probed once per prefix length in use. */
class BatchIndex {
  private readonly byKey = new Map<string, Parsed>();
  private readonly prefixes = new Set<number>();

  add(item: Parsed): void {
    this.byKey.set(networkKey(item.network), item);
    this.prefixes.add(item.network.prefix);
  }

  covering(network: Network): Parsed | null {
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
