// Agents' presence as every instance sees it: the status each agent chose (online or away) and
// when a console of theirs was last connected; an agent whose consoles are all gone is offline.

import type { TeamMember } from "../../policy/wire";
import type { User } from "./accounts";
import type { Db } from "./db";

/** No console connected for this long: offline. Consoles report at least every 15 s (event-stream heartbeats). */
export const OFFLINE_AFTER_MS = 2 * 60 * 1000;

export class PresenceStore {
  constructor(private readonly db: Db) {}

  /** A console of `user` is connected now; their chosen status is kept (online the first time). */
  async seen(user: Pick<User, "id" | "account_id">, now: number): Promise<void> {
    await this.db
      .insertInto("agent_presence")
      .values({ user_id: user.id, account_id: user.account_id, status: "online", last_seen: now })
      .onConflict((conflict) => conflict.column("user_id").doUpdateSet({ last_seen: now }))
      .execute();
  }

  async choose(user: Pick<User, "id" | "account_id">, status: "online" | "away", now: number): Promise<void> {
    await this.db
      .insertInto("agent_presence")
      .values({ user_id: user.id, account_id: user.account_id, status, last_seen: now })
      .onConflict((conflict) => conflict.column("user_id").doUpdateSet({ status, last_seen: now }))
      .execute();
  }

  /** Whether any agent of the account is online: chose online, with a console connected lately. */
  async anyoneOnline(accountId: string, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("agent_presence")
      .select("user_id")
      .where("account_id", "=", accountId)
      .where("status", "=", "online")
      .where("last_seen", ">", now - OFFLINE_AFTER_MS)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every user of the account with their presence, for owners: oldest first, by email within one millisecond. */
  async team(accountId: string, now: number): Promise<TeamMember[]> {
    const rows = await this.db
      .selectFrom("users")
      .leftJoin("agent_presence", "agent_presence.user_id", "users.id")
      .select([
        "users.id",
        "users.email",
        "users.display_name",
        "users.role",
        "agent_presence.status",
        "agent_presence.last_seen",
      ])
      .where("users.account_id", "=", accountId)
      .where("users.removed_at", "is", null)
      .orderBy("users.created_at")
      .orderBy("users.email")
      .execute();
    return rows.map((row) => ({
      userId: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      status:
        row.status === null || row.last_seen === null || Number(row.last_seen) <= now - OFFLINE_AFTER_MS
          ? "offline"
          : row.status,
    }));
  }
}
