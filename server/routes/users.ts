// The account's users, for owners: list them, add an agent or another owner, change a role, remove
// someone, and make a one-time link to set a new password (all audited). The last owner stays.

import { resetLetter } from "../mail/letters";
import { Hono } from "hono";
import * as z from "zod/mini";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import { hashPassword, passwordFieldSchema, passwordProblem } from "../auth/passwords";
import type { Deps } from "../deps";
import { ApiError, fieldError } from "../http/errors";
import type { TeamRefusal, User } from "../store/accounts";
import { readJson, rejectBody } from "../http/request-body";
import { emailSchema } from "../auth/user-fields";

const roleSchema = z.enum(["agent", "owner"], { error: `role is "agent" or "owner".` });
const newUserSchema = z.strictObject({ email: emailSchema, password: passwordFieldSchema, role: roleSchema });
const roleChangeSchema = z.strictObject({ role: roleSchema });

const REFUSALS: Record<TeamRefusal, ApiError> = {
  not_found: new ApiError(404, "not_found", "There is no such user in this account."),
  last_owner: new ApiError(
    409,
    "last_owner",
    "This is the account's last owner: make someone else an owner first, so the account keeps one.",
  ),
};

/** The user a change made, or the contract's error for a refused one. */
function madeOrRefused(result: User | TeamRefusal): User {
  if (typeof result === "string") throw REFUSALS[result];
  return result;
}

const userBody = (user: User) => ({ id: user.id, email: user.email, role: user.role });

/**
 * Users of the signed-in owner's account.
 * @example POST /api/v1/console/users {"email":"ana@example.com","password":"…","role":"agent"}
 *   → 201 {"id":"user_…","email":"ana@example.com","role":"agent"}
 * @example PATCH /api/v1/console/users/user_… {"role":"owner"} → 200 {"id":…,"email":…,"role":"owner"}
 * @example DELETE /api/v1/console/users/user_… → 204, or 409 last_owner
 * @example POST /api/v1/console/users/user_…/reset → 201 {"link":"https://…/console/#/reset/…"}, or {"mailed":true} with SMTP_URL
 */
export function userRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  // "/users/*" also matches "/users" itself.
  app.use("/users/*", requireUser(deps, "owner"));

  app.get("/users", async (c) => {
    const users = await deps.accounts.listUsers(c.get("user").account_id);
    return c.json({ users: users.map(userBody) });
  });

  app.post("/users", async (c) => {
    const body = await readJson(c, newUserSchema);
    const problem = passwordProblem(body.password);
    if (problem) throw fieldError("password", problem);
    const owner = c.get("user");
    const user = await deps.accounts.addUser(
      owner.account_id,
      body.email,
      await hashPassword(body.password, deps.config.passwordCost),
      body.role,
      deps.now(),
      { userId: owner.id },
    );
    if (!user) {
      throw new ApiError(409, "email_taken", "email: That email address already has a user in this account.", {
        fields: {
          email: "That email address already has a user in this account.",
        },
      });
    }
    return c.json(userBody(user), 201);
  });

  app.patch("/users/:id", async (c) => {
    const { role } = await readJson(c, roleChangeSchema);
    const owner = c.get("user");
    const user = madeOrRefused(
      await deps.accounts.changeRole(owner.account_id, c.req.param("id"), role, { userId: owner.id }, deps.now()),
    );
    deps.changes.publish({ type: "team", accountId: owner.account_id, userId: user.id });
    return c.json(userBody(user));
  });

  // Their sessions end in the store, so every instance refuses their next request; the change ends
  // their open consoles on every instance at once (console-events.ts).
  app.delete("/users/:id", async (c) => {
    const owner = c.get("user");
    const user = madeOrRefused(
      await deps.accounts.removeUser(owner.account_id, c.req.param("id"), { userId: owner.id }, deps.now()),
    );
    deps.changes.publish({ type: "team", accountId: owner.account_id, userId: user.id });
    deps.changes.publish({ type: "presence", accountId: owner.account_id });
    return c.body(null, 204);
  });

  // Mailed to the user when the server sends mail, and then never shown to the owner; otherwise the
  // owner hands the link over.
  app.post("/users/:id/reset", async (c) => {
    await rejectBody(c);
    const owner = c.get("user");
    const user = madeOrRefused((await deps.accounts.teamMember(owner.account_id, c.req.param("id"))) ?? "not_found");
    const now = deps.now();
    const token = await deps.accounts.createPasswordReset(user, { userId: owner.id }, now);
    const link = `${deps.config.publicUrl}/console/#/reset/${token}`;
    if (deps.config.smtpUrl !== null) {
      await deps.outbox.enqueue({
        accountId: owner.account_id,
        channel: "mail",
        dedupeKey: `reset:${user.id}:${now}`,
        payload: { letter: resetLetter(user.email, link) },
      });
      return c.json({ mailed: true }, 201);
    }
    // A secret: no cache along the way keeps it.
    c.header("Cache-Control", "no-store");
    return c.json({ link }, 201);
  });

  return app;
}
