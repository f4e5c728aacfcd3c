// Accounts, users (changes to the team audited), console sessions, the addresses users signed in from,
// and the one-time first-run token.

import { DEFAULT_POLICY } from "../../policy/schema";
import type { Role } from "../../policy/wire";
import { hashToken, newId, newToken } from "../ids";
import type { Db } from "./db";
import type { UserTable } from "./schema";

/** An account id: 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash. */
export const ACCOUNT_ID = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
export type User = Pick<UserTable, "id" | "account_id" | "email" | "role"> & {
  imagePreviews: boolean;
  displayName: string | null;
};

const SESSION_MS = 30 * 24 * 3600 * 1000;
const SETUP_TOKEN_MS = 24 * 3600 * 1000;
/** How long an address a user signed in from stays theirs: three sessions' worth. */
const SIGN_IN_ADDRESS_MS = 90 * 24 * 3600 * 1000;

/** Who changed the team: a signed-in user, or someone outside the console. */
type TeamActor = { userId: string } | { via: "command line" | "first-run link" };

/** A change to the team as the audit log keeps it: the user as they are after it (and their role before). */
type TeamChange =
  | { action: "user.add"; user: User }
  | { action: "user.role"; user: User; from: Role }
  | { action: "user.remove"; user: User };

/**
 * Writes a change to the team to the account's audit log; call it in the transaction that makes the
 * change. The user's email goes in the entry, so it still reads right once the user is gone.
 */
export async function auditTeamChange(db: Db, change: TeamChange, by: TeamActor, now: number): Promise<void> {
  const { user } = change;
  const detail = {
    userId: user.id,
    email: user.email,
    role: user.role,
    ...(change.action === "user.role" ? { from: change.from } : {}),
    ...("via" in by ? { via: by.via } : {}),
  };
  await db
    .insertInto("audit_log")
    .values({
      account_id: user.account_id,
      user_id: "userId" in by ? by.userId : null,
      action: change.action,
      detail: JSON.stringify(detail),
      created_at: now,
    })
    .execute();
}

function toUser(
  row: Pick<UserTable, "id" | "account_id" | "email" | "role" | "image_previews" | "display_name">,
): User {
  return {
    id: row.id,
    account_id: row.account_id,
    email: row.email,
    role: row.role,
    imagePreviews: row.image_previews === 1,
    displayName: row.display_name,
  };
}

export class AccountStore {
  constructor(private readonly db: Db) {}

  async accountExists(accountId: string): Promise<boolean> {
    return (
      (await this.db.selectFrom("accounts").select("id").where("id", "=", accountId).executeTakeFirst()) !== undefined
    );
  }

  async countAccounts(): Promise<number> {
    const row = await this.db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Creates an account with the default policy; false when the id is taken. */
  async createAccount(accountId: string, name: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const taken = await tx.selectFrom("accounts").select("id").where("id", "=", accountId).executeTakeFirst();
      if (taken) return false;
      await tx.insertInto("accounts").values({ id: accountId, name, created_at: now }).execute();
      await tx
        .insertInto("policies")
        .values({ account_id: accountId, document: JSON.stringify(DEFAULT_POLICY), version: 1, updated_at: now })
        .execute();
      return true;
    });
  }

  /**
   * Adds a user, audited as `by`'s doing (by default the `hatch` command's, as seeds and tests add
   * users too); null when the email is already a user of the account.
   */
  async addUser(
    accountId: string,
    email: string,
    passwordHash: string,
    role: Role,
    now: number,
    by: TeamActor = { via: "command line" },
  ): Promise<User | null> {
    return this.db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom("users")
        .select("id")
        .where("account_id", "=", accountId)
        .where("email", "=", email)
        .executeTakeFirst();
      if (existing) return null;
      const row = {
        id: newId("user"),
        account_id: accountId,
        email,
        password_hash: passwordHash,
        role,
        image_previews: 1,
        display_name: null,
        created_at: now,
      };
      await tx.insertInto("users").values(row).execute();
      const user = toUser(row);
      await auditTeamChange(tx, { action: "user.add", user }, by, now);
      return user;
    });
  }

  async findLogin(accountId: string, email: string): Promise<(User & { passwordHash: string }) | null> {
    const row = await this.db
      .selectFrom("users")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("email", "=", email)
      .executeTakeFirst();
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  /** Replaces a user's password hash: a sign-in with a hash of older, cheaper parameters stores a new one. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
  }

  /** Remembers that `userId` signed in from `address` (an addressKey); forgets addresses past their time. */
  async rememberSignInAddress(userId: string, address: string, now: number): Promise<void> {
    await this.db
      .insertInto("sign_in_addresses")
      .values({ user_id: userId, address, last_at: now })
      .onConflict((conflict) => conflict.columns(["user_id", "address"]).doUpdateSet({ last_at: now }))
      .execute();
    await this.db
      .deleteFrom("sign_in_addresses")
      .where("last_at", "<", now - SIGN_IN_ADDRESS_MS)
      .execute();
  }

  /** Whether `userId` signed in from `address` in the last 90 days; one query whether or not the user exists. */
  async signedInFrom(userId: string, address: string, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("sign_in_addresses")
      .select("last_at")
      .where("user_id", "=", userId)
      .where("address", "=", address)
      .where("last_at", ">=", now - SIGN_IN_ADDRESS_MS)
      .executeTakeFirst();
    return row !== undefined;
  }

  async listUsers(accountId: string): Promise<User[]> {
    const rows = await this.db
      .selectFrom("users")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .orderBy("email")
      .execute();
    return rows.map(toUser);
  }

  async setImagePreviews(userId: string, on: boolean): Promise<void> {
    await this.db
      .updateTable("users")
      .set({ image_previews: on ? 1 : 0 })
      .where("id", "=", userId)
      .execute();
  }

  /** The name visitors see beside this user's messages; null for none ("an agent"). */
  async setDisplayName(userId: string, name: string | null): Promise<void> {
    await this.db.updateTable("users").set({ display_name: name }).where("id", "=", userId).execute();
  }

  /** Starts a session; returns the cookie token (only its hash is stored). */
  async createSession(user: User, now: number): Promise<string> {
    const token = newToken();
    await this.db
      .insertInto("sessions")
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        account_id: user.account_id,
        created_at: now,
        expires_at: now + SESSION_MS,
      })
      .execute();
    return token;
  }

  async sessionUser(token: string, now: number): Promise<User | null> {
    const row = await this.db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select([
        "users.id",
        "users.account_id",
        "users.email",
        "users.role",
        "users.image_previews",
        "users.display_name",
        "sessions.expires_at",
      ])
      .where("sessions.token_hash", "=", hashToken(token))
      .executeTakeFirst();
    return row && row.expires_at > now ? toUser(row) : null;
  }

  async deleteSession(token: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
  }

  /** A fresh one-time first-run token; earlier unused ones stop working. */
  async createSetupToken(now: number): Promise<string> {
    const token = newToken();
    await this.db.deleteFrom("setup_tokens").where("used_at", "is", null).execute();
    await this.db
      .insertInto("setup_tokens")
      .values({ token_hash: hashToken(token), created_at: now, expires_at: now + SETUP_TOKEN_MS, used_at: null })
      .execute();
    return token;
  }

  /**
   * Marks a first-run token used; false when it is unknown, used or expired, or when any account
   * exists: the link only ever creates the first one, however the first one was made (the CLI too).
   * One statement, so an account made meanwhile by another connection is seen.
   */
  async useSetupToken(token: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable("setup_tokens")
      .set({ used_at: now })
      .where("token_hash", "=", hashToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("accounts").select("id"))))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
