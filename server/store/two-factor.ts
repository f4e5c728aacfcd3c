// Each user's two-factor sign-in: the enrolment being confirmed, the secret once it is, the last time
// step a code was used for, and the hashes of the unused backup codes. Turning it on or off is audited.

import type { Db } from "./db";
import { auditTeamChange, type TeamActor, type User } from "./accounts";

/** A user's two-factor sign-in as Options shows it. */
export interface TwoFactorStatus {
  enabled: boolean;
  backupCodesLeft: number;
  /** Their account's owners require it of everyone. */
  required: boolean;
}

/** What the sign-in checks a code against. */
export interface SecondFactor {
  secret: string;
  lastStep: number | null;
}

export class TwoFactorStore {
  constructor(private readonly db: Db) {}

  /** Whether the user signs in with a code, how many backup codes they have left, and whether their account requires it. */
  async status(user: User): Promise<TwoFactorStatus> {
    const row = await this.db
      .selectFrom("accounts")
      .leftJoin("two_factor", (join) => join.on("two_factor.user_id", "=", user.id))
      .select(["accounts.require_two_factor", "two_factor.secret", "two_factor.backup_codes"])
      .where("accounts.id", "=", user.account_id)
      .executeTakeFirst();
    const enabled = row?.secret != null;
    return {
      enabled,
      backupCodesLeft: enabled ? (JSON.parse(row!.backup_codes!) as string[]).length : 0,
      required: row?.require_two_factor === 1,
    };
  }

  /**
   * Requires two-factor sign-in of the account's whole team, or stops requiring it; audited as `owner`'s,
   * who must sign in with it themselves to require it (else the requirement would lock them out at once).
   */
  setRequired(owner: User, required: boolean, now: number): Promise<void> {
    return this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable("accounts")
        .set({ require_two_factor: required ? 1 : 0 })
        .where("id", "=", owner.account_id)
        .execute();
      await tx
        .insertInto("audit_log")
        .values({
          account_id: owner.account_id,
          user_id: owner.id,
          action: "account.two_factor",
          detail: JSON.stringify({ required }),
          created_at: now,
        })
        .execute();
    });
  }

  /** The confirmed secret, or null for a user who signs in with a password alone. */
  async secondFactor(userId: string): Promise<SecondFactor | null> {
    const row = await this.db
      .selectFrom("two_factor")
      .select(["secret", "last_step"])
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row?.secret ? { secret: row.secret, lastStep: row.last_step } : null;
  }

  /**
   * Starts (or starts again) an enrolment with `secret`, for the session of `sessionHash` alone; false when
   * the user has a confirmed secret (another tab confirmed one meanwhile).
   */
  async startEnrolment(userId: string, secret: string, sessionHash: string): Promise<boolean> {
    const started = await this.db
      .insertInto("two_factor")
      .values({
        user_id: userId,
        secret: null,
        pending_secret: secret,
        pending_session: sessionHash,
        last_step: null,
        backup_codes: "[]",
        enabled_at: null,
      })
      .onConflict((conflict) =>
        conflict
          .column("user_id")
          .doUpdateSet({ pending_secret: secret, pending_session: sessionHash })
          .where("two_factor.secret", "is", null),
      )
      .executeTakeFirst();
    return Number(started.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** The secret being enrolled by the session of `sessionHash`; null for any other session. */
  async pendingSecret(userId: string, sessionHash: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("two_factor")
      .select("pending_secret")
      .where("user_id", "=", userId)
      .where("pending_session", "=", sessionHash)
      .where("secret", "is", null)
      .executeTakeFirst();
    return row?.pending_secret ?? null;
  }

  /**
   * Makes the pending secret the user's, its first code's `step` used and `backupHashes` their backup
   * codes, and ends the user's other sessions (one opened with a stolen password must not outlast the
   * second factor); false when no such enrolment was pending (another tab replaced it). Audited.
   */
  confirm(
    user: User,
    enrolment: { secret: string; sessionHash: string; step: number; backupHashes: string[] },
    now: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const confirmed = await tx
        .updateTable("two_factor")
        .set({
          secret: enrolment.secret,
          pending_secret: null,
          pending_session: null,
          last_step: enrolment.step,
          backup_codes: JSON.stringify(enrolment.backupHashes),
          enabled_at: now,
        })
        .where("user_id", "=", user.id)
        .where("secret", "is", null)
        .where("pending_secret", "=", enrolment.secret)
        .where("pending_session", "=", enrolment.sessionHash)
        .executeTakeFirst();
      if (Number(confirmed.numUpdatedRows) === 0) return false;
      await tx
        .deleteFrom("sessions")
        .where("user_id", "=", user.id)
        .where("token_hash", "<>", enrolment.sessionHash)
        .execute();
      await auditTeamChange(tx, { action: "user.two_factor_on", user }, { userId: user.id }, now);
      return true;
    });
  }

  /** Takes `step` as used if no code of it or a later step was: false for a code used already. */
  async useStep(userId: string, step: number): Promise<boolean> {
    const used = await this.db
      .updateTable("two_factor")
      .set({ last_step: step })
      .where("user_id", "=", userId)
      .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
      .executeTakeFirst();
    return Number(used.numUpdatedRows) === 1;
  }

  /** Uses up the backup code of `hash`: false when it is not one of the user's, or was used meanwhile. */
  async useBackupCode(userId: string, hash: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("two_factor")
      .select("backup_codes")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const codes = row ? (JSON.parse(row.backup_codes) as string[]) : [];
    if (!codes.includes(hash)) return false;
    // Compare and set: of two sign-ins with the same code at once, one changes the list the other read.
    const used = await this.db
      .updateTable("two_factor")
      .set({ backup_codes: JSON.stringify(codes.filter((code) => code !== hash)) })
      .where("user_id", "=", userId)
      .where("backup_codes", "=", row!.backup_codes)
      .executeTakeFirst();
    return Number(used.numUpdatedRows) === 1;
  }

  /** Turns two-factor off for the user (they, or the command line for one who lost their phone). Audited. */
  disable(user: User, by: TeamActor, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const removed = await tx.deleteFrom("two_factor").where("user_id", "=", user.id).executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return false;
      await auditTeamChange(tx, { action: "user.two_factor_off", user }, by, now);
      return true;
    });
  }
}
