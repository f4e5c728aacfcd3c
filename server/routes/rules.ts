// Rules of every kind: list them (agents too) with filters a page at a time and as CSV, add a paste
// of addresses, networks and AS numbers or a CSV export read back (every line valid or nothing
// stored), remove. `/ip-rules` keeps answering as before, for addresses and networks alone.
// Neither the list nor the export reads more than a page of rules at once: an account may hold 100k.

import { setImmediate as nextTurn } from "node:timers/promises";
import { Hono } from "hono";
import * as z from "zod/mini";
import { compileIpMatcher } from "../../policy/ip-matcher";
import { merged, planRules, type LineError, type LineOutcome, type RulePlan } from "../../policy/rule-paste";
import {
  compileRules,
  keyedRules,
  RULE_KINDS,
  type CompiledRules,
  type Rule,
  type RuleAuthor,
  type RuleTarget,
} from "../../policy/rules";
import { expiresAtSchema, ipRulesInputSchema, ruleCommentSchema, type IpRule } from "../../policy/schema";
import { ownerWrites, requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError, fieldError, parseWith } from "../http/errors";
import { readJson, type BodyLimit } from "../http/request-body";
import { announcePolicyChange } from "../realtime/policy-events";
import type { NewRule, RuleCursor, RuleFilter, RuleOrigin } from "../store/rules";
import { addressView } from "./address-view";
import { CSV_HEADER, readRulesCsv, rulesToCsvLines } from "./rule-csv";

/** 10,000 lines of up to 100 characters (or a CSV of as many rules with their comments), as JSON. */
const PASTE_LIMIT: BodyLimit = {
  maxBytes: 8_000_000,
  message: "That paste is too large: split it into pastes of at most 10,000 lines.",
};
const IP_PASTE_LIMIT: BodyLimit = { ...PASTE_LIMIT, maxBytes: 1_100_000 };
/** The rules list answers at most this many at a time: a page an owner can read, and a bounded answer. */
const LISTED_RULES = 1_000;
/** Rules the export reads and writes at a time: a few milliseconds of the store's and the event loop's time. */
const EXPORT_BATCH_RULES = 500;
/** A page's `next`: the time and id of its last rule (see RuleCursor). */
const CURSOR = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;
/** A 400 lists this many bad lines; the rest are counted, so a huge bad paste gets a short answer. */
const LISTED_BAD_LINES = 50;

const rulesInputSchema = z
  .strictObject({
    text: z.optional(z.string().check(z.maxLength(1_100_000, "That paste is too long: split it into smaller ones."))),
    csv: z.optional(z.string().check(z.maxLength(7_900_000, "That CSV is too long: split it into smaller ones."))),
    comment: z.optional(ruleCommentSchema),
    expiresAt: expiresAtSchema,
  })
  .check(
    z.refine((body) => (body.text === undefined) !== (body.csv === undefined), {
      error:
        'Send "text" (lines of addresses, networks and AS numbers, with a comment) or "csv" (an export of the rules), not both.',
    }),
    // A CSV carries each rule's own comment and expiry: one sent beside it would be silently lost.
    z.refine((body) => body.csv === undefined || (body.comment === undefined && body.expiresAt === undefined), {
      error: "A CSV carries each rule's comment and expiry in its own columns: send the csv alone.",
    }),
  );

const listQuerySchema = z.strictObject({
  kind: z.optional(z.enum(RULE_KINDS, { error: `kind is one of ${RULE_KINDS.join(", ")}.` })),
  author: z.optional(z.enum(["console", "agent", "automatic"], { error: "author is console, agent or automatic." })),
  status: z.optional(z.enum(["active", "expired"], { error: "status is active or expired." })),
  q: z.optional(z.string().check(z.maxLength(200, "A search is at most 200 characters."))),
  after: z.optional(z.string().check(z.regex(CURSOR, "after is the `next` of the page before, as it was answered."))),
  limit: z.optional(
    z.string().check(z.regex(/^([1-9]\d{0,2}|1000)$/, `limit is a whole number from 1 to ${LISTED_RULES}.`)),
  ),
});

/** Where the page after `rule` starts. */
function cursorAfter(rule: Rule): string {
  return `${Date.parse(rule.createdAt)}.${rule.id}`;
}

function cursorOf(text: string | undefined): RuleCursor | null {
  const match = text === undefined ? null : CURSOR.exec(text);
  return match ? { createdAt: Number(match[1]), id: match[2]! } : null;
}

/** The 400 for a paste or a CSV with bad lines: the first named, all listed under `fields`. */
function badLines(errors: readonly LineError[], field: "text" | "csv"): ApiError {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more bad lines)` : "";
  const listed = errors.slice(0, LISTED_BAD_LINES).map((e) => `line ${e.line}: ${e.message}`);
  if (errors.length > LISTED_BAD_LINES) listed.push(`…and ${errors.length - LISTED_BAD_LINES} more bad lines.`);
  return new ApiError(400, "invalid_lines", `Line ${first.line}: ${first.message}${more} Nothing was saved.`, {
    fields: {
      [field]: listed.join("\n"),
    },
  });
}

function expiryOf(raw: string | null | undefined, now: number): number | null {
  const expiresAt = raw ? Date.parse(raw) : null;
  if (expiresAt !== null && expiresAt <= now)
    throw fieldError("expiresAt", "The expiry is in the past: pick a later time, or none.");
  return expiresAt;
}

/**
 * A paste or CSV of up to this many new rules looks each up (one indexed query each, as a ban does);
 * a longer one is checked against all the account's rules, read and compiled once, cheaper per rule
 * past this many.
 */
const LOOKED_UP_RULES = 200;

/** What a paste is planned against first: nothing stored, so only its own lines merge; stored rules are looked up after. */
const NOTHING_STORED = { ip: compileIpMatcher([]), as: keyedRules<number>([], () => null) };

/** The rule that already does what a rule on `target` lasting until `until` would: its id and how it is written. */
type Covering = { id: string; text: string } | null;

function coveringOf(stored: CompiledRules, target: RuleTarget, until: number | null): Covering {
  const found =
    target.kind === "as"
      ? stored.as.covering(target.asn, until)
      : target.kind === "visitor"
        ? stored.visitors.covering(target.visitorId, until)
        : stored.ip.covering(target.network, until);
  return found && { id: found.id, text: found.text };
}

/** What a paste's plan adds. */
function added(plan: RulePlan): NewRule[] {
  return plan.ok
    ? plan.outcomes.flatMap((o) => (o.status === "added" ? [{ target: o.target, text: o.text }] : []))
    : [];
}

/** A paste's outcomes once the stored rules are known: a line a stored rule covers is merged into it. */
function outcomesAfter(plan: Extract<RulePlan, { ok: true }>, covering: readonly Covering[]): LineOutcome[] {
  let next = 0;
  return plan.outcomes.map((outcome) => {
    if (outcome.status !== "added") return outcome;
    const found = covering[next++];
    return found ? merged(outcome, found.id, found.text) : outcome;
  });
}

function toIpRule(rule: Rule): IpRule {
  return {
    id: rule.id,
    network: rule.rule,
    comment: rule.comment,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt,
    expiresAt: rule.expiresAt,
  };
}

/**
 * Rules of every kind: agents read, owners add and remove.
 * @example POST /api/v1/console/rules {"text":"203.0.113.7/24\nAS13335","comment":"spam"}
 *   → 201 {"rules":[{"kind":"network","rule":"203.0.113.0/24",…},{"kind":"as","rule":"AS13335","label":"Cloudflare, Inc.",…}],"lines":[…]}
 */
export function ruleRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  // "/rules/*" also matches "/rules" itself. The export is the owners' (DESIGN.md), as restoring it is.
  for (const path of ["/rules/*", "/ip-rules/*"]) app.use(path, requireUser(deps), ownerWrites());
  app.use("/rules.csv", requireUser(deps, "owner"));

  /** Names each AS rule's organisation, loading the ASN data only when there is such a rule to name. */
  async function labelled<R extends Rule>(rules: R[]): Promise<R[]> {
    if (!rules.some((rule) => rule.kind === "as")) return rules;
    await deps.networks.ready().catch(() => undefined);
    return rules.map((rule) =>
      rule.kind === "as" ? { ...rule, label: deps.networks.asNameIfLoaded(Number(rule.rule.slice(2))) } : rule,
    );
  }

  /**
   * Stores the rules of `wanted` that no stored rule already covers, under the account's lock; per
   * wanted rule, the stored one that covers it, or null where it was stored.
   */
  async function storeUncovered(
    accountId: string,
    wanted: readonly NewRule[],
    origin: RuleOrigin,
    now: number,
  ): Promise<{ covering: Covering[]; rules: Rule[] }> {
    if (wanted.length <= LOOKED_UP_RULES) {
      const { result, rules } = await deps.rules.addUncovered(accountId, wanted, origin, now);
      return { covering: result.map((rule) => rule && { id: rule.id, text: rule.rule }), rules };
    }
    const { result, rules } = await deps.rules.add(
      accountId,
      (current) => {
        const stored = compileRules(current);
        const covering = wanted.map((rule) =>
          coveringOf(stored, rule.target, rule.expiresAt === undefined ? origin.expiresAt : rule.expiresAt),
        );
        return { add: wanted.filter((_, i) => covering[i] === null), result: covering };
      },
      origin,
      now,
    );
    return { covering: result, rules };
  }

  /**
   * The filter a query asks for. A search also finds AS rules by their organisation's name, which
   * the ASN data holds and the store does not: the store is handed the AS numbers whose name has it.
   */
  async function filterOf(accountId: string, query: z.infer<typeof listQuerySchema>, now: number): Promise<RuleFilter> {
    const { q, kind, author, status } = query;
    const filter: RuleFilter = { kind, author, status };
    if (q === undefined || q === "") return filter;
    const asns = await deps.rules.asns(accountId, filter, now);
    if (asns.length > 0) await deps.networks.ready().catch(() => undefined);
    const needle = q.toLowerCase();
    const named = asns.filter((asn) => deps.networks.asNameIfLoaded(asn)?.toLowerCase().includes(needle));
    return { ...filter, search: { text: q, asns: named } };
  }

  /** The export, read from the store a batch at a time as the client reads it, with a turn of the event loop between batches. */
  function exported(accountId: string, filter: RuleFilter, now: number): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let after: RuleCursor | null = null;
    let started = false;
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(CSV_HEADER));
            return;
          }
          await nextTurn();
          const batch = await labelled(await deps.rules.list(accountId, filter, now, after, EXPORT_BATCH_RULES));
          if (batch.length > 0) controller.enqueue(encoder.encode(rulesToCsvLines(batch)));
          if (batch.length < EXPORT_BATCH_RULES) controller.close();
          else after = { createdAt: Date.parse(batch.at(-1)!.createdAt), id: batch.at(-1)!.id };
        },
      },
      // Nothing is read ahead: the next batch is read when the client has taken the last.
      { highWaterMark: 0 },
    );
  }

  // The newest rules first, a page of at most LISTED_RULES, with the total and where the next page
  // starts: the console narrows with filters and search, and the export has them all. Each rule
  // names its chat (`chat`: id, the visitor's address, when it started; null once the chat is erased).
  app.get("/rules", async (c) => {
    const accountId = c.get("user").account_id;
    const now = deps.now();
    const query = parseWith(listQuerySchema, c.req.query());
    const filter = await filterOf(accountId, query, now);
    const limit = query.limit === undefined ? LISTED_RULES : Number(query.limit);
    const [found, total] = await Promise.all([
      deps.rules.list(accountId, filter, now, cursorOf(query.after), limit + 1),
      deps.rules.count(accountId, filter, now),
    ]);
    const rules = await labelled(found.slice(0, limit));
    const next = found.length > limit ? cursorAfter(rules.at(-1)!) : null;
    const view = await addressView(deps, c.get("user"));
    return c.json({ rules: view.shown(rules), total, next });
  });

  app.get("/rules.csv", async (c) => {
    const accountId = c.get("user").account_id;
    const now = deps.now();
    const query = parseWith(listQuerySchema, c.req.query());
    const filter = await filterOf(accountId, query, now);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="hatch-rules-${accountId}.csv"`);
    return c.body(exported(accountId, filter, now));
  });

  app.post("/rules", async (c) => {
    const body = await readJson(c, rulesInputSchema, PASTE_LIMIT);
    const user = c.get("user");
    const now = deps.now();
    const author: RuleAuthor = { kind: "console", userId: user.id, email: user.email };
    if (body.csv !== undefined) {
      const read = await readRulesCsv(body.csv, now);
      if (!read.ok) throw badLines(read.errors, "csv");
      const wanted = read.rules.map(({ target, text, comment, expiresAt }) => ({ target, text, comment, expiresAt }));
      const { covering, rules } = await storeUncovered(
        user.account_id,
        wanted,
        { comment: "", author, expiresAt: null },
        now,
      );
      if (rules.length > 0) await announcePolicyChange(deps, user.account_id, "rules");
      const covered = read.rules.flatMap((rule, i) => (covering[i] ? [rule.line] : []));
      const mergedLines = [...read.merged, ...covered].sort((a, b) => a - b);
      return c.json({ rules: await labelled(rules), merged: mergedLines, expired: read.expired }, 201);
    }
    const expiresAt = expiryOf(body.expiresAt, now);
    const plan = planRules(body.text ?? "", NOTHING_STORED, expiresAt);
    if (!plan.ok) throw badLines(plan.errors, "text");
    // Checked against the rules as stored at that moment, under the account's lock: not a cache
    // another instance may not have caught up yet.
    const origin = { comment: body.comment ?? "", author, expiresAt };
    const { covering, rules } = await storeUncovered(user.account_id, added(plan), origin, now);
    if (rules.length > 0) await announcePolicyChange(deps, user.account_id, "rules");
    const lines = outcomesAfter(plan, covering).map((o) =>
      o.status === "added"
        ? {
            line: o.line,
            input: o.input,
            status: o.status,
            kind: o.target.kind,
            rule: o.text,
            hostBitsCleared: o.hostBitsCleared,
          }
        : { line: o.line, input: o.input, status: o.status, rule: o.text, into: o.into, message: o.message },
    );
    return c.json({ rules: await labelled(rules), lines }, 201);
  });

  app.delete("/rules/:id", async (c) => {
    const user = c.get("user");
    if (!(await deps.rules.remove(user.account_id, c.req.param("id"), user.id, deps.now()))) {
      throw new ApiError(404, "not_found", "There is no such rule in this account.");
    }
    await announcePolicyChange(deps, user.account_id, "rules");
    return c.body(null, 204);
  });

  // The IP rules as they were answered before rules of every kind: addresses and networks only.
  const IP_KINDS = ["address", "network"] as const;

  // The newest LISTED_RULES, as GET /rules pages them.
  app.get("/ip-rules", async (c) => {
    const rules = await deps.rules.list(c.get("user").account_id, { kind: IP_KINDS }, deps.now());
    const view = await addressView(deps, c.get("user"));
    return c.json({ rules: view.shown(rules.map(toIpRule)) });
  });

  app.post("/ip-rules", async (c) => {
    const body = await readJson(c, ipRulesInputSchema, IP_PASTE_LIMIT);
    const user = c.get("user");
    const now = deps.now();
    const expiresAt = expiryOf(body.expiresAt, now);
    const author: RuleAuthor = { kind: "console", userId: user.id, email: user.email };
    const plan = planRules(body.text, { ip: NOTHING_STORED.ip }, expiresAt);
    if (!plan.ok) throw badLines(plan.errors, "text");
    const origin = { comment: body.comment, author, expiresAt };
    const { covering, rules } = await storeUncovered(user.account_id, added(plan), origin, now);
    if (rules.length > 0) await announcePolicyChange(deps, user.account_id, "rules");
    const lines = outcomesAfter(plan, covering).map((o) =>
      o.status === "added"
        ? { line: o.line, input: o.input, status: o.status, network: o.text, hostBitsCleared: o.hostBitsCleared }
        : { line: o.line, input: o.input, status: o.status, network: o.text, into: o.into, message: o.message },
    );
    return c.json({ rules: rules.map(toIpRule), lines }, 201);
  });

  app.delete("/ip-rules/:id", async (c) => {
    const user = c.get("user");
    if (!(await deps.rules.remove(user.account_id, c.req.param("id"), user.id, deps.now(), IP_KINDS))) {
      throw new ApiError(404, "not_found", "There is no such IP rule in this account.");
    }
    await announcePolicyChange(deps, user.account_id, "rules");
    return c.body(null, 204);
  });

  return app;
}
