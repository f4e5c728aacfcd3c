// IP rules: list (agents too), add one or many lines (all valid or nothing stored), remove.

import { Hono } from "hono";
import { planIpRules } from "../../policy/ip-rules";
import { ipRulesInputSchema, type RuleAuthor } from "../../policy/schema";
import { ownerWrites, requireUser, type ConsoleEnv } from "../console-auth";
import type { Deps } from "../deps";
import { ApiError, fieldError } from "../errors";
import { readJson, type BodyLimit } from "../request-body";
import { announcePolicyChange } from "../policy-events";

/** 10,000 lines of up to 100 characters, as JSON, with room for the comment. */
const PASTE_LIMIT: BodyLimit = {
  maxBytes: 1_100_000,
  message: "That paste is too large: split it into pastes of at most 10,000 lines.",
};

/**
 * IP rules: agents read, owners add and remove.
 * @example POST /api/v1/console/ip-rules {"text":"203.0.113.7/24\n198.51.100.1","comment":"spam"}
 *   → 201 {"rules":[{"network":"203.0.113.0/24",…},…],"lines":[{"line":1,"status":"added","hostBitsCleared":true,…},…]}
 */
export function ipRuleRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  // "/ip-rules/*" also matches "/ip-rules" itself.
  app.use("/ip-rules/*", requireUser(deps), ownerWrites());

  app.get("/ip-rules", async (c) => c.json({ rules: await deps.policies.listRules(c.get("user").account_id) }));

  app.post("/ip-rules", async (c) => {
    const body = await readJson(c, ipRulesInputSchema, PASTE_LIMIT);
    const user = c.get("user");
    const now = deps.now();
    const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : null;
    if (expiresAt !== null && expiresAt <= now) {
      throw fieldError("expiresAt", "The expiry is in the past: pick a later time, or none.");
    }
    const author: RuleAuthor = { kind: "console", userId: user.id, email: user.email };
    // Planned against the rules as stored at that moment, not a cache another instance may not have renewed yet.
    const { result: plan, rules } = await deps.policies.addRules(
      user.account_id,
      (current) => {
        const planned = planIpRules(body.text, current, expiresAt);
        const add = planned.ok
          ? planned.outcomes.flatMap((o) => (o.status === "added" ? [{ network: o.network, text: o.text }] : []))
          : [];
        return { add, result: planned };
      },
      body.comment,
      author,
      expiresAt,
      now,
    );
    if (!plan.ok) {
      const first = plan.errors[0]!;
      throw new ApiError(
        400,
        "invalid_lines",
        `Line ${first.line}: ${first.message}${plan.errors.length > 1 ? ` (and ${plan.errors.length - 1} more bad lines)` : ""} Nothing was saved.`,
        {
          text: plan.errors.map((e) => `line ${e.line}: ${e.message}`).join("\n"),
        },
      );
    }
    if (rules.length > 0) await announcePolicyChange(deps, user.account_id, "ip-rules");
    const lines = plan.outcomes.map((o) =>
      o.status === "added"
        ? { line: o.line, input: o.input, status: o.status, network: o.text, hostBitsCleared: o.hostBitsCleared }
        : { line: o.line, input: o.input, status: o.status, network: o.text, into: o.into, message: o.message },
    );
    return c.json({ rules, lines }, 201);
  });

  app.delete("/ip-rules/:id", async (c) => {
    const user = c.get("user");
    if (!(await deps.policies.deleteRule(user.account_id, c.req.param("id"), user.id, deps.now()))) {
      throw new ApiError(404, "not_found", "There is no such IP rule in this account.");
    }
    await announcePolicyChange(deps, user.account_id, "ip-rules");
    return c.body(null, 204);
  });

  return app;
}
