// Canned replies: each account's list of answers agents insert by shortcut (audited as owners change it).

import { MAX_CANNED_REPLIES } from "../../policy/limits";
import type { CannedReply } from "../../policy/wire";
import { newId } from "../ids";
import type { Db } from "./db";
import { onPostgres } from "./dialect";
import { sql } from "kysely";

/** Why a reply was not added: the shortcut is the account's already, or the list is full. */
export type ReplyRefusal = "shortcut_taken" | "too_many";

export class ReplyStore {
  constructor(private readonly db: Db) {}

  /** The account's replies by shortcut, as agents scan them. */
  async list(accountId: string): Promise<CannedReply[]> {
    return this.db
      .selectFrom("canned_replies")
      .select(["id", "shortcut", "text"])
      .where("account_id", "=", accountId)
      .orderBy("shortcut")
      .execute();
  }

  /**
   * Adds a reply, audited as `userId`'s. One change to the account's list at a time (SQLite writes
   * one transaction at a time; on PostgreSQL an advisory lock), so the cap holds under a burst.
   */
  add(
    accountId: string,
    reply: Omit<CannedReply, "id">,
    userId: string,
    now: number,
  ): Promise<CannedReply | ReplyRefusal> {
    return this.db.transaction().execute(async (tx) => {
      if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`replies:${accountId}`}))`.execute(tx);
      const held = await tx
        .selectFrom("canned_replies")
        .select(["shortcut"])
        .where("account_id", "=", accountId)
        .execute();
      if (held.some((row) => row.shortcut === reply.shortcut)) return "shortcut_taken";
      if (held.length >= MAX_CANNED_REPLIES) return "too_many";
      const made = { id: newId("reply"), ...reply };
      await tx
        .insertInto("canned_replies")
        .values({ ...made, account_id: accountId, created_at: now })
        .execute();
      await audit(tx, accountId, userId, "reply.add", made, now);
      return made;
    });
  }

  /** Removes one of the account's replies, audited; false when it has none by that id. */
  async remove(accountId: string, id: string, userId: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const gone = await tx
        .deleteFrom("canned_replies")
        .where("account_id", "=", accountId)
        .where("id", "=", id)
        .returning(["id", "shortcut", "text"])
        .executeTakeFirst();
      if (gone) await audit(tx, accountId, userId, "reply.remove", gone, now);
      return gone !== undefined;
    });
  }
}

async function audit(db: Db, accountId: string, userId: string, action: string, reply: CannedReply, now: number) {
  await db
    .insertInto("audit_log")
    .values({
      account_id: accountId,
      user_id: userId,
      action,
      detail: JSON.stringify({ shortcut: reply.shortcut, text: reply.text }),
      created_at: now,
    })
    .execute();
}
