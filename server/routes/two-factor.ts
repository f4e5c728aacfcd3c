// Two-factor sign-in for the signed-in user: enrol a phone (a secret, its otpauth:// link and QR code),
// confirm it with a first code (answering ten backup codes, shown this once), and turn it off with a
// code. The sign-in checks the code through secondFactorAccepted().

import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { requireUser, sessionToken, type ConsoleEnv } from "../auth/console-auth";
import { passwordFieldSchema, verifyPassword } from "../auth/passwords";
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
import { hashToken } from "../ids";
import type { User } from "../store/accounts";

/** A code as typed: six digits, or a backup code; nothing longer is either. */
export const codeSchema = z
  .string({ error: "code is the six digits your app shows, or one of your backup codes." })
  .check(z.trim(), z.maxLength(20, "code is the six digits your app shows, or one of your backup codes."));
const codeBody = z.strictObject({ code: codeSchema });
const passwordBody = z.strictObject({ password: passwordFieldSchema });
const turnOffBody = z.strictObject({ code: codeSchema, password: passwordFieldSchema });
const accountBody = z.strictObject({
  requireTwoFactor: z.boolean({ error: "requireTwoFactor is true or false." }),
});

const wrongCode = () =>
  fieldError(
    "code",
    "That code is not the one your app shows now, or was used already: wait for the next one (check the phone's clock if it keeps failing).",
  );

/**
 * Whether `code` is the user's TOTP code now (and unused) or one of their unused backup codes; uses it
 * up. Every code checked spends one of the user's ten wrong codes an hour, from any address or session,
 * and only a right code gives it back: six digits fall to a million tries, not a password's more.
 */
export async function secondFactorAccepted(deps: Deps, userId: string, secret: string, code: string): Promise<boolean> {
  await deps.limits.twoFactorFailuresByUser.take(userId);
  const step = acceptedStep(secret, code, deps.now());
  const right = TOTP_CODE.test(code)
    ? step !== null && (await deps.twoFactor.useStep(userId, step))
    : await deps.twoFactor.useBackupCode(userId, backupCodeHash(code));
  if (right) await deps.limits.twoFactorFailuresByUser.refund(userId, 1);
  return right;
}

/**
 * Refuses unless `password` is the signed-in user's: changing how they sign in asks for it, so a stolen
 * session cannot enrol its own phone or turn the user's off. Wrong guesses spend the user's budget (ten
 * in 15 minutes), as at sign-in; a right password gives its try back.
 */
async function checkPassword(deps: Deps, user: User, password: string): Promise<void> {
  const budget = deps.limits.loginFailuresByUserAndIp;
  const key = `two-factor:${user.id}`;
  await budget.take(key);
  const member = await deps.accounts.teamMember(user.account_id, user.id);
  if (!member || !(await verifyPassword(password, member.passwordHash)))
    throw fieldError("password", "That is not your current password.");
  await budget.refund(key, 1);
}

/** The hash of the request's session, which an enrolment is bound to. */
const sessionHashOf = (c: Context) => hashToken(sessionToken(c) ?? "");

/**
 * @example POST /api/v1/console/me/two-factor {"password":"…"} → 200 {"secret":"JBSW…","otpauthUrl":"otpauth://totp/…","qrSvg":"<svg…"}
 * @example POST /api/v1/console/me/two-factor/confirm {"code":"123456"} → 200 {"backupCodes":["abcd-efgh",…]}
 * @example DELETE /api/v1/console/me/two-factor {"code":"123456","password":"…"} → 204
 * @example PATCH /api/v1/console/account {"requireTwoFactor":true} → 200 {"requireTwoFactor":true} (owners who have it on)
 */
export function twoFactorRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.post("/me/two-factor", requireUser(deps, "enrolling"), async (c) => {
    const { password } = await readJson(c, passwordBody);
    const user = c.get("user");
    await checkPassword(deps, user, password);
    const secret = newSecret();
    if (!(await deps.twoFactor.startEnrolment(user.id, secret, sessionHashOf(c))))
      throw new ApiError(
        409,
        "two_factor_on",
        "Two-factor sign-in is on already: turn it off first to move it to another phone.",
      );
    const url = otpauthUrl(secret, user.account_id, user.email);
    return c.json({ secret, otpauthUrl: url, qrSvg: await qrSvg(url) });
  });

  // The enrolment's QR code for the console's <img>: its page allows images of its own origin only.
  app.get("/me/two-factor/qr.svg", requireUser(deps, "enrolling"), async (c) => {
    const user = c.get("user");
    const secret = await deps.twoFactor.pendingSecret(user.id, sessionHashOf(c));
    if (!secret) throw new ApiError(404, "not_found", "No enrolment is under way: start one from Options.");
    const svg = await qrSvg(otpauthUrl(secret, user.account_id, user.email));
    return c.body(svg, 200, { "content-type": "image/svg+xml", "cache-control": "no-store" });
  });

  app.post("/me/two-factor/confirm", requireUser(deps, "enrolling"), async (c) => {
    const { code } = await readJson(c, codeBody);
    const user = c.get("user");
    const secret = await deps.twoFactor.pendingSecret(user.id, sessionHashOf(c));
    if (!secret)
      throw new ApiError(
        409,
        "no_enrolment",
        "No enrolment is under way (or it was confirmed already): start one from Options.",
      );
    const step = acceptedStep(secret, code, deps.now());
    if (step === null) throw wrongCode();
    const backupCodes = newBackupCodes();
    const enrolment = { secret, sessionHash: sessionHashOf(c), step, backupHashes: backupCodes.map(backupCodeHash) };
    if (!(await deps.twoFactor.confirm(user, enrolment, deps.now())))
      throw new ApiError(
        409,
        "no_enrolment",
        "This enrolment was confirmed or replaced meanwhile: start again from Options.",
      );
    // Its other sessions ended: their open feeds close on every instance now, not at the next beat.
    deps.changes.publish({ type: "team", accountId: user.account_id, userId: user.id });
    return c.json({ backupCodes });
  });

  app.delete("/me/two-factor", requireUser(deps), async (c) => {
    const { code, password } = await readJson(c, turnOffBody);
    const user = c.get("user");
    await checkPassword(deps, user, password);
    const factor = await deps.twoFactor.secondFactor(user.id);
    if (!factor) throw new ApiError(409, "two_factor_off", "Two-factor sign-in is off already.");
    if ((await deps.twoFactor.status(user)).required)
      throw new ApiError(
        409,
        "two_factor_required_by_account",
        "Your account requires two-factor sign-in of everyone: an owner stops requiring it first (Options).",
      );
    if (!(await secondFactorAccepted(deps, user.id, factor.secret, code))) throw wrongCode();
    await deps.twoFactor.disable(user, { userId: user.id }, deps.now());
    return c.body(null, 204);
  });

  // Owners require it of the whole team, once they sign in with it themselves.
  app.patch("/account", requireUser(deps, "owner"), async (c) => {
    const { requireTwoFactor } = await readJson(c, accountBody);
    const owner = c.get("user");
    if (requireTwoFactor && !(await deps.twoFactor.secondFactor(owner.id)))
      throw new ApiError(
        409,
        "two_factor_off",
        "Turn on two-factor sign-in for yourself first (Options): requiring it would otherwise stop you at once.",
      );
    await deps.twoFactor.setRequired(owner, requireTwoFactor, deps.now());
    return c.json({ requireTwoFactor });
  });

  return app;
}
