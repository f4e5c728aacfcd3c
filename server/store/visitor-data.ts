// One visitor's data as a whole, for an owner answering a data-protection request: their chats found,
// and erased with every message, file, stored event and queued mail or webhook of them. Visitor rules
// stay: they are the owner's to keep or remove.

import { CHAT_BATCH, removeChats } from "./chat-removal";
import type { Db } from "./db";
import { onPostgres } from "./dialect";

/** What an erasure removed: counts for the audit and the answer, and the files whose bytes go next. */
export interface Erased {
  chats: number;
  messages: number;
  fileIds: string[];
  conversationIds: string[];
}

export class VisitorDataStore {
  constructor(private readonly db: Db) {}

  /** The files of the chats `ids` (ids of one account), oldest first: what an export adds after visitor.json. */
  async files(ids: readonly string[]): Promise<{ id: string; name: string }[]> {
    const files: { id: string; name: string; created_at: number }[] = [];
    for (let at = 0; at < ids.length; at += CHAT_BATCH)
      files.push(
        ...(await this.db
          .selectFrom("files")
          .select(["id", "name", "created_at"])
          .where("conversation_id", "in", ids.slice(at, at + CHAT_BATCH))
          .execute()),
      );
    return files.sort((a, b) => a.created_at - b.created_at).map(({ id, name }) => ({ id, name }));
  }

  /** The ids of the visitor's chats in the account, oldest first. */
  async chatIds(accountId: string, visitorId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("conversations")
      .select("id")
      .where("account_id", "=", accountId)
      .where("visitor_id", "=", visitorId)
      .orderBy("created_at")
      .execute();
    return rows.map((row) => row.id);
  }

  /** Audits an export of the visitor's data as `userId`'s: who handed over what. */
  async recordExport(
    accountId: string,
    userId: string,
    exported: { visitorId: string; chats: number; files: number },
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto("audit_log")
      .values({
        account_id: accountId,
        user_id: userId,
        action: "visitor.export",
        detail: JSON.stringify(exported),
        created_at: now,
      })
      .execute();
  }

  /** Erases every chat of the visitor in the account, in one transaction, audited as `userId`'s. */
  erase(accountId: string, visitorId: string, userId: string, now: number): Promise<Erased> {
    return this.db.transaction().execute(async (tx) => {
      let chats = tx
        .selectFrom("conversations")
        .select("id")
        .where("account_id", "=", accountId)
        .where("visitor_id", "=", visitorId);
      // PostgreSQL: the chats are locked as a message's write locks its chat, so none is written mid-erase.
      if (onPostgres(tx)) chats = chats.forUpdate();
      const ids = (await chats.execute()).map((row) => row.id);
      // Nothing kept of them: nothing to erase, or to audit.
      if (ids.length === 0) return { chats: 0, messages: 0, fileIds: [], conversationIds: ids };
      const erased: Erased = { chats: ids.length, ...(await removeChats(tx, accountId, ids)), conversationIds: ids };
      await tx
        .insertInto("audit_log")
        .values({
          account_id: accountId,
          user_id: userId,
          action: "visitor.erase",
          detail: JSON.stringify({
            visitorId,
            chats: erased.chats,
            messages: erased.messages,
            files: erased.fileIds.length,
          }),
          created_at: now,
        })
        .execute();
      return erased;
    });
  }
}
