// Rules of every kind (address, network, AS, visitor) with their comment, author, chat and expiry,
// and an audit entry for each change. Rules are added by a plan made against the rules as stored at
// that moment, under a lock per account, so a paste or a block sent twice at once stores once.

import { sql } from "kysely";
import type { Network } from "../../policy/cidr";
import type { Rule, RuleAuthor, RuleEntry, RuleKind, RuleTarget } from "../../policy/rules";
import { newId } from "../ids";
import { ApiError } from "../errors";
import type { Db } from "./db";
import { onPostgres } from "./dialect";
import type { RuleTable } from "./schema";

/** A rule about to be stored: what it hides and how it is written. */
/**
 * Rules one account may hold. The verdict's cost does not grow with them (bench/verdict.ts runs 100k),
 * but each change recompiles them all and the console lists them: a cap keeps one account from
 * making every change slow for the server.
 */
const MAX_RULES_PER_ACCOUNT = 100_000;

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
export interface RuleSearch {
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

function toRow(accountId: string, rule: NewRule, origin: RuleOrigin, now: number): RuleTable {
  const { target } = rule;
  const network = target.kind === "address" || target.kind === "network" ? target.network : null;
  const { author } = origin;
  return {
    id: newId("rule"),
    account_id: accountId,
    kind: target.kind,
    version: network?.version ?? null,
    start: network === null ? null : network.start.toString(16),
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

/** The rules of an account that `filter` lets through, to select from. */
function filtered(db: Db, accountId: string, filter: RuleFilter, now: number) {
  let query = db.selectFrom("rules").where("account_id", "=", accountId);
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

/** `asn` is one of `asns`, however many: one bound value (a JSON or an array), not one per number. */
function oneOf(db: Db, asns: readonly number[]) {
  return onPostgres(db)
    ? sql<boolean>`${sql.ref("asn")} = any(${[...asns]}::bigint[])`
    : sql<boolean>`${sql.ref("asn")} in (select value from json_each(${JSON.stringify(asns)}))`;
}

/** The audit actions that change an account's rules: every change is audited in its transaction. */
const RULE_ACTIONS = ["rule.add", "rule.remove"] as const;

export class RuleStore {
  constructor(
    private readonly db: Db,
    /** Rules one account may hold; tests lower it rather than store 100,000. */
    private readonly maxRules = MAX_RULES_PER_ACCOUNT,
  ) {}

  /**
   * The account's rules that `filter` lets through, newest first: at most `limit` of them, after
   * `after` when given. A page is read on its own (an index on account, time and id), never the
   * whole list.
   */
  async list(
    accountId: string,
    filter: RuleFilter,
    now: number,
    after: RuleCursor | null = null,
    limit = LISTED_RULES,
  ): Promise<Rule[]> {
    let query = filtered(this.db, accountId, filter, now).selectAll();
    if (after !== null)
      query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(after.createdAt, after.id)));
    const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
    return rows.map(toRule);
  }

  /** How many rules `filter` lets through. */
  async count(accountId: string, filter: RuleFilter, now: number): Promise<number> {
    const row = await filtered(this.db, accountId, filter, now)
      .select((eb) => eb.fn.countAll<number | string>().as("listed"))
      .executeTakeFirst();
    return Number(row?.listed ?? 0);
  }

  /** The AS numbers the account's AS rules (those `filter` lets through) are on, each once: what a search by organisation looks up. */
  async asns(accountId: string, filter: RuleFilter, now: number): Promise<number[]> {
    const rows = await filtered(this.db, accountId, { ...filter, search: undefined }, now)
      .select("asn")
      .distinct()
      .where("kind", "=", "as")
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
    const row = await this.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.max("id").as("mark"))
      .where("account_id", "=", accountId)
      .where("action", "in", RULE_ACTIONS)
      .executeTakeFirst();
    return Number(row?.mark ?? 0);
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
    return this.db.transaction().execute(async (tx) => {
      if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`rules:${accountId}`}))`.execute(tx);
      const current = await entries(tx, accountId, now);
      const { add, result } = plan(current);
      if (current.length + add.length > this.maxRules)
        throw new ApiError(
          409,
          "too_many_rules",
          `An account holds at most ${this.maxRules.toLocaleString("en")} rules and this one has ${current.length.toLocaleString("en")}: remove rules, or use networks and AS numbers in place of many addresses.`,
        );
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
      return { result, rules: rows.map(toRule) };
    });
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
