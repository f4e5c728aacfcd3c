// The console sessions a user sees in Options: where each signed in from, with which browser, and when
// it was last used; a user ends any or all of their others, an owner every session of a member.

import { hashToken } from "../ids";
import type { Db } from "./db";

/** A session as its user sees it; `id` is the hash of its token (which cannot sign anyone in). */
export interface SessionRow {
  id: string;
  userAgent: string | null;
  address: string | null;
  createdAt: number;
  lastSeen: number | null;
}

/** A session's last use is written at most once a minute: every console request would write otherwise. */
export const LAST_SEEN_STEP_MS = 60_000;

export class SessionStore {
  constructor(private readonly db: Db) {}

  /** The user's sessions still valid at `now`, the most recently used first. */
  async list(userId: string, now: number): Promise<SessionRow[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select(["token_hash", "user_agent", "address", "created_at", "last_seen"])
      .where("user_id", "=", userId)
      .where("expires_at", ">", now)
      .execute();
    return rows
      .map((row) => ({
        id: row.token_hash,
        userAgent: row.user_agent,
        address: row.address,
        createdAt: row.created_at,
        lastSeen: row.last_seen,
      }))
      .sort((a, b) => (b.lastSeen ?? b.createdAt) - (a.lastSeen ?? a.createdAt));
  }

  /** Records that the session of `token` was used at `now`. */
  async touch(token: string, now: number): Promise<void> {
    await this.db.updateTable("sessions").set({ last_seen: now }).where("token_hash", "=", hashToken(token)).execute();
  }

  /** Ends one of the user's sessions by its id; false when they have none such. */
  async end(userId: string, id: string): Promise<boolean> {
    const ended = await this.db
      .deleteFrom("sessions")
      .where("user_id", "=", userId)
      .where("token_hash", "=", id)
      .executeTakeFirst();
    return Number(ended.numDeletedRows) === 1;
  }

  /** Ends every session of the user but the one of `keepToken` (none kept for null); says how many ended. */
  async endAll(userId: string, keepToken: string | null): Promise<number> {
    let query = this.db.deleteFrom("sessions").where("user_id", "=", userId);
    if (keepToken !== null) query = query.where("token_hash", "<>", hashToken(keepToken));
    return Number((await query.executeTakeFirst()).numDeletedRows);
  }
}
