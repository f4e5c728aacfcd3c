// The policy document (countries, websites, files, network switches) with ETag/If-Match, the visitor preview, and the audit log.

import { Hono } from "hono";
import * as z from "zod/mini";
import { HOSTING_NETWORKS } from "../../policy/hosting";
import { parseIp } from "../../policy/ip";
import { VISITOR_ID } from "../../policy/rules";
import { countryCodeSchema, policyDocumentSchema } from "../../policy/schema";
import { decide } from "../../policy/verdict";
import { ownerWrites, requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError, fieldError, parseWith } from "../http/errors";
import { readJson } from "../http/request-body";
import { announcePolicyChange } from "../realtime/policy-events";
import { requirePolicy } from "../verdict/policy-cache";
import { checkTeamAvatar, dropReplacedTeamAvatar } from "./avatars";

const previewSchema = z.strictObject({
  ip: z.string().check(z.maxLength(100)),
  country: z.optional(z.nullable(countryCodeSchema)),
  page: z.string().check(z.maxLength(4096, "A page URL is at most 4096 characters.")),
  visitor: z.optional(
    z.nullable(
      z.string().check(z.regex(VISITOR_ID, "A visitor id is v_ and 16 letters, digits, - or _, as a chat shows it.")),
    ),
  ),
});

/** Audit entries per page unless asked for fewer. */
const AUDIT_PAGE = 50;
const auditQuerySchema = z.strictObject({
  before: z.optional(z.string().check(z.regex(/^\d{1,15}$/, "before is the id of an entry, as `next` gave it."))),
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/, "limit is a whole number from 1 to 100."))),
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
    await checkTeamAvatar(deps, user.account_id, stored.document, document);
    const version = await deps.policies.putPolicy(user.account_id, document, expected, user.id, deps.now());
    if (version === null) {
      throw new ApiError(
        412,
        "stale",
        "Someone else saved this policy after you loaded it: reload to see their change; what you typed is kept.",
      );
    }
    await announcePolicyChange(deps, user.account_id, "policy");
    await dropReplacedTeamAvatar(deps, stored.document, document);
    c.header("ETag", etagOf(version));
    return c.json(document);
  });

  app.post("/preview", requireUser(deps, "owner"), async (c) => {
    const body = await readJson(c, previewSchema);
    const ip = parseIp(body.ip);
    if (!ip.ok) throw fieldError("ip", ip.error.message);
    const country = body.country ?? null;
    const policy = await requirePolicy(deps.policyCache, c.get("user").account_id);
    // The preview names the visitor's network whatever the policy reads, so the owner sees what a rule would match.
    const as = await deps.networks.asOfLoaded(ip.address).catch(() => null);
    const tor = deps.networks.isTorExit(ip.address);
    const agentsOnline = await deps.presence.refresh(c.get("user").account_id).catch(() => null);
    const visitor = {
      ip: ip.address,
      country,
      page: body.page,
      visitorId: body.visitor ?? null,
      as,
      tor,
      agentsOnline,
    };
    return c.json(decide(policy, visitor, deps.now()));
  });

  // What the network switches can know: whether the Tor list is there and fresh, and how big the hosting table is.
  app.get("/networks", requireUser(deps), (c) =>
    c.json({ tor: deps.networks.tor, hosting: { networks: HOSTING_NETWORKS.length } }),
  );

  app.get("/audit", requireUser(deps, "owner"), async (c) => {
    const query = parseWith(auditQuerySchema, c.req.query());
    const limit = query.limit === undefined ? AUDIT_PAGE : Number(query.limit);
    const entries = await deps.policies.audit(
      c.get("user").account_id,
      query.before === undefined ? null : Number(query.before),
      limit,
    );
    // The next page starts before the last entry of this one; none when this one was not full.
    const next = entries.length === limit ? (entries.at(-1)?.id ?? null) : null;
    return c.json({ entries, next });
  });

  return app;
}
