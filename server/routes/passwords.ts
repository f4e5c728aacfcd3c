// Passwords: a user changes their own (the current one required), and anyone with an owner's
// one-time link sets a new one without a session (the link is the proof). Both end the user's other
// sessions, on every instance at once, and are audited.

import { Hono } from "hono";
import * as z from "zod/mini";
import { requireUser, sessionToken, type ConsoleEnv } from "../auth/console-auth";
import { hashPassword, passwordFieldSchema, passwordProblem, verifyPassword } from "../auth/passwords";
import type { Deps } from "../deps";
import { addressOf } from "../http/client-ip";
import { ApiError, fieldError } from "../http/errors";
import { readJson } from "../http/request-body";
import { addressKey } from "../protection/rate-limit";

const changeSchema = z.strictObject({ current: passwordFieldSchema, password: passwordFieldSchema });
const resetSchema = z.strictObject({
  token: z
    .string()
    .check(z.minLength(1, "token is the one in the link."), z.maxLength(200, "token is the one in the link.")),
  password: passwordFieldSchema,
});

/**
 * @example POST /api/v1/console/me/password {"current":"…","password":"…"} → 204
 * @example POST /api/v1/console/password-reset {"token":"…","password":"…"} → 204, or 403 reset_link_used
 */
export function passwordRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.post("/me/password", requireUser(deps), async (c) => {
    const body = await readJson(c, changeSchema);
    const user = c.get("user");
    // A stolen session guessing the password spends the user's own sign-in budget, as a sign-in would.
    await deps.limits.loginFailuresByUserAndIp.take(`password-change:${user.id}`);
    const member = await deps.accounts.teamMember(user.account_id, user.id);
    if (!member || !(await verifyPassword(body.current, member.passwordHash)))
      throw fieldError("current", "That is not your current password.");
    const problem = passwordProblem(body.password);
    if (problem) throw fieldError("password", problem);
    const hash = await hashPassword(body.password, deps.config.passwordCost);
    await deps.accounts.setPassword(user, hash, sessionToken(c) ?? null, { userId: user.id }, deps.now());
    deps.changes.publish({ type: "team", accountId: user.account_id, userId: user.id });
    return c.body(null, 204);
  });

  app.post("/password-reset", async (c) => {
    const body = await readJson(c, resetSchema);
    await deps.limits.loginByIp.take(addressKey(addressOf(c.env.incoming, deps.clientAddress).parsed));
    const problem = passwordProblem(body.password);
    if (problem) throw fieldError("password", problem);
    const user = await deps.accounts.usePasswordReset(body.token, deps.now());
    if (!user)
      throw new ApiError(
        403,
        "reset_link_used",
        "This link is used, expired or replaced by a newer one: ask an owner of your account for a new one.",
      );
    const hash = await hashPassword(body.password, deps.config.passwordCost);
    // Audited as the link's doing, not the user's: the log tells a link used from a password changed.
    await deps.accounts.setPassword(user, hash, null, { via: "password-reset link" }, deps.now());
    deps.changes.publish({ type: "team", accountId: user.account_id, userId: user.id });
    return c.body(null, 204);
  });

  return app;
}
