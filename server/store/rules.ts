// Rules of every kind (address, network, AS, visitor) with their comment, author, chat and expiry,
// and an audit entry for each change. Rules are added by a plan made against the rules as stored at
// that moment, under a lock per account, so a paste or a block sent twice at once stores once.

import { setImmediate as nextTurn } from "node:timers/promises";
import { sql } from "kysely";
import { networkOf, type Network } from "../../policy/cidr";
import type { ListedRule, Rule, RuleAuthor, RuleEntry, RuleKind, RuleTarget } from "../../policy/rules";
import { ApiError } from "../http/errors";
import { newId } from "../ids";
import type { Db } from "./db";
import { onPostgres } from "./dialect";
import type { RuleTable } from "./schema";
import { MAX_AUTOMATIC_RULES_PER_ACCOUNT, MAX_RULES_PER_ACCOUNT } from "../limits";

/**
 * Rules past the cap that blocks from a chat may still make: an agent facing an abuser is not the
 * one to tidy the account's rules, and each block needs a chat (and makes at most one rule a scope).
 */
const CHAT_BLOCK_RESERVE = 1_000;

/** A rule about to be stored: what it hides and how it is written. */
export interface NewRule {
  target: RuleTarget;
  text: string;
  /** Its own comment and expiry, where it does not share the others' (a CSV line). */
  comment?: string;
  expiresAt?: number | null;
}

/** Everything a new rule shares with the others made with it. */
export interface RuleOrigin {
  comment: string;
  author: RuleAuthor;
  expiresAt: number | null;
}

/** Which rules to list: of a kind, by a kind of author, live or expired, mentioning a text. */
export interface RuleFilter {
  kind?: RuleKind | readonly RuleKind[];
  author?: RuleAuthor["kind"];
  status?: "active" | "expired";
  search?: RuleSearch;
}

/**
 * A search: `text` in what a rule hides, its comment or its author's email (any case; a text, not a
 * pattern), or an AS rule on one of `asns`, those whose organisation's name has the text (from the
 * ASN data, which the store does not hold).
 */
interface RuleSearch {
  text: string;
  asns: readonly number[];
}

/** Where a page of the list starts: after this rule, in the list's order (newest first). */
export interface RuleCursor {
  createdAt: number;
  id: string;
}

/** What changed in an account's rules since a mark: ids added and removed, and the mark to ask from next. */
export interface RuleChanges {
  added: string[];
  removed: string[];
  mark: number;
  /** More changes follow than were read: ask again from `mark`. */
  more: boolean;
}

/** A page of the rules list, unless the caller asks for fewer. */
const LISTED_RULES = 1_000;
/**
 * Rules a filtered listing or count reads per query. A filter or a search is answered a window of
 * the list at a time, with a turn of the event loop between: a few milliseconds of SQLite's thread
 * each, however many rules the account holds.
 */
const SCAN_WINDOW_RULES = 2_000;

/** A stretch of an account's rules in the list's order: after `from` (when given), down to `to` (included; null: to the end). */
interface ListWindow {
  from: RuleCursor | null;
  to: RuleCursor | null;
}

const WHOLE_LIST: ListWindow = { from: null, to: null };

function networkOfRow(version: number, start: string, prefix: number): Network {
  return version === 4
    ? { version: 4, start: parseInt(start, 16), prefix }
    : { version: 6, start: BigInt(`0x${start}`), prefix };
}

function targetOf(
  row: Pick<RuleTable, "kind" | "version" | "start" | "prefix" | "asn" | "visitor_id">,
): RuleTarget | null {
  if (
    (row.kind === "address" || row.kind === "network") &&
    row.version !== null &&
    row.start !== null &&
    row.prefix !== null
  ) {
    return { kind: row.kind, network: networkOfRow(row.version, row.start, row.prefix) };
  }
  if (row.kind === "as" && row.asn !== null) return { kind: "as", asn: row.asn };
  if (row.kind === "visitor" && row.visitor_id !== null) return { kind: "visitor", visitorId: row.visitor_id };
  return null;
}

function authorOf(row: RuleTable): RuleAuthor {
  if (row.created_by_kind === "automatic") return { kind: "automatic", conversationId: row.conversation_id };
  const base = { userId: row.created_by_user ?? "", email: row.created_by_email ?? "" };
  return row.created_by_kind === "agent" && row.conversation_id !== null
    ? { kind: "agent", ...base, conversationId: row.conversation_id }
    : { kind: "console", ...base };
}

/** A stored rule as the API returns it; its label (an AS's name) is the routes' to add, from the ASN data. */
function toRule(row: RuleTable): Rule {
  return {
    id: row.id,
    kind: row.kind,
    rule: row.text,
    label: null,
    comment: row.comment,
    createdBy: authorOf(row),
    conversationId: row.conversation_id,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
  };
}

/** A listed rule's row: the rule with its chat's address and start, null when the chat is gone (or there was none). */
type ListedRow = RuleTable & { chat_visitor_ip: string | null; chat_started_at: number | null };

function toListedRule(row: ListedRow): ListedRule {
  const { conversation_id: id, chat_visitor_ip: visitorIp, chat_started_at: startedAt } = row;
  return {
    ...toRule(row),
    chat:
      id === null || visitorIp === null || startedAt === null
        ? null
        : { id, visitorIp, startedAt: new Date(startedAt).toISOString() },
  };
}

function toRow(accountId: string, rule: NewRule, origin: RuleOrigin, now: number): RuleTable {
  const { target } = rule;
  const network = target.kind === "address" || target.kind === "network" ? target.network : null;
  const { author } = origin;
  return {
    id: newId("rule"),
    account_id: accountId,
    kind: target.kind,
    version: network?.version ?? null,
    start: network === null ? null : startOf(network),
    prefix: network?.prefix ?? null,
    asn: target.kind === "as" ? target.asn : null,
    visitor_id: target.kind === "visitor" ? target.visitorId : null,
    text: rule.text,
    comment: rule.comment ?? origin.comment,
    created_by_kind: author.kind,
    created_by_user: author.kind === "automatic" ? null : author.userId,
    created_by_email: author.kind === "automatic" ? null : author.email,
    conversation_id: author.kind === "console" ? null : author.conversationId,
    created_at: now,
    expires_at: rule.expiresAt === undefined ? origin.expiresAt : rule.expiresAt,
  };
}

/** What the matchers read of a stored rule. */
const ENTRY_COLUMNS = ["id", "kind", "version", "start", "prefix", "asn", "visitor_id", "text", "expires_at"] as const;

/**
 * The rules in force at `now` (or later): expired ones stay listed for 30 days but neither hide,
 * nor cost a compile, nor count toward an account's cap, which an attack's automatic bans could
 * otherwise fill with dead rules.
 */
async function entries(db: Db, accountId: string, now: number): Promise<RuleEntry[]> {
  const rows = await db
    .selectFrom("rules")
    .select(ENTRY_COLUMNS)
    .where("account_id", "=", accountId)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .execute();
  return rows.flatMap(toEntry);
}

function toEntry(row: Pick<RuleTable, (typeof ENTRY_COLUMNS)[number]>): RuleEntry[] {
  const target = targetOf(row);
  return target === null ? [] : [{ id: row.id, target, text: row.text, expiresAt: row.expires_at }];
}

/** The rules of an account in `window` that `filter` lets through, to select from. */
function filtered(db: Db, accountId: string, filter: RuleFilter, now: number, window = WHOLE_LIST) {
  let query = db.selectFrom("rules").where("account_id", "=", accountId);
  const { from, to } = window;
  if (from !== null)
    query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(from.createdAt, from.id)));
  if (to !== null)
    query = query.where((eb) => eb(eb.refTuple("created_at", "id"), ">=", eb.tuple(to.createdAt, to.id)));
  if (filter.kind) query = query.where("kind", "in", [filter.kind].flat());
  if (filter.author) query = query.where("created_by_kind", "=", filter.author);
  if (filter.status === "expired") query = query.where("expires_at", "<=", now);
  if (filter.status === "active")
    query = query.where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]));
  const { search } = filter;
  if (search === undefined) return query;
  // LIKE with its wildcards escaped: a search for "%" finds a "%", not everything.
  const pattern = `%${search.text.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;
  const like = (column: "text" | "comment" | "created_by_email") =>
    sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
  return query.where((eb) =>
    eb.or([
      like("text"),
      like("comment"),
      like("created_by_email"),
      ...(search.asns.length === 0 ? [] : [eb.and([eb("kind", "=", "as"), oneOf(db, search.asns)])]),
    ]),
  );
}

/** Whether `filter` asks more than the index on account and time answers: then it is answered a window at a time. */
function scans(filter: RuleFilter): boolean {
  return (
    filter.kind !== undefined ||
    filter.author !== undefined ||
    filter.status !== undefined ||
    filter.search !== undefined
  );
}

/** `asn` is one of `asns`, however many: one bound value (a JSON or an array), not one per number. */
function oneOf(db: Db, asns: readonly number[]) {
  return onPostgres(db)
    ? sql<boolean>`${sql.ref("asn")} = any(${[...asns]}::bigint[])`
    : sql<boolean>`${sql.ref("asn")} in (select value from json_each(${JSON.stringify(asns)}))`;
}

/** The audit actions that change an account's rules: every change is audited in its transaction. */
const RULE_ACTIONS = ["rule.add", "rule.remove"] as const;

/**
 * The live rule that already does what a rule on `target` lasting until `until` would do, or null.
 * For an address or network, any rule whose network holds it: one exact look-up per shorter prefix
 * (an index on the first address), never a scan of the account's rules.
 */
async function covering(
  db: Db,
  accountId: string,
  target: RuleTarget,
  until: number | null,
  now: number,
): Promise<RuleTable | null> {
  let query = db
    .selectFrom("rules")
    .selectAll()
    .where("account_id", "=", accountId)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .where((eb) =>
      until === null
        ? eb("expires_at", "is", null)
        : eb.or([eb("expires_at", "is", null), eb("expires_at", ">=", until)]),
    );
  if (target.kind === "visitor") query = query.where("kind", "=", "visitor").where("visitor_id", "=", target.visitorId);
  else if (target.kind === "as") query = query.where("kind", "=", "as").where("asn", "=", target.asn);
  else
    query = query
      .where("kind", "in", ["address", "network"])
      .where("version", "=", target.network.version)
      .where("start", "in", [...new Set(enclosing(target.network).map(startOf))]);
  const rows = await query.execute();
  if (target.kind === "visitor" || target.kind === "as") return rows[0] ?? null;
  const holding = new Set(enclosing(target.network).map((network) => `${network.prefix} ${startOf(network)}`));
  // The narrowest that holds it, as the verdict's reason would name it.
  return (
    rows
      .filter((row) => holding.has(`${row.prefix} ${row.start}`))
      .sort((a, b) => (b.prefix ?? 0) - (a.prefix ?? 0))[0] ?? null
  );
}

/** `network` and every network that holds it, one per shorter prefix. */
function enclosing(network: Network): Network[] {
  const address =
    network.version === 4
      ? { version: 4 as const, value: network.start }
      : { version: 6 as const, value: network.start };
  return Array.from({ length: network.prefix + 1 }, (_, prefix) => networkOf(address, prefix));
}

/** A network's first address as the store writes it. */
const startOf = (network: Network): string => network.start.toString(16);

/** How many live rules of the account automatic protection made (`=`) or people did (`!=`). */
async function liveCount(db: Db, accountId: string, automatic: "=" | "!=", now: number): Promise<number> {
  const row = await db
    .selectFrom("rules")
    .select((eb) => eb.fn.countAll<number | string>().as("held"))
    .where("account_id", "=", accountId)
    .where("created_by_kind", automatic, "automatic")
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .executeTakeFirst();
  return Number(row?.held ?? 0);
}

export class RuleStore {
  constructor(
    private readonly db: Db,
    /** Rules one account's people may hold; tests lower it rather than store 100,000. */
    private readonly maxRules = MAX_RULES_PER_ACCOUNT,
    /** Automatic protection's live rules per account, past which the oldest give way. */
    private readonly maxAutomaticRules = MAX_AUTOMATIC_RULES_PER_ACCOUNT,
  ) {}

  /**
   * The account's rules that `filter` lets through, newest first: at most `limit` of them, after
   * `after` when given. A page is read on its own (an index on account, time and id), never the
   * whole list; a filtered one a window at a time. Each rule comes with the chat it was made from,
   * joined in the same query (a page's rules, then their chats by primary key).
   */
  async list(
    accountId: string,
    filter: RuleFilter,
    now: number,
    after: RuleCursor | null = null,
    limit = LISTED_RULES,
  ): Promise<ListedRule[]> {
    const rows: ListedRow[] = [];
    const windows = scans(filter) ? this.windows(accountId, after) : [{ from: after, to: null }];
    for await (const window of windows) {
      // The page is chosen first, as a subquery, so the filter's columns need no table name beside the chats'.
      const page = filtered(this.db, accountId, filter, now, window)
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit - rows.length)
        .as("r");
      const found = await this.db
        .selectFrom(page)
        .leftJoin("conversations as c", (join) =>
          join.onRef("c.id", "=", "r.conversation_id").onRef("c.account_id", "=", "r.account_id"),
        )
        .selectAll("r")
        .select(["c.visitor_ip as chat_visitor_ip", "c.created_at as chat_started_at"])
        .orderBy("r.created_at", "desc")
        .orderBy("r.id", "desc")
        .execute();
      rows.push(...found);
      if (rows.length >= limit) break;
    }
    return rows.map(toListedRule);
  }

  /** The rules automatic protection made in the account since `since`, newest first: the digest's bans. */
  async automaticSince(accountId: string, since: number): Promise<{ text: string; comment: string }[]> {
    return this.db
      .selectFrom("rules")
      .select(["text", "comment"])
      .where("account_id", "=", accountId)
      .where("created_by_kind", "=", "automatic")
      .where("created_at", ">=", since)
      .orderBy("created_at", "desc")
      .limit(200)
      .execute();
  }

  /** How many rules `filter` lets through. */
  async count(accountId: string, filter: RuleFilter, now: number): Promise<number> {
    let listed = 0;
    const windows = scans(filter) ? this.windows(accountId, null) : [WHOLE_LIST];
    for await (const window of windows) {
      const row = await filtered(this.db, accountId, filter, now, window)
        .select((eb) => eb.fn.countAll<number | string>().as("listed"))
        .executeTakeFirst();
      listed += Number(row?.listed ?? 0);
    }
    return listed;
  }

  /** The account's rules in windows of SCAN_WINDOW_RULES, newest first after `after`, a turn of the event loop between. */
  private async *windows(accountId: string, after: RuleCursor | null): AsyncGenerator<ListWindow> {
    let from = after;
    for (;;) {
      let edge = this.db.selectFrom("rules").select(["created_at", "id"]).where("account_id", "=", accountId);
      const start = from;
      if (start !== null)
        edge = edge.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(start.createdAt, start.id)));
      const last = await edge
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .offset(SCAN_WINDOW_RULES - 1)
        .executeTakeFirst();
      const to = last === undefined ? null : { createdAt: last.created_at, id: last.id };
      yield { from, to };
      if (to === null) return;
      from = to;
      await nextTurn();
    }
  }

  /** The AS numbers the account's AS rules (those `filter` lets through) are on, each once: what a search by organisation looks up. */
  async asns(accountId: string, filter: RuleFilter, now: number): Promise<number[]> {
    const rows = await filtered(this.db, accountId, { ...filter, search: undefined }, now)
      .select("asn")
      .distinct()
      // Only AS rules have one: the index on account and AS number answers without reading the rest.
      .where("asn", "is not", null)
      .execute();
    return rows.flatMap((row) => (row.asn === null ? [] : [row.asn]));
  }

  /**
   * The rules in force at `now`, `size` at a time, oldest first: a full compile reads them a page at
   * a time (the caller yields between), never in one query that holds SQLite's thread.
   */
  async *entryBatches(accountId: string, now: number, size: number): AsyncGenerator<RuleEntry[]> {
    let after: RuleCursor | null = null;
    for (;;) {
      let query = this.db
        .selectFrom("rules")
        .select([...ENTRY_COLUMNS, "created_at"])
        .where("account_id", "=", accountId)
        .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]));
      const from = after;
      if (from !== null)
        query = query.where((eb) => eb(eb.refTuple("created_at", "id"), ">", eb.tuple(from.createdAt, from.id)));
      const rows = await query.orderBy("created_at").orderBy("id").limit(size).execute();
      if (rows.length > 0) yield rows.flatMap(toEntry);
      if (rows.length < size) return;
      const last = rows.at(-1)!;
      after = { createdAt: last.created_at, id: last.id };
    }
  }

  /** The account's rules of these ids that are still stored, as the matchers want them. */
  async entriesById(accountId: string, ids: readonly string[]): Promise<RuleEntry[]> {
    const found: RuleEntry[] = [];
    // SQLite caps bound parameters per statement.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom("rules")
        .select(ENTRY_COLUMNS)
        .where("account_id", "=", accountId)
        .where("id", "in", ids.slice(i, i + 500))
        .execute();
      found.push(...rows.flatMap(toEntry));
    }
    return found;
  }

  /**
   * The mark of the account's latest rule change: changesSince() from it tells what changed after.
   * Every rule change writes its audit entry in its own transaction, under the account's lock, so
   * the audit log is also the log of changes, in order.
   */
  async changeMark(accountId: string): Promise<number> {
    // The newest first, on the index on account and id: max() with the action's condition reads them all.
    const row = await this.db
      .selectFrom("audit_log")
      .select("id")
      .where("account_id", "=", accountId)
      .where("action", "in", RULE_ACTIONS)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? 0;
  }

  /** The rules added and removed after `mark`, at most `limit` changes: what a compiled policy applies to catch up. */
  async changesSince(accountId: string, mark: number, limit: number): Promise<RuleChanges> {
    const rows = await this.db
      .selectFrom("audit_log")
      .select(["id", "action", "detail"])
      .where("account_id", "=", accountId)
      .where("id", ">", mark)
      .where("action", "in", RULE_ACTIONS)
      .orderBy("id")
      .limit(limit)
      .execute();
    const changes: RuleChanges = { added: [], removed: [], mark: rows.at(-1)?.id ?? mark, more: rows.length === limit };
    for (const row of rows) {
      const { id } = JSON.parse(row.detail) as { id: string };
      (row.action === "rule.add" ? changes.added : changes.removed).push(id);
    }
    return changes;
  }

  async get(accountId: string, id: string): Promise<Rule | null> {
    const row = await this.db
      .selectFrom("rules")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRule(row) : null;
  }

  /** The account's rules in force at `now`, as the matchers want them. */
  entries(accountId: string, now: number): Promise<RuleEntry[]> {
    return entries(this.db, accountId, now);
  }

  /**
   * Stores the rules `plan` chooses against the account's rules as they are at that moment, with one
   * audit entry each. No other rule change of the account runs meanwhile, on any instance (SQLite
   * writes one transaction at a time; on PostgreSQL an advisory lock per account), so a paste sent
   * twice at once is stored once. Returns what `plan` returned with the rules stored.
   */
  async add<T>(
    accountId: string,
    plan: (current: readonly RuleEntry[]) => { add: NewRule[]; result: T },
    origin: RuleOrigin,
    now: number,
  ): Promise<{ result: T; rules: Rule[] }> {
    return this.locked(accountId, async (tx) => {
      const { add, result } = plan(await entries(tx, accountId, now));
      return { result, rules: await this.store(tx, accountId, add, origin, now) };
    });
  }

  /**
   * Stores a rule for each of `wanted` that no live rule already covers (holds the same or more, for
   * at least as long), under the same lock as add(). A ban's way: it looks up its few targets rather
   * than loading every rule. `result` has, per wanted rule, the live rule that covers it, or null
   * where one was stored.
   */
  async addUncovered(
    accountId: string,
    wanted: readonly NewRule[],
    origin: RuleOrigin,
    now: number,
  ): Promise<{ result: (Rule | null)[]; rules: Rule[] }> {
    return this.locked(accountId, async (tx) => {
      const result: (Rule | null)[] = [];
      for (const rule of wanted) {
        const until = rule.expiresAt === undefined ? origin.expiresAt : rule.expiresAt;
        const found = await covering(tx, accountId, rule.target, until, now);
        result.push(found && toRule(found));
      }
      const add = wanted.filter((_, i) => result[i] === null);
      return { result, rules: await this.store(tx, accountId, add, origin, now) };
    });
  }

  /** Runs `change` in a transaction no other rule change of the account runs beside, on any instance. */
  private locked<T>(accountId: string, change: (tx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`rules:${accountId}`}))`.execute(tx);
      return change(tx);
    });
  }

  /** Inserts `add` with an audit entry each, within its author's budget: the people's cap, or automatic protection's. */
  private async store(tx: Db, accountId: string, add: readonly NewRule[], origin: RuleOrigin, now: number) {
    if (add.length === 0) return [];
    if (origin.author.kind === "automatic") await this.makeRoom(tx, accountId, add.length, now);
    else await this.withinCap(tx, accountId, add.length, origin, now);
    const rows = add.map((rule) => toRow(accountId, rule, origin, now));
    // SQLite caps bound parameters per statement; 400 rows × 16 columns stays under it.
    for (let i = 0; i < rows.length; i += 400)
      await tx
        .insertInto("rules")
        .values(rows.slice(i, i + 400))
        .execute();
    const userId = origin.author.kind === "automatic" ? null : origin.author.userId;
    const audits = rows.map((row) => ({
      account_id: accountId,
      user_id: userId,
      action: "rule.add",
      detail: JSON.stringify({
        id: row.id,
        kind: row.kind,
        rule: row.text,
        comment: row.comment,
        expiresAt: row.expires_at,
        by: origin.author.kind,
      }),
      created_at: now,
    }));
    for (let i = 0; i < audits.length; i += 400)
      await tx
        .insertInto("audit_log")
        .values(audits.slice(i, i + 400))
        .execute();
    return rows.map(toRule);
  }

  /**
   * Refuses a change that would take the people's live rules past the cap (blocks from a chat: past
   * the cap and its reserve); automatic ones do not count.
   */
  private async withinCap(tx: Db, accountId: string, adding: number, origin: RuleOrigin, now: number): Promise<void> {
    const held = await liveCount(tx, accountId, "!=", now);
    const cap = this.maxRules + (origin.author.kind === "agent" ? CHAT_BLOCK_RESERVE : 0);
    if (held + adding > cap)
      throw new ApiError(
        409,
        "too_many_rules",
        `An account holds at most ${this.maxRules.toLocaleString("en")} rules and this one has ${held.toLocaleString("en")}: remove rules, or use networks and AS numbers in place of many addresses.`,
      );
  }

  /** Removes the oldest live automatic rules, audited, until `adding` more fit automatic protection's budget. */
  private async makeRoom(tx: Db, accountId: string, adding: number, now: number): Promise<void> {
    const over = (await liveCount(tx, accountId, "=", now)) + adding - this.maxAutomaticRules;
    if (over <= 0) return;
    const oldest = await tx
      .selectFrom("rules")
      .select(["id", "kind", "text"])
      .where("account_id", "=", accountId)
      .where("created_by_kind", "=", "automatic")
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .orderBy("created_at")
      .orderBy("id")
      .limit(over)
      .execute();
    if (oldest.length === 0) return;
    await tx
      .deleteFrom("rules")
      .where(
        "id",
        "in",
        oldest.map((row) => row.id),
      )
      .execute();
    await tx
      .insertInto("audit_log")
      .values(
        oldest.map((row) => ({
          account_id: accountId,
          user_id: null,
          action: "rule.remove",
          detail: JSON.stringify({ id: row.id, kind: row.kind, rule: row.text, by: "automatic" }),
          created_at: now,
        })),
      )
      .execute();
  }

  /** Removes a rule of this account; false when there is none with that id. `kinds` narrows which may go (the IP rules route). */
  async remove(
    accountId: string,
    id: string,
    userId: string,
    now: number,
    kinds?: readonly RuleKind[],
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      let query = tx
        .selectFrom("rules")
        .select(["id", "kind", "text"])
        .where("account_id", "=", accountId)
        .where("id", "=", id);
      if (kinds) query = query.where("kind", "in", [...kinds]);
      const row = await query.executeTakeFirst();
      if (!row) return false;
      await tx.deleteFrom("rules").where("id", "=", id).execute();
      await tx
        .insertInto("audit_log")
        .values({
          account_id: accountId,
          user_id: userId,
          action: "rule.remove",
          detail: JSON.stringify({ id: row.id, kind: row.kind, rule: row.text }),
          created_at: now,
        })
        .execute();
      return true;
    });
  }

  /** Deletes the rules of every account that expired before `before`; how many went. */
  async removeExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom("rules").where("expires_at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
