// Where a user is signed in: their sessions with the device, address and last use of each; they end any
// or all of their others, and owners end every session of a member. An ended session's open feed closes
// on every instance at once (a team change), not at its next heartbeat.

import Bowser from "bowser";
import { Hono } from "hono";
import { requireUser, sessionToken, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { hashToken } from "../ids";
import { auditTeamChange } from "../store/accounts";

/** "Chrome on Linux", "Safari on iOS": a browser and system a person recognises; null when neither is known. */
export function deviceOf(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name && !os.name) return null;
  return [browser.name, os.name].filter(Boolean).join(" on ");
}

/**
 * @example GET /api/v1/console/me/sessions → 200 [{"id":"…","current":true,"device":"Chrome on Linux","userAgent":"Mozilla/5.0 …","address":"192.0.2.1","lastSeen":…,"createdAt":…}]
 * @example DELETE /api/v1/console/me/sessions/:id → 204; DELETE /api/v1/console/me/sessions → 200 {"ended":2} (all others)
 * @example DELETE /api/v1/console/users/:id/sessions → 200 {"ended":1} (owners)
 */
export function sessionListRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  const teamChanged = (accountId: string, userId: string) => deps.changes.publish({ type: "team", accountId, userId });

  app.get("/me/sessions", requireUser(deps), async (c) => {
    const current = hashToken(sessionToken(c) ?? "");
    const sessions = await deps.sessions.list(c.get("user").id, deps.now());
    return c.json(
      sessions.map((session) => ({ ...session, current: session.id === current, device: deviceOf(session.userAgent) })),
    );
  });

  app.delete("/me/sessions/:id", requireUser(deps), async (c) => {
    const user = c.get("user");
    if (!(await deps.sessions.end(user.id, c.req.param("id"))))
      throw new ApiError(404, "not_found", "No such session of yours: it may have ended already.");
    teamChanged(user.account_id, user.id);
    return c.body(null, 204);
  });

  app.delete("/me/sessions", requireUser(deps), async (c) => {
    const user = c.get("user");
    const ended = await deps.sessions.endAll(user.id, sessionToken(c) ?? null);
    teamChanged(user.account_id, user.id);
    return c.json({ ended });
  });

  app.delete("/users/:id/sessions", requireUser(deps, "owner"), async (c) => {
    const owner = c.get("user");
    const member = await deps.accounts.teamMember(owner.account_id, c.req.param("id"));
    if (!member) throw new ApiError(404, "not_found", "That user is not on your team.");
    // An owner ending their own: all but this one, as "sign out everywhere else".
    const keep = member.id === owner.id ? (sessionToken(c) ?? null) : null;
    const ended = await deps.sessions.endAll(member.id, keep);
    await auditTeamChange(deps.db, { action: "user.sessions_end", user: member }, { userId: owner.id }, deps.now());
    teamChanged(owner.account_id, member.id);
    return c.json({ ended });
  });

  return app;
}
