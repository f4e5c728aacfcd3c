// The policy document (versioned for ETag/If-Match), the IP rules, and the audit log of rule changes.

import type { Network } from "../../policy/cidr";
import { compileIpMatcher, type IpMatcher, type MatchableRule } from "../../policy/ip-matcher";
import type { IpRule, PolicyDocument, RuleAuthor } from "../../policy/schema";
import { sql } from "kysely";
import { newId } from "../ids";
import { onPostgres } from "./dialect";
import type { Db } from "./db";
import type { IpRuleTable } from "./schema";

export interface StoredPolicy {
  document: PolicyDocument;
  version: number;
}

export interface NewRule {
  network: Network;
  text: string;
}

function startHex(network: Network): string {
  return network.start.toString(16);
}

function networkOfRow(row: Pick<IpRuleTable, "version" | "start" | "prefix">): Network {
  return row.version === 4
    ? { version: 4, start: parseInt(row.start, 16), prefix: row.prefix }
    : { version: 6, start: BigInt(`0x${row.start}`), prefix: row.prefix };
}

function toApiRule(row: IpRuleTable): IpRule {
  const base = { userId: row.created_by_user, email: row.created_by_email };
  const createdBy: RuleAuthor =
    row.created_by_kind === "agent" && row.conversation_id !== null
      ? { kind: "agent", ...base, conversationId: row.conversation_id }
      : { kind: "console", ...base };
  return {
    id: row.id,
    network: row.text,
    comment: row.comment,
    createdBy,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
  };
}

async function matchable(db: Db, accountId: string): Promise<MatchableRule[]> {
  const rows = await db
    .selectFrom("ip_rules")
    .select(["id", "version", "start", "prefix", "text", "expires_at"])
    .where("account_id", "=", accountId)
    .execute();
  return rows.map((row) => ({ id: row.id, network: networkOfRow(row), text: row.text, expiresAt: row.expires_at }));
}

export class PolicyStore {
  constructor(private readonly db: Db) {}

  async getPolicy(accountId: string): Promise<StoredPolicy | null> {
    const row = await this.db
      .selectFrom("policies")
      .select(["document", "version"])
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return row ? { document: JSON.parse(row.document) as PolicyDocument, version: row.version } : null;
  }

  /** Saves the document if it is still at `expectedVersion`; the new version, or null if someone saved first. */
  async putPolicy(
    accountId: string,
    document: PolicyDocument,
    expectedVersion: number,
    userId: string,
    now: number,
  ): Promise<number | null> {
    return this.db.transaction().execute(async (tx) => {
      const result = await tx
        .updateTable("policies")
        .set({ document: JSON.stringify(document), version: expectedVersion + 1, updated_at: now })
        .where("account_id", "=", accountId)
        .where("version", "=", expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return null;
      await tx
        .insertInto("audit_log")
        .values({
          account_id: accountId,
          user_id: userId,
          action: "policy.update",
          detail: JSON.stringify(document),
          created_at: now,
        })
        .execute();
      return expectedVersion + 1;
    });
  }

  async listRules(accountId: string): Promise<IpRule[]> {
    const rows = await this.db
      .selectFrom("ip_rules")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
    return rows.map(toApiRule);
  }

  async getRule(accountId: string, id: string): Promise<IpRule | null> {
    const row = await this.db
      .selectFrom("ip_rules")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toApiRule(row) : null;
  }

  /** The account's rules as the matcher wants them. */
  matchableRules(accountId: string): Promise<MatchableRule[]> {
    return matchable(this.db, accountId);
  }

  /**
   * Stores the rules `plan` chooses against the account's rules as they are at that moment, with one
   * audit entry each. No other rule change of the account runs meanwhile, on any instance (SQLite
   * writes one transaction at a time; on PostgreSQL an advisory lock per account), so a paste sent
   * twice at once is stored once. Returns what `plan` returned with the rules stored.
   */
  async addRules<T>(
    accountId: string,
    plan: (current: IpMatcher) => { add: NewRule[]; result: T },
    comment: string,
    author: RuleAuthor,
    expiresAt: number | null,
    now: number,
  ): Promise<{ result: T; rules: IpRule[] }> {
    return this.db.transaction().execute(async (tx) => {
      if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`rules:${accountId}`}))`.execute(tx);
      const { add, result } = plan(compileIpMatcher(await matchable(tx, accountId)));
      const rows: IpRuleTable[] = add.map((rule) => ({
        id: newId("rule"),
        account_id: accountId,
        version: rule.network.version,
        start: startHex(rule.network),
        prefix: rule.network.prefix,
        text: rule.text,
        comment,
        created_by_kind: author.kind,
        created_by_user: author.userId,
        created_by_email: author.email,
        conversation_id: author.kind === "agent" ? author.conversationId : null,
        created_at: now,
        expires_at: expiresAt,
      }));
      // SQLite caps bound parameters per statement; 500 rows × 13 columns stays under it.
      for (let i = 0; i < rows.length; i += 500)
        await tx
          .insertInto("ip_rules")
          .values(rows.slice(i, i + 500))
          .execute();
      const audits = rows.map((row) => ({
        account_id: accountId,
        user_id: author.userId,
        action: "ip_rule.add",
        detail: JSON.stringify({ id: row.id, network: row.text, comment }),
        created_at: now,
      }));
      for (let i = 0; i < audits.length; i += 500)
        await tx
          .insertInto("audit_log")
          .values(audits.slice(i, i + 500))
          .execute();
      return { result, rules: rows.map(toApiRule) };
    });
  }

  /** Removes a rule of this account; false when there is none with that id. */
  async deleteRule(accountId: string, id: string, userId: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom("ip_rules")
        .select(["id", "text"])
        .where("account_id", "=", accountId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) return false;
      await tx.deleteFrom("ip_rules").where("id", "=", id).execute();
      await tx
        .insertInto("audit_log")
        .values({
          account_id: accountId,
          user_id: userId,
          action: "ip_rule.remove",
          detail: JSON.stringify(row),
          created_at: now,
        })
        .execute();
      return true;
    });
  }

  async auditLog(
    accountId: string,
  ): Promise<{ action: string; userId: string | null; detail: unknown; createdAt: number }[]> {
    const rows = await this.db
      .selectFrom("audit_log")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("id")
      .execute();
    return rows.map((row) => ({
      action: row.action,
      userId: row.user_id,
      detail: JSON.parse(row.detail) as unknown,
      createdAt: row.created_at,
    }));
  }
}
