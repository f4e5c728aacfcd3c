// Retention (issue #29) in the store: an account's closed chats past its clock removed whole, and the
// addresses kept with closed chats, their stored events and the audit replaced by their networks. Each
// call does one bounded batch, oldest first, so a sweep of years of data never holds a long transaction.

import { sql } from "kysely";
import { anonymizeValue, anonymousNetwork } from "../../policy/cidr";
import { removeChats, type RemovedChats } from "./chat-removal";
import type { Db } from "./db";
import { onPostgres } from "./dialect";

/** Rows taken per call: small enough for one short transaction on either engine. */
const RETENTION_BATCH = 200;

/** Events without addresses marked done per call: one statement each, no row read. */
const PLAIN_EVENTS_BATCH = 5000;

/** The stored events that hold addresses: a chat's own, and automatic protection's bans. */
const EVENTS_WITH_ADDRESSES = ["conversation", "protection"];

/** One batch of closed chats removed. */
export interface DeletedChats extends RemovedChats {
  conversationIds: string[];
}

/** `text` with its addresses as networks; text that is not JSON (none is written so) is kept as it is. */
function anonymizeJson(text: string): string {
  try {
    return JSON.stringify(anonymizeValue(JSON.parse(text)));
  } catch {
    return text;
  }
}

export class RetentionStore {
  constructor(private readonly db: Db) {}

  /**
   * Runs `sweep` unless another instance's sweep runs: on PostgreSQL a session advisory lock, held on
   * one connection for the sweep's length and tried, never waited for (the other sweep does the work).
   * SQLite is one process's store. Answers null when the lock was taken.
   */
  async alone<T>(sweep: () => Promise<T>): Promise<T | null> {
    if (!onPostgres(this.db)) return sweep();
    return this.db.connection().execute(async (connection) => {
      const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(hashtext('retention')) as got`.execute(
        connection,
      );
      if (!rows[0]?.got) return null;
      try {
        return await sweep();
      } finally {
        await sql`select pg_advisory_unlock(hashtext('retention'))`.execute(connection);
      }
    });
  }

  /** The accounts there are: the sweep reads each one's policy. */
  async accountIds(): Promise<string[]> {
    return (await this.db.selectFrom("accounts").select("id").orderBy("id").execute()).map((row) => row.id);
  }

  /**
   * Removes up to a batch of the account's chats closed before `before`, oldest first, with all of
   * theirs, and audits the batch in the same transaction (retention.delete: how much, not what).
   */
  deleteClosedBefore(accountId: string, before: number, now: number): Promise<DeletedChats> {
    return this.db.transaction().execute(async (tx) => {
      let query = tx
        .selectFrom("conversations")
        .select("id")
        .where("account_id", "=", accountId)
        .where("status", "=", "closed")
        .where("closed_at", "<", before)
        .orderBy("closed_at")
        .limit(RETENTION_BATCH);
      // PostgreSQL: locked as a note or a message's write locks its chat, so none lands mid-removal.
      if (onPostgres(tx)) query = query.forUpdate();
      const conversationIds = (await query.execute()).map((row) => row.id);
      if (conversationIds.length === 0) return { messages: 0, fileIds: [], conversationIds };
      const removed = { ...(await removeChats(tx, accountId, conversationIds)), conversationIds };
      await tx
        .insertInto("audit_log")
        .values({
          account_id: accountId,
          user_id: null,
          action: "retention.delete",
          detail: JSON.stringify({
            chats: conversationIds.length,
            messages: removed.messages,
            files: removed.fileIds.length,
          }),
          created_at: now,
        })
        .execute();
      return removed;
    });
  }

  /**
   * Keeps the addresses of up to a batch of each of the account's closed chats, their events and its
   * audit entries made before `before` as their networks; answers how many rows' addresses changed,
   * and how many rows it looked at (0: the account is done). A chat still open keeps its full address
   * (a block acts on it) until a sweep after it closes.
   */
  anonymizeBefore(accountId: string, before: number): Promise<{ anonymized: number; seen: number }> {
    return this.db.transaction().execute(async (tx) => {
      const chats = await tx
        .selectFrom("conversations")
        .select(["id", "visitor_ip", "visitor_addresses"])
        .where("account_id", "=", accountId)
        .where("status", "=", "closed")
        .where("anonymized", "=", 0)
        .where("created_at", "<", before)
        .limit(RETENTION_BATCH)
        .execute();
      for (const chat of chats)
        await tx
          .updateTable("conversations")
          .set({
            visitor_ip: anonymousNetwork(chat.visitor_ip),
            visitor_addresses: anonymizeJson(chat.visitor_addresses),
            anonymized: 1,
          })
          .where("id", "=", chat.id)
          .where("status", "=", "closed")
          .execute();
      // Messages and the like name no address: marked done a few thousand at a time, not rewritten.
      const plain = await tx
        .updateTable("events")
        .set({ anonymized: 1 })
        .where(
          "id",
          "in",
          tx
            .selectFrom("events")
            .select("id")
            .where("account_id", "=", accountId)
            .where("anonymized", "=", 0)
            .where("created_at", "<", before)
            .where("type", "not in", EVENTS_WITH_ADDRESSES)
            .limit(PLAIN_EVENTS_BATCH),
        )
        .executeTakeFirst();
      const events = await tx
        .selectFrom("events")
        .select(["id", "data"])
        .where("account_id", "=", accountId)
        .where("anonymized", "=", 0)
        .where("created_at", "<", before)
        .where("type", "in", EVENTS_WITH_ADDRESSES)
        .limit(RETENTION_BATCH)
        .execute();
      for (const event of events)
        await tx
          .updateTable("events")
          .set({ data: anonymizeJson(event.data), anonymized: 1 })
          .where("id", "=", event.id)
          .execute();
      const audit = await tx
        .selectFrom("audit_log")
        .select(["id", "detail"])
        .where("account_id", "=", accountId)
        .where("anonymized", "=", 0)
        .where("created_at", "<", before)
        .limit(RETENTION_BATCH)
        .execute();
      for (const entry of audit)
        await tx
          .updateTable("audit_log")
          .set({ detail: anonymizeJson(entry.detail), anonymized: 1 })
          .where("id", "=", entry.id)
          .execute();
      const anonymized = chats.length + events.length + audit.length;
      return { anonymized, seen: anonymized + Number(plain.numUpdatedRows) };
    });
  }
}
