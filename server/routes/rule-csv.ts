// Rules as CSV: the export (`GET /rules.csv`: kind, rule, comment, author, created, expires), written a
// batch of rules at a time, and reading it back (`POST /rules {"csv"}`): every line valid or nothing
// stored, each bad line's number and why. What is restored is what a rule does: its kind, what it
// hides, its comment and its expiry; the one who restores it is its author from then on, as with any
// new rule. A line twice keeps the longer-lived of the two.

import { setImmediate as nextTurn } from "node:timers/promises";
import { parse, type InfoField, type Options } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { parseCidr } from "../../policy/cidr";
import type { LineError } from "../../policy/rule-paste";
import {
  asText,
  parseAsn,
  RULE_KINDS,
  VISITOR_ID,
  type Rule,
  type RuleKind,
  type RuleTarget,
} from "../../policy/rules";
import { expiryTimeSchema, ruleCommentSchema } from "../../policy/schema";
import { MAX_CSV_RECORD_BYTES, MAX_CSV_RULES } from "../limits";

const CSV_COLUMNS = ["kind", "rule", "comment", "author", "created", "expires"] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** A line read from a CSV, ready to plan: what it hides, with its own comment and expiry. */
interface CsvRule {
  line: number;
  target: RuleTarget;
  text: string;
  comment: string;
  expiresAt: number | null;
}

/** `merged`: lines that repeat a longer-lived (or as long-lived, earlier) line of the same CSV. */
export type CsvRead =
  { ok: true; rules: CsvRule[]; merged: number[]; expired: number[] } | { ok: false; errors: LineError[] };

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

/** Bytes parsed per turn of the event loop: at most a thousand records of the shortest kind, ~20 ms. */
const PARSE_CHUNK_BYTES = 2_048;
/** How much of a bad field an error repeats: enough to find it, never the whole of a huge one. */
const SHOWN_CHARS = 40;

function shown(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** The export's first line. */
export const CSV_HEADER = stringify([], { header: true, columns: [...CSV_COLUMNS] });

/** Rules as lines of the export, without the header: written a batch at a time. */
export function rulesToCsvLines(rules: readonly Rule[]): string {
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
    { escape_formulas: true },
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

type Row = Partial<Record<CsvColumn, string>>;

function readLine(row: Row, line: number, now: number): CsvRule | { expired: true } | string {
  const kind = row.kind?.trim() as RuleKind;
  if (!RULE_KINDS.includes(kind)) return `kind "${shown(row.kind ?? "")}" is not one of ${RULE_KINDS.join(", ")}.`;
  const read = targetOf(kind, row.rule?.trim() ?? "");
  if (typeof read === "string") return read;
  const comment = ruleCommentSchema.safeParse((row.comment ?? "").replace(ESCAPED_FORMULA, ""));
  if (!comment.success) return comment.error.issues[0]!.message;
  const expires = row.expires?.trim() ?? "";
  // The API's own check (policy/schema.ts): a day the calendar has, seconds and an offset.
  if (expires !== "" && !expiryTimeSchema.safeParse(expires).success)
    return `expires "${shown(expires)}" is not a date and time that exists: use ISO 8601, e.g. 2026-12-31T23:59:00Z, or leave it empty.`;
  const expiresAt = expires === "" ? null : Date.parse(expires);
  // An export lists rules that expired lately; restoring them would hide nothing.
  if (expiresAt !== null && expiresAt <= now) return { expired: true };
  return { line, ...read, comment: comment.data, expiresAt };
}

/** A CSV refused for its shape, at a line. */
class CsvShapeError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks each field as csv-parse reads it: a header of the export's columns, each once, and no record
 * longer than the export's six columns. Checked field by field, so a line of six million commas or a
 * header of millions of columns is refused at its seventh field, not after it is all read.
 */
function fieldChecker(): (value: string, context: InfoField) => string {
  const header: string[] = [];
  return (value, context) => {
    const line = context.lines;
    if (context.index >= CSV_COLUMNS.length)
      throw new CsvShapeError(
        line,
        `more than ${CSV_COLUMNS.length} columns; the export has ${CSV_COLUMNS.join(",")}.`,
      );
    if (!context.header) return value;
    const name = value.trim();
    const column = `column ${context.index + 1} ("${shown(name)}")`;
    if (!(CSV_COLUMNS as readonly string[]).includes(name))
      throw new CsvShapeError(line, `the header's ${column} is not one of ${CSV_COLUMNS.join(", ")}.`);
    const earlier = header.indexOf(name);
    if (earlier >= 0)
      throw new CsvShapeError(line, `the header's ${column} repeats column ${earlier + 1}: name each column once.`);
    header.push(name);
    return name;
  };
}

function refused(line: number, code: string, message: string): CsvRead {
  return { ok: false, errors: [{ line, input: "", code, message }] };
}

/** What csv-parse refused, said for this CSV: the line, and why. */
function parseFailure(error: unknown): CsvRead {
  if (error instanceof CsvShapeError) return refused(error.line, "csv_shape", error.message);
  const { code, lines = 1 } = error as { code?: string; lines?: number };
  if (code === "CSV_MAX_RECORD_SIZE")
    return refused(
      lines,
      "csv_line_too_long",
      `longer than ${MAX_CSV_RECORD_BYTES.toLocaleString("en")} bytes, which no line of an export is.`,
    );
  return refused(lines, "csv", `This is not CSV of the export's layout: ${(error as Error).message}`);
}

/** Whether a rule lasting until `a` outlives one lasting until `b` (null is forever). */
function outlives(a: number | null, b: number | null): boolean {
  return b !== null && (a === null || a > b);
}

/** The lines to add, one per thing hidden, each the longest-lived of its repeats; and the repeats. */
function longestLived(rules: readonly CsvRule[]): { rules: CsvRule[]; merged: number[] } {
  const kept = new Map<string, CsvRule>();
  const merged: number[] = [];
  for (const rule of rules) {
    const key = `${rule.target.kind}:${rule.text}`;
    const other = kept.get(key);
    if (other === undefined) kept.set(key, rule);
    else if (outlives(rule.expiresAt, other.expiresAt)) {
      merged.push(other.line);
      kept.set(key, rule);
    } else merged.push(rule.line);
  }
  return {
    rules: [...kept.values()].sort((a, b) => a.line - b.line),
    merged: merged.sort((a, b) => a - b),
  };
}

type Parsed = { record: Row; info: { lines: number } };

/**
 * Parses `csv` a chunk at a time with a turn of the event loop between chunks: even a CSV whose
 * every line is right (10,000 rules, or eight million blank lines) never holds the instance for
 * long. Rejects with csv-parse's error, or the field checker's.
 */
async function parseInTurns(csv: string, options: Options): Promise<Parsed[]> {
  const parser = parse(options);
  const records: Parsed[] = [];
  let failure: unknown = null;
  const settled = new Promise<void>((resolve) => {
    parser.on("end", resolve);
    parser.on("close", resolve);
    parser.on("error", (error) => {
      failure ??= error;
      resolve();
    });
  });
  parser.on("data", (record: Parsed) => records.push(record));
  // Written as bytes: a chunk may end inside a character, which csv-parse puts together again.
  const bytes = Buffer.from(csv);
  const open = () => failure === null && !parser.writableEnded && !parser.destroyed;
  for (let at = 0; at < bytes.length && open(); at += PARSE_CHUNK_BYTES) {
    parser.write(bytes.subarray(at, at + PARSE_CHUNK_BYTES));
    await nextTurn();
  }
  if (open()) parser.end();
  await settled;
  if (failure !== null) throw failure;
  return records;
}

/** Reads a CSV of rules; line numbers count the header as line 1, as a spreadsheet does. */
export async function readRulesCsv(csv: string, now: number): Promise<CsvRead> {
  let records: Parsed[];
  try {
    records = await parseInTurns(csv, {
      columns: true,
      cast: fieldChecker(),
      max_record_size: MAX_CSV_RECORD_BYTES,
      skip_empty_lines: true,
      trim: false,
      relax_column_count: false,
      bom: true,
      info: true,
      // One record past the limit is enough to refuse: a huge CSV is not read to its end.
      to: MAX_CSV_RULES + 1,
    });
  } catch (error) {
    return parseFailure(error);
  }
  if (records.length > MAX_CSV_RULES)
    return refused(
      MAX_CSV_RULES + 2,
      "csv_too_long",
      `A CSV may restore at most ${MAX_CSV_RULES} rules (expired lines included): split it.`,
    );
  const first = records[0]?.record ?? {};
  if (records.length === 0 || !("kind" in first) || !("rule" in first))
    return refused(
      1,
      "csv_header",
      `The first line must name the columns ${CSV_COLUMNS.join(",")} (as the export does; kind and rule at least), and at least one rule must follow.`,
    );
  const rules: CsvRule[] = [];
  const expired: number[] = [];
  const errors: LineError[] = [];
  for (const { record, info } of records) {
    // info.lines is where the record ends; a quoted field may have run over several lines.
    const line = info.lines - newlines(record);
    const read = readLine(record, line, now);
    if (typeof read === "string")
      errors.push({
        line,
        input: shown(`${record.kind ?? ""},${record.rule ?? ""}`),
        code: "invalid_line",
        message: read,
      });
    else if ("expired" in read) expired.push(line);
    else rules.push(read);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, ...longestLived(rules), expired };
}

/** How many line breaks a record's fields hold. */
function newlines(record: Row): number {
  return Object.values(record).reduce((count, value) => count + (value?.split("\n").length ?? 1) - 1, 0);
}
