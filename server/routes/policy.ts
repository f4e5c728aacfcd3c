// The policy document (countries, websites, files) with ETag/If-Match, and the visitor preview.

import { Hono } from "hono";
import * as z from "zod/mini";
import { parseIp } from "../../policy/ip";
import { policyDocumentSchema } from "../../policy/schema";
import { decide } from "../../policy/verdict";
import { ownerWrites, requireUser, type ConsoleEnv } from "../console-auth";
import type { Deps } from "../deps";
import { ApiError, readJson } from "../errors";
import { announcePolicyChange } from "../policy-events";

const previewSchema = z.strictObject({
  ip: z.string().check(z.maxLength(100)),
  country: z.optional(z.nullable(z.string().check(z.maxLength(2)))),
  page: z.string().check(z.maxLength(4096, "A page URL is at most 4096 characters.")),
});

const etagOf = (version: number) => `"${version}"`;

/** The version an If-Match names, or throws the contract's 428. Weak validators are refused. */
function expectedVersion(header: string | undefined): number {
  if (header === undefined) {
    throw new ApiError(428, "if_match_required", "Send If-Match with the ETag you loaded, so nobody's change is lost.");
  }
  const match = /^"(\d+)"$/.exec(header.trim());
  if (!match) throw new ApiError(412, "stale", "If-Match does not name a version of this policy: reload it and try again.");
  return Number(match[1]);
}

export function policyRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.use("/policy", requireUser(deps), ownerWrites());

  app.get("/policy", async (c) => {
    const stored = await deps.policies.getPolicy(c.get("user").account_id);
    if (!stored) throw new ApiError(404, "not_found", "This account has no policy.");
    c.header("ETag", etagOf(stored.version));
    return c.json(stored.document);
  });

  app.put("/policy", async (c) => {
    const expected = expectedVersion(c.req.header("if-match"));
    const document = await readJson(c, policyDocumentSchema);
    const user = c.get("user");
    const version = await deps.policies.putPolicy(user.account_id, document, expected, user.id, deps.now());
    if (version === null) {
      throw new ApiError(412, "stale", "Someone else saved this policy after you loaded it: reload to see their change; what you typed is kept.");
    }
    await announcePolicyChange(deps, user.account_id, "policy");
    c.header("ETag", etagOf(version));
    return c.json(document);
  });

  app.post("/preview", requireUser(deps, "owner"), async (c) => {
    const body = await readJson(c, previewSchema);
    const ip = parseIp(body.ip);
    if (!ip.ok) throw new ApiError(400, "invalid", `ip: ${ip.error.message}`, { ip: ip.error.message });
    const country = body.country ? body.country.toUpperCase() : null;
    const policy = await deps.policyCache.get(c.get("user").account_id);
    if (!policy) throw new ApiError(404, "not_found", "This account has no policy.");
    return c.json(decide(policy, { ip: ip.address, country, page: body.page }, deps.now()));
  });

  return app;
}
