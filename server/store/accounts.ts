// Accounts, users (changes to the team audited), console sessions, the addresses users signed in from,
// and the one-time first-run token.

import { DEFAULT_POLICY } from "../../policy/schema";
import type { Role, Theme, UserOptions } from "../../policy/wire";
import { hashToken, newId, newToken } from "../ids";
import type { Db } from "./db";
import { onPostgres } from "./dialect";
import { sql } from "kysely";
import type { UserTable } from "./schema";

/** An account id: 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash. */
export const ACCOUNT_ID = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
export type User = Pick<UserTable, "id" | "account_id" | "email" | "role"> & {
  imagePreviews: boolean;
  displayName: string | null;
  sound: boolean;
  theme: Theme;
  mail: UserOptions["mail"];
};

/** A signed-in user, and whether their account's requirement of two-factor sign-in leaves them only enrolment. */
export type SessionUser = User & { mustEnrolTwoFactor: boolean; lastSeen: number | null };

const SESSION_MS = 30 * 24 * 3600 * 1000;
/** A User-Agent is kept to tell the user which device a session is: its first 512 characters do. */
const MAX_USER_AGENT = 512;
const SETUP_TOKEN_MS = 24 * 3600 * 1000;
/** How long an owner's password-reset link works: a day to hand it over, once. */
export const PASSWORD_RESET_MS = 24 * 3600 * 1000;
/** How long an address a user signed in from stays theirs: three sessions' worth. */
const SIGN_IN_ADDRESS_MS = 90 * 24 * 3600 * 1000;

/** Who changed the team: a signed-in user, or someone outside the console. */
export type TeamActor = { userId: string } | { via: "command line" | "first-run link" | "password-reset link" };

/** A change to the team as the audit log keeps it: the user as they are after it (and their role before). */
type TeamChange =
  | { action: "user.add"; user: User }
  | { action: "user.role"; user: User; from: Role }
  | { action: "user.remove"; user: User }
  | { action: "user.password"; user: User }
  | { action: "user.reset"; user: User }
  | { action: "user.name"; user: User; from: string | null }
  | { action: "user.two_factor_on"; user: User }
  | { action: "user.two_factor_off"; user: User }
  | { action: "user.sessions_end"; user: User };

/** Why a change to the team was refused: the user is not one of the account's, or they are its last owner. */
export type TeamRefusal = "not_found" | "last_owner";

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
    ...(change.action === "user.role" || change.action === "user.name" ? { from: change.from } : {}),
    ...(change.action === "user.name" ? { name: user.displayName } : {}),
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
  row: Pick<
    UserTable,
    | "id"
    | "account_id"
    | "email"
    | "role"
    | "image_previews"
    | "display_name"
    | "sound"
    | "theme"
    | "mail_offline"
    | "mail_unanswered_minutes"
    | "mail_digest"
  >,
): User {
  return {
    id: row.id,
    account_id: row.account_id,
    email: row.email,
    role: row.role,
    imagePreviews: row.image_previews === 1,
    displayName: row.display_name,
    sound: row.sound === 1,
    theme: row.theme,
    // Until they choose, owners hear of offline messages and agents do not.
    mail: {
      offlineMessages: row.mail_offline === null ? row.role === "owner" : row.mail_offline === 1,
      unansweredMinutes: row.mail_unanswered_minutes,
      digest: row.mail_digest === 1,
    },
  };
}

async function userRow(db: Db, accountId: string, userId: string) {
  return db
    .selectFrom("users")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("id", "=", userId)
    .executeTakeFirst();
}

async function ownersBesides(db: Db, accountId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number | string>().as("owners"))
    .where("account_id", "=", accountId)
    .where("role", "=", "owner")
    .where("removed_at", "is", null)
    .where("id", "<>", userId)
    .executeTakeFirst();
  return Number(row?.owners ?? 0);
}

/** Options to change, each alone; `mail` by its own fields. */
export type OptionChanges = Partial<Omit<UserOptions, "mail">> & { mail?: Partial<UserOptions["mail"]> | undefined };

export class AccountStore {
  constructor(private readonly db: Db) {}

  async accountExists(accountId: string): Promise<boolean> {
    return (
      (await this.db.selectFrom("accounts").select("id").where("id", "=", accountId).executeTakeFirst()) !== undefined
    );
  }

  /** The account's name, as its owner gave it; null for no such account. */
  async accountName(accountId: string): Promise<string | null> {
    const row = await this.db.selectFrom("accounts").select("name").where("id", "=", accountId).executeTakeFirst();
    return row?.name ?? null;
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
      await tx.insertInto("accounts").values({ id: accountId, name, created_at: now, require_two_factor: 0 }).execute();
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
        .select(["id", "removed_at"])
        .where("account_id", "=", accountId)
        .where("email", "=", email)
        .executeTakeFirst();
      if (existing?.removed_at === null) return null;
      // Someone removed and added again is the same person: their old chats and entries are theirs.
      if (existing) {
        await tx
          .updateTable("users")
          .set({ password_hash: passwordHash, role, removed_at: null })
          .where("id", "=", existing.id)
          .execute();
        const user = toUser((await userRow(tx, accountId, existing.id))!);
        await auditTeamChange(tx, { action: "user.add", user }, by, now);
        return user;
      }
      const row = {
        id: newId("user"),
        account_id: accountId,
        email,
        password_hash: passwordHash,
        role,
        image_previews: 1,
        display_name: null,
        sound: 1,
        theme: "auto" as const,
        mail_offline: null,
        mail_unanswered_minutes: null,
        mail_digest: 0,
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
      .where("removed_at", "is", null)
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
      .where("removed_at", "is", null)
      .orderBy("created_at")
      .orderBy("email")
      .execute();
    return rows.map(toUser);
  }

  /** The owners, of every account, who chose the daily digest. */
  async digestOwners(): Promise<User[]> {
    const rows = await this.db
      .selectFrom("users")
      .selectAll()
      .where("mail_digest", "=", 1)
      .where("role", "=", "owner")
      .where("removed_at", "is", null)
      .execute();
    return rows.map(toUser);
  }

  /**
   * Changes the user's own options that `changes` holds, in one update; a display name of null is none.
   * A new display name is audited: visitors see it, so the team can tell who was shown as whom.
   */
  async setOptions(user: User, changes: OptionChanges, now: number): Promise<void> {
    const { imagePreviews, displayName, sound, theme, mail } = changes;
    const set = {
      ...(imagePreviews === undefined ? {} : { image_previews: imagePreviews ? 1 : 0 }),
      ...(displayName === undefined ? {} : { display_name: displayName }),
      ...(sound === undefined ? {} : { sound: sound ? 1 : 0 }),
      ...(theme === undefined ? {} : { theme }),
      ...(mail?.offlineMessages === undefined ? {} : { mail_offline: mail.offlineMessages ? 1 : 0 }),
      ...(mail?.unansweredMinutes === undefined ? {} : { mail_unanswered_minutes: mail.unansweredMinutes }),
      ...(mail?.digest === undefined ? {} : { mail_digest: mail.digest ? 1 : 0 }),
    };
    if (Object.keys(set).length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable("users").set(set).where("id", "=", user.id).execute();
      if (displayName === undefined || displayName === user.displayName) return;
      const renamed = { user: { ...user, displayName }, from: user.displayName };
      await auditTeamChange(tx, { action: "user.name", ...renamed }, { userId: user.id }, now);
    });
  }

  /** Starts a session from `where` (a browser and address); returns the cookie token (only its hash is stored). */
  async createSession(
    user: User,
    now: number,
    where: { userAgent: string | null; address: string | null } = { userAgent: null, address: null },
  ): Promise<string> {
    const token = newToken();
    await this.db
      .insertInto("sessions")
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        account_id: user.account_id,
        created_at: now,
        expires_at: now + SESSION_MS,
        user_agent: where.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
        address: where.address,
        last_seen: now,
      })
      .execute();
    return token;
  }

  /**
   * The session's user, and whether they must enrol a phone before anything else: their account requires
   * two-factor sign-in and they have none. One query, as every console request asks it.
   */
  async sessionUser(token: string, now: number): Promise<SessionUser | null> {
    const row = await this.db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .innerJoin("accounts", "accounts.id", "users.account_id")
      .leftJoin("two_factor", "two_factor.user_id", "users.id")
      .select([
        "users.id",
        "users.account_id",
        "users.email",
        "users.role",
        "users.image_previews",
        "users.display_name",
        "users.sound",
        "users.theme",
        "users.mail_offline",
        "users.mail_unanswered_minutes",
        "users.mail_digest",
        "sessions.expires_at",
        "sessions.last_seen",
        "accounts.require_two_factor",
        "two_factor.secret",
      ])
      .where("sessions.token_hash", "=", hashToken(token))
      .where("users.removed_at", "is", null)
      .executeTakeFirst();
    if (!row || row.expires_at <= now) return null;
    return {
      ...toUser(row),
      mustEnrolTwoFactor: row.require_two_factor === 1 && row.secret === null,
      lastSeen: row.last_seen,
    };
  }

  async deleteSession(token: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
  }

  /** A user of the account still on the team, with their password's hash; null for anyone else. */
  async teamMember(accountId: string, userId: string): Promise<(User & { passwordHash: string }) | null> {
    const row = await userRow(this.db, accountId, userId);
    return row && row.removed_at === null ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  /** Gives a user of the account another role; the account's last owner stays one. Audited. */
  changeRole(accountId: string, userId: string, role: Role, by: TeamActor, now: number): Promise<User | TeamRefusal> {
    return this.changeTeam(accountId, userId, role === "agent", async (tx, user) => {
      if (user.role === role) return user;
      await tx.updateTable("users").set({ role }).where("id", "=", userId).execute();
      // An agent hands out no links: the ones they made as an owner stop working.
      if (role === "agent") await tx.deleteFrom("password_resets").where("issued_by", "=", userId).execute();
      const changed = { ...user, role };
      await auditTeamChange(tx, { action: "user.role", user: changed, from: user.role }, by, now);
      return changed;
    });
  }

  /**
   * Takes a user off the team: they can no longer sign in, their sessions end, their chats and audit
   * entries keep their name. The account's last owner cannot go. Audited.
   */
  removeUser(accountId: string, userId: string, by: TeamActor, now: number): Promise<User | TeamRefusal> {
    return this.changeTeam(accountId, userId, true, async (tx, user) => {
      await tx.updateTable("users").set({ removed_at: now }).where("id", "=", userId).execute();
      await tx.deleteFrom("sessions").where("user_id", "=", userId).execute();
      // Their links, and the ones they made for others: someone removed must not keep a way back in.
      await tx
        .deleteFrom("password_resets")
        .where((eb) => eb.or([eb("user_id", "=", userId), eb("issued_by", "=", userId)]))
        .execute();
      await tx.deleteFrom("agent_presence").where("user_id", "=", userId).execute();
      // Added again later (same id), they enrol afresh: a phone enrolled before must not come back with them.
      await tx.deleteFrom("two_factor").where("user_id", "=", userId).execute();
      await auditTeamChange(tx, { action: "user.remove", user }, by, now);
      return user;
    });
  }

  /** Sets a user's password and ends their sessions but the one of `keep` (a token). Audited as `by`'s doing. */
  async setPassword(user: User, passwordHash: string, keep: string | null, by: TeamActor, now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", user.id).execute();
      let ended = tx.deleteFrom("sessions").where("user_id", "=", user.id);
      if (keep !== null) ended = ended.where("token_hash", "<>", hashToken(keep));
      await ended.execute();
      // A new password voids every link to set one: a leaked link must not outlive securing the account.
      await tx.deleteFrom("password_resets").where("user_id", "=", user.id).execute();
      await auditTeamChange(tx, { action: "user.password", user }, by, now);
    });
  }

  /** A one-time link's token for `user` to set a new password, valid PASSWORD_RESET_MS; earlier ones stop working. Audited. */
  async createPasswordReset(user: User, by: TeamActor, now: number): Promise<string> {
    const token = newToken();
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("password_resets").where("user_id", "=", user.id).execute();
      await tx
        .insertInto("password_resets")
        .values({
          token_hash: hashToken(token),
          user_id: user.id,
          issued_by: "userId" in by ? by.userId : null,
          created_at: now,
          expires_at: now + PASSWORD_RESET_MS,
          used_at: null,
        })
        .execute();
      await auditTeamChange(tx, { action: "user.reset", user }, by, now);
    });
    return token;
  }

  /**
   * Uses a password-reset token: the user it was made for, once, within its time and while they are
   * on the team; null otherwise. One statement marks it used, so two uses at once cannot both pass.
   */
  async usePasswordReset(token: string, now: number): Promise<User | null> {
    const used = await this.db
      .updateTable("password_resets")
      .set({ used_at: now })
      .where("token_hash", "=", hashToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning("user_id")
      .executeTakeFirst();
    if (!used) return null;
    const row = await this.db.selectFrom("users").selectAll().where("id", "=", used.user_id).executeTakeFirst();
    return row && row.removed_at === null ? toUser(row) : null;
  }

  /**
   * Runs `change` on a user of the account, one change to the account's team at a time (SQLite
   * writes one transaction at a time; on PostgreSQL an advisory lock per account), so two owners
   * demoting each other at once cannot leave the account with none. `takesOwner`: the change takes
   * an owner's role away, refused when they are the last.
   */
  private changeTeam(
    accountId: string,
    userId: string,
    takesOwner: boolean,
    change: (tx: Db, user: User) => Promise<User>,
  ): Promise<User | TeamRefusal> {
    return this.db.transaction().execute(async (tx) => {
      if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`team:${accountId}`}))`.execute(tx);
      const row = await userRow(tx, accountId, userId);
      if (!row || row.removed_at !== null) return "not_found";
      if (takesOwner && row.role === "owner" && (await ownersBesides(tx, accountId, userId)) === 0) return "last_owner";
      return change(tx, toUser(row));
    });
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
