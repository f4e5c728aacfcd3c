// Avatars: the images uploaded as the team's or a user's, and which user shows which. Only a file
// recorded here is ever served publicly, so a chat's file can never be reached as an avatar.

import type { Db } from "./db";

export class AvatarStore {
  constructor(private readonly db: Db) {}

  /** Records an uploaded image as an avatar of the account. */
  async add(accountId: string, fileId: string, mime: string, now: number): Promise<void> {
    await this.db
      .insertInto("avatars")
      .values({ file_id: fileId, account_id: accountId, mime, created_at: now })
      .execute();
  }

  /** The avatar's MIME type when `fileId` is an avatar uploaded in the account; else null. */
  async mimeOf(accountId: string, fileId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("avatars")
      .select("mime")
      .where("file_id", "=", fileId)
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return row?.mime ?? null;
  }

  /** Forgets an avatar that is no longer shown; its bytes are the caller's to remove. */
  async remove(fileId: string): Promise<void> {
    await this.db.deleteFrom("avatars").where("file_id", "=", fileId).execute();
  }

  async userAvatar(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom("users").select("avatar_file_id").where("id", "=", userId).executeTakeFirst();
    return row?.avatar_file_id ?? null;
  }

  /** Sets (or with null clears) the user's avatar; says which one it replaced. */
  async setUserAvatar(userId: string, fileId: string | null): Promise<string | null> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom("users").select("avatar_file_id").where("id", "=", userId).executeTakeFirst();
      await tx.updateTable("users").set({ avatar_file_id: fileId }).where("id", "=", userId).execute();
      return row?.avatar_file_id ?? null;
    });
  }

  /** Whether a user of the account shows `fileId` as their avatar. */
  async isUserAvatar(accountId: string, fileId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("users")
      .select("id")
      .where("account_id", "=", accountId)
      .where("avatar_file_id", "=", fileId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
