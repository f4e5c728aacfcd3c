// The account's users, for owners: list them and add an agent or another owner (audited).

import { Hono } from "hono";
import * as z from "zod/mini";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import { hashPassword, passwordFieldSchema, passwordProblem } from "../auth/passwords";
import type { Deps } from "../deps";
import { ApiError, fieldError } from "../http/errors";
import { readJson } from "../http/request-body";
import { emailSchema } from "./session";

const newUserSchema = z.strictObject({
  email: emailSchema,
  password: passwordFieldSchema,
  role: z.enum(["agent", "owner"], { error: `role is "agent" or "owner".` }),
});

/**
 * Users of the signed-in owner's account.
 * @example POST /api/v1/console/users {"email":"ana@example.com","password":"…","role":"agent"}
 *   → 201 {"id":"user_…","email":"ana@example.com","role":"agent"}
 */
export function userRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  // "/users/*" also matches "/users" itself.
  app.use("/users/*", requireUser(deps, "owner"));

  app.get("/users", async (c) => {
    const users = await deps.accounts.listUsers(c.get("user").account_id);
    return c.json({ users: users.map((user) => ({ id: user.id, email: user.email, role: user.role })) });
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
    return c.json({ id: user.id, email: user.email, role: user.role }, 201);
  });

  return app;
}
