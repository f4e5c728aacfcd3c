// The verdict, answered from Node's request: `GET /api/v1/widget/:account/verdict?page=URL[&visitor=ID]`.
// `{"show":false}` with no reason, or `{"show":true,"ticket","config"}`. An unknown account, a page the
// browser's Origin (or Referer) does not confirm, and a hiding rule all get the same answer.
// It is the hot path of every page view on every site, so server.ts routes it straight here, ahead of
// Hono: the framework's own request and response objects cost more than the whole decision.

import type { IncomingMessage } from "node:http";
import { formatIp, parseIp } from "../policy/ip";
import { decide, type CompiledPolicy } from "../policy/verdict";
import { parsePage } from "../policy/website";
import type { Deps } from "./deps";
import { ApiError, errorBody } from "./errors";
import { headerCountry } from "./geo";
import { newId } from "./ids";
import { addressKey } from "./rate-limit";
import { securityHeadersFor } from "./security-headers";
import { ACCOUNT_ID } from "./store/accounts";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const VERDICT_PATH = /^\/api\/v1\/widget\/([^/?]+)\/verdict(?:\?|$)/;
const VISITOR_ID = /^v_[A-Za-z0-9_-]{16}$/;
export const MAX_PAGE_PARAM_CHARS = 4096;
const HIDDEN = JSON.stringify({ show: false });

/** The account a verdict URL names, or null when the URL is not a verdict's. */
export function verdictAccount(url: string): string | null {
  const match = VERDICT_PATH.exec(url);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1] ?? "");
  } catch {
    // Malformed escapes: no account has such a name, and the route answers 404 like any unknown path.
    return null;
  }
}

/** The account's compiled policy; a name that cannot be an account is not even looked up. */
export function policyOf(deps: Deps, account: string): Promise<CompiledPolicy | null> {
  return ACCOUNT_ID.test(account) ? deps.policyCache.get(account) : Promise.resolve(null);
}

const NO_CORS = Object.freeze({ Vary: "Origin" });
/** Origins remembered per compiled policy; a new policy starts afresh, so a change is never stale. */
const corsMemo = new WeakMap<CompiledPolicy, Map<string, Readonly<Record<string, string>>>>();
const MAX_REMEMBERED_ORIGINS = 1000;

/** CORS headers: the Origin is echoed only when the website rules allow some page of it. */
export function corsHeaders(policy: CompiledPolicy | null, origin: string | null): Readonly<Record<string, string>> {
  if (policy === null || origin === null) return NO_CORS;
  let memo = corsMemo.get(policy);
  if (memo === undefined) corsMemo.set(policy, (memo = new Map()));
  let headers = memo.get(origin);
  if (headers === undefined) {
    const page = parsePage(`${origin}/`);
    headers = page.ok && policy.websites.allowsOrigin(page.page)
      ? Object.freeze({ Vary: "Origin", "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After" })
      : NO_CORS;
    // Made-up origins must not grow the memo without end.
    if (memo.size < MAX_REMEMBERED_ORIGINS) memo.set(origin, headers);
  }
  return headers;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The origin the browser says the request comes from: Origin, else Referer's origin. */
export function browserOrigin(req: IncomingMessage): string | null {
  const origin = header(req, "origin");
  if (origin && origin !== "null") return origin;
  const referer = header(req, "referer");
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** The visitor's address as the server can tell it (trusted proxies only), not as the visitor says. */
function addressOf(req: IncomingMessage, deps: Deps) {
  const address = deps.clientAddress(req);
  const parsed = parseIp(address.ip);
  if (!parsed.ok) throw new ApiError(400, "bad_address", "Your network address could not be read.");
  return { ...address, parsed: parsed.address };
}

/** The country: a trusted proxy's header, else the GeoIP database, else null. */
function countryOf(req: IncomingMessage, deps: Deps, address: { ip: string; viaTrustedProxy: boolean }): string | null {
  const fromHeader = deps.config.countryHeader && address.viaTrustedProxy ? headerCountry(header(req, deps.config.countryHeader)) : null;
  return fromHeader ?? deps.geo.country(address.ip);
}

/** Who the request comes from, as far as the server can tell, not as far as the visitor says. */
export function whereFrom(req: IncomingMessage, deps: Deps) {
  const address = addressOf(req, deps);
  return { ip: address.parsed, country: countryOf(req, deps, address) };
}

/**
 * Decides and answers one verdict request.
 * @example answerVerdict(deps, req, "acme") // { status: 200, headers: {…}, body: '{"show":true,"ticket":"…",…}' }
 */
export async function answerVerdict(deps: Deps, req: IncomingMessage, account: string): Promise<Answer> {
  const base = { ...securityHeadersFor("/api/v1/widget/"), "Content-Type": "application/json", "Cache-Control": "no-store" };
  try {
    const now = deps.now();
    const address = addressOf(req, deps);
    deps.limits.verdict.hit(addressKey(address.ip), now);
    const policy = await policyOf(deps, account);
    // A country rule that is off needs no country: the GeoIP lookup is skipped.
    const from = { ip: address.parsed, country: policy?.countries.mode === "off" ? null : countryOf(req, deps, address) };
    const origin = browserOrigin(req);
    const headers = { ...base, ...corsHeaders(policy, origin) };
    const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
    const pageText = query.get("page") ?? "";
    const page = pageText.length <= MAX_PAGE_PARAM_CHARS ? parsePage(pageText) : null;
    const hidden = { status: 200, headers, body: HIDDEN };
    if (!policy || !page?.ok || page.page.origin !== origin) return hidden;
    if (!decide(policy, { ip: from.ip, country: from.country, page: page.page }, now).show) return hidden;
    const asked = query.get("visitor");
    const visitor = asked && VISITOR_ID.test(asked) ? asked : newId("v");
    // Only what the rules look at is kept: userinfo, query and fragment can hold a visitor's secrets.
    const kept = `${page.page.origin}${page.page.path}`;
    const ticket = deps.tickets.issue({ account, visitor, ip: formatIp(from.ip), origin, page: kept }, now);
    const body = JSON.stringify({ show: true, ticket, config: { visitor, files: policy.files, widget: deps.assets.widgetEntry } });
    return { status: 200, headers, body };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, headers: { ...base, ...error.headers }, body: JSON.stringify(errorBody(error.code, error.message, error.fields)) };
  }
}
