// Canned replies: every user of the account reads the list (the answer box offers it on "/"); owners
// add and remove replies.

import { Hono } from "hono";
import { MAX_CANNED_REPLIES } from "../../policy/limits";
import { cannedReplyInputSchema } from "../../policy/schema";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { readJson } from "../http/request-body";
import type { ReplyRefusal } from "../store/replies";

const REFUSALS: Record<ReplyRefusal, ApiError> = {
  shortcut_taken: new ApiError(409, "shortcut_taken", "shortcut: Another reply has that shortcut: choose another.", {
    fields: { shortcut: "Another reply has that shortcut: choose another." },
  }),
  too_many: new ApiError(
    409,
    "too_many_replies",
    `The account keeps at most ${MAX_CANNED_REPLIES} canned replies: remove one you no longer use first.`,
  ),
};

/**
 * @example GET /api/v1/console/replies → {"replies":[{"id":"reply_…","shortcut":"refund","text":"…"}]}
 * @example POST /api/v1/console/replies {"shortcut":"refund","text":"Refunds take 5 days."} → 201 {…}
 * @example DELETE /api/v1/console/replies/reply_… → 204
 */
export function replyRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.get("/replies", requireUser(deps), async (c) =>
    c.json({ replies: await deps.replies.list(c.get("user").account_id) }),
  );

  app.post("/replies", requireUser(deps, "owner"), async (c) => {
    const body = await readJson(c, cannedReplyInputSchema);
    const user = c.get("user");
    const made = await deps.replies.add(user.account_id, body, user.id, deps.now());
    if (typeof made === "string") throw REFUSALS[made];
    return c.json(made, 201);
  });

  app.delete("/replies/:id", requireUser(deps, "owner"), async (c) => {
    const user = c.get("user");
    if (!(await deps.replies.remove(user.account_id, c.req.param("id"), user.id, deps.now())))
      throw new ApiError(404, "not_found", "There is no such canned reply in this account.");
    return c.body(null, 204);
  });

  return app;
}
