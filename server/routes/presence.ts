// Presence in the console: each user says online or away; owners see the whole team. A user whose
// consoles have all been closed for a few minutes is offline, whatever they chose.

import { Hono } from "hono";
import * as z from "zod/mini";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { readJson } from "../http/request-body";

const presenceSchema = z.strictObject({
  status: z.enum(["online", "away"], { error: 'status is "online" or "away".' }),
});

/**
 * @example PUT /api/v1/console/presence {"status":"away"} → 200 {"status":"away","team":[…]}
 */
export function presenceRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  app.use("/presence", requireUser(deps));

  /** The signed-in user's status, and for owners the team's. */
  async function answer(user: ConsoleEnv["Variables"]["user"]) {
    const team = await deps.presenceStore.team(user.account_id, deps.now());
    const status = team.find((member) => member.userId === user.id)?.status ?? "offline";
    return user.role === "owner" ? { status, team } : { status };
  }

  // A console asking is a console connected: recorded first, so the answer never lags its own event stream's.
  app.get("/presence", async (c) => {
    await deps.presence.connected(c.get("user"));
    return c.json(await answer(c.get("user")));
  });

  app.put("/presence", async (c) => {
    const { status } = await readJson(c, presenceSchema);
    const user = c.get("user");
    await deps.presence.choose(user, status);
    return c.json(await answer(user));
  });

  return app;
}
