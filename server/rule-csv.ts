// Rules as CSV: the export (`GET /rules.csv`: kind, rule, comment, author, created, expires) and
// reading it back (`POST /rules {"csv"}`): every line valid or nothing stored, each bad line's
// number and why. What is restored is what a rule does: its kind, what it hides, its comment and
// its expiry; the one who restores it is its author from then on, as with any new rule.

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { parseCidr } from "../policy/cidr";
import type { LineError } from "../policy/rule-paste";
import { asText, parseAsn, RULE_KINDS, VISITOR_ID, type Rule, type RuleKind, type RuleTarget } from "../policy/rules";
import { MAX_COMMENT_CHARS } from "../policy/schema";

const CSV_COLUMNS = ["kind", "rule", "comment", "author", "created", "expires"] as const;

/** A line read from a CSV, ready to plan: what it hides, with its own comment and expiry. */
export interface CsvRule {
  line: number;
  target: RuleTarget;
  text: string;
  comment: string;
  expiresAt: number | null;
}

export type CsvRead = { ok: true; rules: CsvRule[]; expired: number[] } | { ok: false; errors: LineError[] };

function authorText(rule: Rule): string {
  const by = rule.createdBy;
  if (by.kind === "automatic") return "automatic protection";
  return by.kind === "agent" ? `agent ${by.email}` : by.email;
}

/**
 * What a spreadsheet reads as a formula. An agent's comment such as `=HYPERLINK(…)` would run when the
 * owner opens the export, so the export prefixes such a field with `'` (csv-stringify's
 * escape_formulas, the OWASP advice) and reading it back takes the `'` off again.
 */
const ESCAPED_FORMULA = /^'(?=[=+\-@\t\r'])/;

/** The most rules one CSV may restore, expired lines included: a paste's limit. */
const MAX_CSV_RULES = 10_000;
/** How much of a bad field an error repeats: enough to find it, never the whole of a huge one. */
const SHOWN_CHARS = 40;

/** ISO 8601 with a time and an offset, as the API takes expiries; Date.parse alone guesses at anything. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function shown(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** The rules as CSV, a header line first. */
export function rulesToCsv(rules: readonly Rule[]): string {
  return stringify(
    rules.map((rule) => [
      rule.kind,
      rule.rule,
      // escape_formulas leaves a leading ' alone; doubled here, it reads back as the one typed.
      rule.comment.startsWith("'") ? `'${rule.comment}` : rule.comment,
      authorText(rule),
      rule.createdAt,
      rule.expiresAt ?? "",
    ]),
    { header: true, columns: [...CSV_COLUMNS], escape_formulas: true },
  );
}

function targetOf(kind: RuleKind, text: string): { target: RuleTarget; text: string } | string {
  if (kind === "as") {
    const asn = parseAsn(text);
    return asn === null
      ? `"${shown(text)}" is not an AS number such as AS13335.`
      : { target: { kind, asn }, text: asText(asn) };
  }
  if (kind === "visitor") {
    return VISITOR_ID.test(text)
      ? { target: { kind, visitorId: text }, text }
      : `"${shown(text)}" is not a visitor id (v_ and 16 letters, digits, - or _).`;
  }
  const parsed = parseCidr(text);
  if (!parsed.ok)
    return text.length > SHOWN_CHARS ? `"${shown(text)}" is not an address or a network.` : parsed.error.message;
  const full = parsed.network.prefix === (parsed.network.version === 4 ? 32 : 128);
  if (kind === "address" && !full) return `${text} is a network: write its kind as network.`;
  return { target: { kind: full ? "address" : "network", network: parsed.network }, text: parsed.text };
}

function readLine(row: Record<string, string>, line: number, now: number): CsvRule | { expired: true } | string {
  const kind = row.kind?.trim() as RuleKind;
  if (!RULE_KINDS.includes(kind)) return `kind "${shown(row.kind ?? "")}" is not one of ${RULE_KINDS.join(", ")}.`;
  const read = targetOf(kind, row.rule?.trim() ?? "");
  if (typeof read === "string") return read;
  const comment = (row.comment ?? "").replace(ESCAPED_FORMULA, "").trim();
  if (comment.length > MAX_COMMENT_CHARS) return `The comment is longer than ${MAX_COMMENT_CHARS} characters.`;
  const expires = row.expires?.trim() ?? "";
  const expiresAt = expires === "" ? null : ISO_TIME.test(expires) ? Date.parse(expires) : Number.NaN;
  if (expiresAt !== null && Number.isNaN(expiresAt))
    return `"${shown(expires)}" is not a date: use ISO 8601, e.g. 2026-12-31T23:59:00Z, or leave it empty.`;
  // An export lists rules that expired lately; restoring them would hide nothing.
  if (expiresAt !== null && expiresAt <= now) return { expired: true };
  return { line, ...read, comment, expiresAt };
}

/** Reads a CSV of rules; line numbers count the header as line 1, as a spreadsheet does. */
export function readRulesCsv(csv: string, now: number): CsvRead {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      columns: true,
      skip_empty_lines: true,
      trim: false,
      relax_column_count: false,
      bom: true,
      // One record past the limit is enough to refuse: a huge CSV is not read to its end.
      to: MAX_CSV_RULES + 1,
    }) as Record<string, string>[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return {
      ok: false,
      errors: [
        {
          line,
          input: "",
          code: "csv",
          message: `This is not CSV of the export's layout: ${(error as Error).message}`,
        },
      ],
    };
  }
  if (rows.length > MAX_CSV_RULES) {
    const message = `A CSV may restore at most ${MAX_CSV_RULES} rules (expired lines included): split it.`;
    return { ok: false, errors: [{ line: MAX_CSV_RULES + 2, input: "", code: "csv_too_long", message }] };
  }
  const header = Object.keys(rows[0] ?? {});
  const missing = ["kind", "rule"].filter((column) => rows.length > 0 && !header.includes(column));
  if (rows.length === 0 || missing.length > 0) {
    return {
      ok: false,
      errors: [
        {
          line: 1,
          input: "",
          code: "csv_header",
          message: `The first line must name the columns ${CSV_COLUMNS.join(",")} (as the export does), and at least one rule must follow.`,
        },
      ],
    };
  }
  const rules: CsvRule[] = [];
  const expired: number[] = [];
  const errors: LineError[] = [];
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    const read = readLine(row, line, now);
    if (typeof read === "string")
      errors.push({ line, input: shown(`${row.kind ?? ""},${row.rule ?? ""}`), code: "invalid_line", message: read });
    else if ("expired" in read) expired.push(line);
    else rules.push(read);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules, expired };
}
