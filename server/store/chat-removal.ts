// Removing chats whole: their messages, files' rows, stored events, preview choices, and the mail,
// webhooks and account events that name them. An erasure (visitor-data.ts) and retention share it.

import { sql } from "kysely";
import type { Db } from "./db";
import { onPostgres } from "./dialect";

/** Chats taken per statement: SQLite takes an expression 1,000 deep at most, and ids are ORed below. */
export const CHAT_BATCH = 200;

/** What went: counts for the audit and the metrics, and the files whose bytes go next. */
export interface RemovedChats {
  messages: number;
  fileIds: string[];
}

/** Removes the chats `ids` of the account and all of theirs; run inside the caller's transaction. */
export async function removeChats(tx: Db, accountId: string, ids: readonly string[]): Promise<RemovedChats> {
  const removed: RemovedChats = { messages: 0, fileIds: [] };
  for (let at = 0; at < ids.length; at += CHAT_BATCH) {
    const batch = ids.slice(at, at + CHAT_BATCH);
    const counted = await tx
      .selectFrom("messages")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .where("conversation_id", "in", batch)
      .executeTakeFirst();
    removed.messages += Number(counted?.count ?? 0);
    const files = await tx.selectFrom("files").select("id").where("conversation_id", "in", batch).execute();
    removed.fileIds.push(...files.map((row) => row.id));
    await tx.deleteFrom("messages").where("conversation_id", "in", batch).execute();
    await tx.deleteFrom("files").where("conversation_id", "in", batch).execute();
    await tx.deleteFrom("events").where("conversation_id", "in", batch).execute();
    await tx.deleteFrom("preview_overrides").where("conversation_id", "in", batch).execute();
    // Mail and webhooks about these chats, sent or waiting, hold their words, and automatic
    // protection's account events name the chat and the visitor's address: each names its chat.
    const mentionsAny = (column: "payload" | "data") =>
      sql<boolean>`(${sql.join(
        batch.map((id) =>
          onPostgres(tx) ? sql`strpos(${sql.ref(column)}, ${id}) > 0` : sql`instr(${sql.ref(column)}, ${id}) > 0`,
        ),
        sql` or `,
      )})`;
    await tx.deleteFrom("outbox").where("account_id", "=", accountId).where(mentionsAny("payload")).execute();
    await tx
      .deleteFrom("events")
      .where("account_id", "=", accountId)
      .where("conversation_id", "is", null)
      .where("type", "=", "protection")
      .where(mentionsAny("data"))
      .execute();
    await tx.deleteFrom("conversations").where("id", "in", batch).execute();
  }
  return removed;
}
