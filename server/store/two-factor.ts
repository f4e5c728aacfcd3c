// Each user's two-factor sign-in: the enrolment being confirmed, the secret once it is, the last time
// step a code was used for, and the hashes of the unused backup codes. Turning it on or off is audited.

import type { Db } from "./db";
import { auditTeamChange, type TeamActor, type User } from "./accounts";

/** What the sign-in checks a code against. */
export interface SecondFactor {
  secret: string;
  lastStep: number | null;
}

export class TwoFactorStore {
  constructor(private readonly db: Db) {}

  /** Whether the user signs in with a code, and how many backup codes they have left. */
  async status(userId: string): Promise<{ enabled: boolean; backupCodesLeft: number }> {
    const row = await this.db
      .selectFrom("two_factor")
      .select(["secret", "backup_codes"])
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const enabled = row?.secret != null;
    return { enabled, backupCodesLeft: enabled ? (JSON.parse(row!.backup_codes) as string[]).length : 0 };
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

  /** Starts (or starts again) an enrolment with `secret`; a confirmed secret stays in use meanwhile. */
  async startEnrolment(userId: string, secret: string): Promise<void> {
    await this.db
      .insertInto("two_factor")
      .values({
        user_id: userId,
        secret: null,
        pending_secret: secret,
        last_step: null,
        backup_codes: "[]",
        enabled_at: null,
      })
      .onConflict((conflict) => conflict.column("user_id").doUpdateSet({ pending_secret: secret }))
      .execute();
  }

  async pendingSecret(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("two_factor")
      .select("pending_secret")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row?.pending_secret ?? null;
  }

  /**
   * Makes the pending secret the user's, its first code's `step` used and `backupHashes` their backup
   * codes; false when no enrolment was pending (another tab confirmed it). Audited.
   */
  confirm(user: User, secret: string, step: number, backupHashes: string[], now: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const confirmed = await tx
        .updateTable("two_factor")
        .set({
          secret,
          pending_secret: null,
          last_step: step,
          backup_codes: JSON.stringify(backupHashes),
          enabled_at: now,
        })
        .where("user_id", "=", user.id)
        .where("pending_secret", "=", secret)
        .executeTakeFirst();
      if (Number(confirmed.numUpdatedRows) === 0) return false;
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
