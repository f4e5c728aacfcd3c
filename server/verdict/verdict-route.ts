// server/verdict/: whether a visitor sees the chat, and each account's compiled policy that decides it;
// above protection, whose limits and challenges it applies.
// The verdict, answered from Node's request: `GET /api/v1/widget/:account/verdict?page=URL[&visitor=ID]`
// answers `{"show":false}` with no reason, or `{"show":true,"config"}`. An unknown account, a page the
// browser's Origin (or Referer) does not confirm, and a hiding rule all get the same answer.
// `GET …/ticket` with the same parameters decides the same way and adds the signed `ticket`.
//
// Decision (a change to DESIGN.md, which puts the ticket in the verdict): the widget asks for the
// ticket only when the visitor first writes or a remembered chat resumes. The verdict runs on every
// page view of every site and most visitors never chat, yet signing a ticket was half of the
// verdict's cost. The ticket is still bound to account, visitor, IP and origin, and issued only
// after the whole verdict is decided again.
// The verdict is the hot path, so server.ts routes both straight here, ahead of Hono: the
// framework's own request and response objects cost more than the whole decision.
// Words: `policy/` is the folder of pure rules; an account's settings are its policy document
// (PolicyDocument), which the cache compiles into a CompiledPolicy, called `compiled` here.

import type { IncomingMessage } from "node:http";
import { formatIp } from "../../policy/ip";
import { VISITOR_ID } from "../../policy/rules";
import { challengedBy, hiddenBy, type CompiledPolicy } from "../../policy/verdict";
import { parsePage, type PageResult } from "../../policy/website";
import type { Deps } from "../deps";
import { addressOf, browserOrigin, countryOf, type VisitorAddress } from "../http/client-ip";
import { corsHeaders } from "../http/cors";
import { ApiError, errorBody } from "../http/errors";
import { BoundedMemo } from "../http/memo";
import { PATHS } from "../http/paths";
import type { VerdictOutcome } from "../http/metrics";
import { securityHeadersFor } from "../http/security-headers";
import { newId } from "../ids";
import { addressKey, tooMany, verdictLimitKey } from "../protection/rate-limit";
import { findPolicy, peekPolicy } from "./policy-cache";
import { MAX_PAGE_PARAM_CHARS, MAX_REMEMBERED_PAGE_CHARS } from "../limits";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HIDDEN = JSON.stringify({ show: false });

/** A verdict or ticket request: the account it names, and whether a ticket is asked for. */
export interface VerdictRequest {
  account: string;
  ticket: boolean;
}

/** What a verdict or ticket URL asks, or null when the URL is neither. */
export function verdictRequest(url: string): VerdictRequest | null {
  const match = PATHS.verdict.exec(url);
  if (!match) return null;
  const name = match[1] ?? "";
  const ticket = match[2] === "ticket";
  if (!name.includes("%")) return { account: name, ticket };
  try {
    return { account: decodeURIComponent(name), ticket };
  } catch {
    // Malformed escapes: no account has such a name, and the route answers 404 like any unknown path.
    return null;
  }
}

const VERDICT_HEADERS = Object.freeze({
  ...securityHeadersFor("/api/v1/widget/"),
  "Content-Type": "application/json",
  "Cache-Control": "no-store",
});

/** A verdict's whole header set per CORS answer, built once: spreading fifteen headers per request showed in the bench. */
const withCors = new WeakMap<Readonly<Record<string, string>>, Readonly<Record<string, string>>>();
function verdictHeaders(cors: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let headers = withCors.get(cors);
  if (headers === undefined) withCors.set(cors, (headers = Object.freeze({ ...VERDICT_HEADERS, ...cors })));
  return headers;
}

/**
 * The first value of `name` in a query string, decoded as URLSearchParams decodes it, without
 * building them all: the verdict needs two of them. A name must be written plainly (`page=`, as the
 * loader writes it); a value that is not well percent-encoded is left to URLSearchParams.
 */
export function queryParam(query: string, name: string): string | null {
  const key = `${name}=`;
  let start = 0;
  while (start <= query.length) {
    const amp = query.indexOf("&", start);
    const end = amp === -1 ? query.length : amp;
    if (query.startsWith(key, start)) {
      const raw = query.slice(start + key.length, end).replaceAll("+", " ");
      try {
        return raw.includes("%") ? decodeURIComponent(raw) : raw;
      } catch {
        return new URLSearchParams(query.slice(start, end)).get(name);
      }
    }
    start = end + 1;
  }
  return null;
}

/**
 * Pages parsed lately, by their text before the query and fragment: the rules never look at those,
 * they may hold a visitor's secrets, and without them most page views of a site are of a few pages.
 * Parsing a URL was the verdict's costliest step. Bounded: emptied when full, so made-up pages cost
 * what they would without it.
 */
const pageMemo = new BoundedMemo<string, PageResult>(10_000);

export function parsedPage(text: string): PageResult {
  const query = text.indexOf("?");
  const fragment = text.indexOf("#");
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
  const key = end === -1 ? text : text.slice(0, end);
  // A real page's address is short; a long one is parsed each time rather than held: made-up pages
  // of 4 KB each would otherwise keep tens of megabytes here.
  if (key.length > MAX_REMEMBERED_PAGE_CHARS) return parsePage(key);
  return pageMemo.get(key) ?? pageMemo.set(key, parsePage(key));
}

/** The answer's `config` after the visitor id is the same for every visitor of a policy: serialised once. */
const configMemo = new WeakMap<CompiledPolicy, { widget: string | null; json: string }>();
function configRest(compiled: CompiledPolicy, widget: string | null): string {
  let memo = configMemo.get(compiled);
  if (memo?.widget !== widget)
    configMemo.set(
      compiled,
      (memo = {
        widget,
        // `language` only when the owner pinned one: the widget otherwise follows the browser. The
        // look holds only what differs from the widget's defaults (policy/widget-look.ts).
        json: JSON.stringify({
          files: compiled.files,
          widget,
          ...(compiled.language ? { language: compiled.language } : {}),
          ...compiled.look,
        }).slice(1),
      }),
    );
  return memo.json;
}

/**
 * Decides and answers one verdict or ticket request: at once while the account's policy is loaded
 * (every request after the first), through a promise only when it must be read from the store.
 * Cheap refusals come first, so an abuser hammering the verdict costs the server as little as possible.
 * @example answerVerdict(deps, req, { account: "acme", ticket: false }) // { status: 200, headers: {…}, body: '{"show":true,"config":{…}}' }
 */
export function answerVerdict(deps: Deps, req: IncomingMessage, request: VerdictRequest): Answer | Promise<Answer> {
  try {
    const now = deps.now();
    const address = addressOf(req, deps.clientAddress);
    // A ticket's limit is shared by every instance, so it is a round trip; a page view's is not.
    if (request.ticket) {
      return (
        deps.limits.ticket
          .take(addressKey(address.parsed))
          .then(() => findPolicy(deps.policyCache, request.account))
          // A ticket may wait for the ASN data where a page view may not: a chat starts only with every rule applied.
          .then(async (loaded) => {
            if (loaded?.needsAs) await deps.networks.ready().catch(() => undefined);
            return answerFor(deps, req, request, { address, compiled: loaded, now });
          })
          .catch((error: unknown) => refusal(deps, req, request, error))
      );
    }
    const waitMs = deps.verdictLimit.take(verdictLimitKey(address.parsed), now);
    if (waitMs > 0) throw tooMany("requests", waitMs);
    const compiled = peekPolicy(deps.policyCache, request.account);
    if (compiled !== undefined) return answerFor(deps, req, request, { address, compiled, now });
    return deps.policyCache
      .get(request.account)
      .then((loaded) => answerFor(deps, req, request, { address, compiled: loaded, now }));
  } catch (error) {
    return refusal(deps, req, request, error);
  }
}

/** An ApiError as the verdict's answer, readable by the pages the rules allow, so the widget can say "try again in 12 s". */
function refusal(deps: Deps, req: IncomingMessage, request: VerdictRequest, error: unknown): Answer {
  if (!(error instanceof ApiError)) throw error;
  deps.metrics.countVerdict("refused");
  if (error.status === 429)
    deps.metrics.rateLimited.inc({ route: `/api/v1/widget/:account/${request.ticket ? "ticket" : "verdict"}` });
  const cors = corsHeaders(peekPolicy(deps.policyCache, request.account) ?? null, browserOrigin(req));
  const headers = { ...verdictHeaders(cors), ...error.headers };
  return { status: error.status, headers, body: JSON.stringify(errorBody(error.code, error.message, error.fields)) };
}

/** What answerVerdict() found out before deciding. */
interface Found {
  address: VisitorAddress;
  compiled: CompiledPolicy | null;
  now: number;
}

function answerFor(
  deps: Deps,
  req: IncomingMessage,
  { account, ticket: withTicket }: VerdictRequest,
  { address, compiled, now }: Found,
): Answer | Promise<Answer> {
  const origin = browserOrigin(req);
  const headers = verdictHeaders(corsHeaders(compiled, origin));
  if (compiled === null) return hidden(deps, headers, "account");
  if (origin === null) return hidden(deps, headers, "origin");
  const url = req.url ?? "";
  const query = url.slice(url.indexOf("?") + 1 || url.length);
  const pageText = queryParam(query, "page") ?? "";
  const page = pageText.length <= MAX_PAGE_PARAM_CHARS ? parsedPage(pageText) : null;
  if (!page?.ok || page.page.origin !== origin) return hidden(deps, headers, "origin");
  // A country rule that is off needs no country: the GeoIP lookup is skipped.
  const country = compiled.countries.mode === "off" ? null : countryOf(req, deps, address);
  // A visitor id that is not well formed is ignored, never an error: the visitor gets a new one.
  const asked = queryParam(query, "visitor");
  const visitorId = asked !== null && VISITOR_ID.test(asked) ? asked : null;
  // The AS and the Tor list only when the policy has a rule or switch that reads them.
  const ip = address.parsed;
  const as = compiled.needsAs ? deps.networks.asOf(ip) : null;
  const tor = compiled.needsTor && deps.networks.isTorExit(ip);
  // Presence from this instance's memory: a Map, never the store (presence.ts).
  const agentsOnline = deps.presence.online(account) ?? null;
  const check = hiddenBy(compiled, { ip, country, page: page.page, visitorId, as, tor, agentsOnline }, now);
  if (check !== null) return hidden(deps, headers, check);
  const away = agentsOnline === false;
  if (!withTicket) {
    deps.metrics.countVerdict("shown");
    // JSON.stringify({ show, config: { visitor, files, widget } }) without its cost: the visitor id
    // (VISITOR_ID or newId) has nothing to escape, and the rest is serialised once per policy.
    return { status: 200, headers, body: `{"show":true,${config(deps, compiled, visitorId ?? newId("v"), away)}` };
  }
  // Only what the rules look at is kept: userinfo, query and fragment can hold a visitor's secrets.
  const claims = { account, ip: formatIp(ip), origin, page: `${page.page.origin}${page.page.path}` };
  const ticketFor = (visitor: string): Answer => {
    deps.metrics.countVerdict("shown");
    const ticket = deps.tickets.issue({ ...claims, visitor }, now);
    // A ticket is base64url and a dot: nothing to escape either.
    return { status: 200, headers, body: `{"show":true,"ticket":"${ticket}",${config(deps, compiled, visitor, away)}` };
  };
  const challenge = () =>
    challengedTicket(deps, { ...claims, visitor: visitorId, solution: queryParam(query, "solution") }, compiled, now, {
      headers,
      ticketFor,
    });
  if (challengedBy(compiled, { as, tor }) !== null) return challenge();
  // An address that many browsers flooded from is challenged for a while rather than banned (protection.ts).
  const challenged = deps.challengedAddresses.challenged(account, addressKey(ip), now);
  if (challenged === false) return ticketFor(visitorId ?? newId("v"));
  return Promise.resolve(challenged).then((yes) => (yes ? challenge() : ticketFor(visitorId ?? newId("v"))));
}

/** `{"show":false}`, counted by the check that hid the chat. */
function hidden(deps: Deps, headers: Readonly<Record<string, string>>, outcome: VerdictOutcome): Answer {
  deps.metrics.countVerdict(outcome);
  return { status: 200, headers, body: HIDDEN };
}

/** The answer's config; `"away":true` when no agent is online, so the widget offers to take a message. */
function config(deps: Deps, compiled: CompiledPolicy, visitor: string, away: boolean): string {
  return `"config":{"visitor":"${visitor}",${away ? `"away":true,` : ""}${configRest(compiled, deps.assets.widgetEntry)}}`;
}

/**
 * The ticket behind the proof-of-work gate: issued for a valid, unused solution of a challenge made
 * for this account, visitor and address; otherwise 403 `challenge_required` with a new challenge
 * (and, for a solution refused, why), which the widget solves and sends back as `&solution=`.
 */
async function challengedTicket(
  deps: Deps,
  asked: { account: string; ip: string; visitor: string | null; solution: string | null },
  compiled: CompiledPolicy,
  now: number,
  answer: { headers: Readonly<Record<string, string>>; ticketFor: (visitor: string) => Answer },
): Promise<Answer> {
  let message = "Show that you are not a robot: solve this proof of work, then ask again with &solution=.";
  if (asked.solution !== null) {
    const redeemed = await deps.challenges.redeem(asked.solution, asked, now);
    if (redeemed.ok) return answer.ticketFor(redeemed.visitor);
    message = redeemed.message;
  }
  const visitor = asked.visitor ?? newId("v");
  const challenge = await deps.challenges.make(
    { account: asked.account, visitor, ip: asked.ip },
    compiled.protection.challengeDifficulty,
    now,
  );
  deps.metrics.countVerdict("challenge");
  return {
    status: 403,
    headers: answer.headers,
    body: JSON.stringify({ error: { code: "challenge_required", message, challenge } }),
  };
}
