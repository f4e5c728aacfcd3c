// Two-factor sign-in for the signed-in user: enrol a phone (a secret, its otpauth:// link and QR code),
// confirm it with a first code (answering ten backup codes, shown this once), and turn it off with a
// code. The sign-in checks the code through secondFactorAccepted().

import { Hono } from "hono";
import * as z from "zod/mini";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import {
  acceptedStep,
  backupCodeHash,
  newBackupCodes,
  newSecret,
  otpauthUrl,
  qrSvg,
  TOTP_CODE,
} from "../auth/two-factor";
import type { Deps } from "../deps";
import { ApiError, fieldError } from "../http/errors";
import { readJson } from "../http/request-body";

/** A code as typed: six digits, or a backup code; nothing longer is either. */
export const codeSchema = z
  .string({ error: "code is the six digits your app shows, or one of your backup codes." })
  .check(z.trim(), z.maxLength(20, "code is the six digits your app shows, or one of your backup codes."));
const codeBody = z.strictObject({ code: codeSchema });

const wrongCode = () =>
  fieldError(
    "code",
    "That code is not the one your app shows now, or was used already: wait for the next one (check the phone's clock if it keeps failing).",
  );

/** Whether `code` is the user's TOTP code now (and unused) or one of their unused backup codes; uses it up. */
export async function secondFactorAccepted(deps: Deps, userId: string, secret: string, code: string): Promise<boolean> {
  if (!TOTP_CODE.test(code)) return deps.twoFactor.useBackupCode(userId, backupCodeHash(code));
  const step = acceptedStep(secret, code, deps.now());
  return step !== null && deps.twoFactor.useStep(userId, step);
}

/**
 * @example POST /api/v1/console/me/two-factor → 200 {"secret":"JBSW…","otpauthUrl":"otpauth://totp/…","qrSvg":"<svg…"}
 * @example POST /api/v1/console/me/two-factor/confirm {"code":"123456"} → 200 {"backupCodes":["abcd-efgh",…]}
 * @example DELETE /api/v1/console/me/two-factor {"code":"123456"} → 204
 */
export function twoFactorRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.post("/me/two-factor", requireUser(deps), async (c) => {
    const user = c.get("user");
    if ((await deps.twoFactor.status(user.id)).enabled)
      throw new ApiError(
        409,
        "two_factor_on",
        "Two-factor sign-in is on already: turn it off first to move it to another phone.",
      );
    const secret = newSecret();
    await deps.twoFactor.startEnrolment(user.id, secret);
    const url = otpauthUrl(secret, user.account_id, user.email);
    return c.json({ secret, otpauthUrl: url, qrSvg: await qrSvg(url) });
  });

  // The enrolment's QR code for the console's <img>: its page allows images of its own origin only.
  app.get("/me/two-factor/qr.svg", requireUser(deps), async (c) => {
    const user = c.get("user");
    const secret = await deps.twoFactor.pendingSecret(user.id);
    if (!secret) throw new ApiError(404, "not_found", "No enrolment is under way: start one from Options.");
    const svg = await qrSvg(otpauthUrl(secret, user.account_id, user.email));
    return c.body(svg, 200, { "content-type": "image/svg+xml", "cache-control": "no-store" });
  });

  app.post("/me/two-factor/confirm", requireUser(deps), async (c) => {
    const { code } = await readJson(c, codeBody);
    const user = c.get("user");
    const secret = await deps.twoFactor.pendingSecret(user.id);
    if (!secret)
      throw new ApiError(
        409,
        "no_enrolment",
        "No enrolment is under way (or it was confirmed already): start one from Options.",
      );
    const step = acceptedStep(secret, code, deps.now());
    if (step === null) throw wrongCode();
    const backupCodes = newBackupCodes();
    if (!(await deps.twoFactor.confirm(user, secret, step, backupCodes.map(backupCodeHash), deps.now())))
      throw new ApiError(
        409,
        "no_enrolment",
        "This enrolment was confirmed or replaced meanwhile: start again from Options.",
      );
    return c.json({ backupCodes });
  });

  app.delete("/me/two-factor", requireUser(deps), async (c) => {
    const { code } = await readJson(c, codeBody);
    const user = c.get("user");
    const factor = await deps.twoFactor.secondFactor(user.id);
    if (!factor) throw new ApiError(409, "two_factor_off", "Two-factor sign-in is off already.");
    if (!(await secondFactorAccepted(deps, user.id, factor.secret, code))) throw wrongCode();
    await deps.twoFactor.disable(user, { userId: user.id }, deps.now());
    return c.body(null, 204);
  });

  return app;
}
