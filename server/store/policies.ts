// The policy document (versioned for ETag/If-Match) and the audit log of changes to it and to the rules.

import { policyChanges } from "../../policy/changes";
import type { PolicyDocument } from "../../policy/schema";
import type { AuditEntry } from "../../policy/wire";
import type { Db } from "./db";

export interface StoredPolicy {
  document: PolicyDocument;
  version: number;
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
      const saved = await tx
        .selectFrom("policies")
        .select("document")
        .where("account_id", "=", accountId)
        .where("version", "=", expectedVersion)
        .executeTakeFirst();
      if (!saved) return null;
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
          // What changed, field by field, so the log says it without a second document to compare.
          detail: JSON.stringify({ changes: policyChanges(JSON.parse(saved.document), document) }),
          created_at: now,
        })
        .execute();
      return expectedVersion + 1;
    });
  }

  /** The account's audit log, newest first, a page of `limit` entries before the entry `before` (none: the newest). */
  async audit(accountId: string, before: number | null, limit: number): Promise<AuditEntry[]> {
    let query = this.db
      .selectFrom("audit_log")
      .leftJoin("users", "users.id", "audit_log.user_id")
      .select([
        "audit_log.id",
        "audit_log.action",
        "audit_log.user_id",
        "audit_log.detail",
        "audit_log.created_at",
        "users.email",
      ])
      .where("audit_log.account_id", "=", accountId);
    if (before !== null) query = query.where("audit_log.id", "<", before);
    const rows = await query.orderBy("audit_log.id", "desc").limit(limit).execute();
    return rows.map((row) => ({
      id: Number(row.id),
      action: row.action,
      userId: row.user_id,
      email: row.email ?? null,
      detail: JSON.parse(row.detail) as unknown,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }
}
