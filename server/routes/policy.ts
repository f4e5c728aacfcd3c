// The policy document (countries, websites, files) with ETag/If-Match, and the visitor preview.

import { Hono } from "hono";
import * as z from "zod/mini";
import { parseIp } from "../../policy/ip";
import { countryCodeSchema, policyDocumentSchema } from "../../policy/schema";
import { decide } from "../../policy/verdict";
import { ownerWrites, requireUser, type ConsoleEnv } from "../console-auth";
import type { Deps } from "../deps";
import { ApiError, fieldError } from "../errors";
import { readJson } from "../request-body";
import { requirePolicy } from "../policy-cache";
import { announcePolicyChange } from "../policy-events";

const previewSchema = z.strictObject({
  ip: z.string().check(z.maxLength(100)),
  country: z.optional(z.nullable(countryCodeSchema)),
  page: z.string().check(z.maxLength(4096, "A page URL is at most 4096 characters.")),
});

const etagOf = (version: number) => `"${version}"`;

/**
 * The version an If-Match names, or throws the contract's 428. Weak validators are refused;
 * `*` (RFC 9110 §13.1.1: any current version) means the caller chose to overwrite, so it is `current`.
 */
function expectedVersion(header: string | undefined, current: number): number {
  if (header === undefined) {
    throw new ApiError(428, "if_match_required", "Send If-Match with the ETag you loaded, so nobody's change is lost.");
  }
  if (header.trim() === "*") return current;
  const match = /^"(\d+)"$/.exec(header.trim());
  if (!match)
    throw new ApiError(412, "stale", "If-Match does not name a version of this policy: reload it and try again.");
  return Number(match[1]);
}

/**
 * The policy document (owners write, agents read) and the owner's visitor preview.
 * @example PUT /api/v1/console/policy (If-Match: "3") {"countries":…,"websites":…,"files":…} → 200, ETag: "4"
 */
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
    const user = c.get("user");
    const stored = await deps.policies.getPolicy(user.account_id);
    if (!stored) throw new ApiError(404, "not_found", "This account has no policy.");
    const expected = expectedVersion(c.req.header("if-match"), stored.version);
    const document = await readJson(c, policyDocumentSchema);
    const version = await deps.policies.putPolicy(user.account_id, document, expected, user.id, deps.now());
    if (version === null) {
      throw new ApiError(
        412,
        "stale",
        "Someone else saved this policy after you loaded it: reload to see their change; what you typed is kept.",
      );
    }
    await announcePolicyChange(deps, user.account_id, "policy");
    c.header("ETag", etagOf(version));
    return c.json(document);
  });

  app.post("/preview", requireUser(deps, "owner"), async (c) => {
    const body = await readJson(c, previewSchema);
    const ip = parseIp(body.ip);
    if (!ip.ok) throw fieldError("ip", ip.error.message);
    const country = body.country ?? null;
    const policy = await requirePolicy(deps.policyCache, c.get("user").account_id);
    return c.json(decide(policy, { ip: ip.address, country, page: body.page }, deps.now()));
  });

  return app;
}
