// A real Hatch server on loopback over a temp DATA_DIR, with helpers to sign in and call the API.
// In the "postgres" test project it runs on its own PostgreSQL database and Redis database number.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { SESSION_COOKIE } from "../../server/auth/console-auth";
import type { ScryptParams } from "../../server/auth/passwords";
import { loadConfig, type Config } from "../../server/config";
import type { Seams } from "../../server/deps";
import { hashToken, newId, newToken } from "../../server/ids";
import type { Limits } from "../../server/limits";
import { conversationEvent } from "../../server/realtime/changes";
import { startServer, type RunningServer } from "../../server/server";
import type { Conversation } from "../../server/store/conversations";
import { onSharedServices, sharedServicesEnv } from "./shared-services";
import { testClock, type TestClock } from "./clock";

import { PASSWORD, TEST_PASSWORD_COST } from "./password";

export { PASSWORD };

export interface Harness {
  server: RunningServer;
  /** The environment it was started with: another instance started with it shares its store and Redis. */
  env: Record<string, string>;
  url: string;
  origin: string;
  /** The server's clock: skip() it to let time pass, reset() it after. */
  clock: TestClock;
  /**
   * A client with a session of that user, started in the store: the tests of signing in (and those
   * that prove a password works) use signIn(), which takes the password over HTTP at scrypt's cost.
   */
  login(account: string, email: string): Promise<ConsoleClient>;
  stop(): Promise<void>;
}

export interface InstanceOptions {
  /** scrypt's cost for new hashes: TEST_PASSWORD_COST unless the test is about the hash (SCRYPT_PARAMS). */
  passwordCost?: ScryptParams;
  /** Limits lowered for a test that must exceed them, so it sends kilobytes where the real one takes megabytes. */
  limits?: Partial<Limits>;
  /** A shorter heartbeat or lower rule caps than the real ones (the clock is the harness's own). */
  seams?: Partial<Omit<Seams, "now">>;
}

export interface ConsoleClient {
  cookie: string;
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** Starts a server with accounts `acme` (owner@acme.test, agent@acme.test) and `rival` (owner@rival.test). */
export async function startHarness(env: Record<string, string> = {}, options: InstanceOptions = {}): Promise<Harness> {
  const shared = onSharedServices ? await sharedServicesEnv({ migrated: true }) : {};
  const h = await startInstance({ ...shared, ...env }, options);
  const { accounts, now } = h.server.deps;
  // PASSWORD's hash at TEST_PASSWORD_COST, made once for the whole run (test/global-setup.ts).
  const hash = inject("passwordHash");
  for (const [account, users] of [
    [
      "acme",
      [
        ["owner@acme.test", "owner"],
        ["agent@acme.test", "agent"],
      ],
    ],
    ["rival", [["owner@rival.test", "owner"]]],
  ] as const) {
    await accounts.createAccount(account, account.toUpperCase(), now());
    for (const [email, role] of users) await accounts.addUser(account, email, hash, role, now());
  }
  return h;
}

/**
 * One more Hatch process's worth of server over `env` and a DATA_DIR of its own: with another
 * harness's `env` (DATABASE_URL and REDIS_URL), a second instance of the same deployment.
 */
export async function startInstance(env: Record<string, string>, options: InstanceOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-test-"));
  const loaded = loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, ...env });
  const config: Config = {
    ...loaded,
    passwordCost: options.passwordCost ?? TEST_PASSWORD_COST,
    limits: { ...loaded.limits, ...options.limits },
  };
  const clock = testClock();
  const server = await startServer(config, { ...options.seams, now: clock.now });
  const url = server.url;
  const origin = new URL(server.deps.config.publicUrl).origin;
  return {
    server,
    env,
    url,
    origin,
    clock,
    async login(account, email) {
      const user = await server.deps.accounts.findLogin(account, email);
      if (!user) throw new Error(`no user ${email} in ${account}`);
      const token = await server.deps.accounts.createSession(user, server.deps.now());
      return consoleClient(url, `${SESSION_COOKIE}=${token}`, origin);
    },
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in to the Hatch at `url` and returns a client that sends the session cookie and the console's Origin. */
export async function signIn(
  url: string,
  account: string,
  email: string,
  { password = PASSWORD, origin = new URL(url).origin } = {},
): Promise<ConsoleClient> {
  const response = await fetch(`${url}/api/v1/console/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ account, email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return consoleClient(url, (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "", origin);
}

/** A client that sends `cookie` and the console's Origin with every request. */
function consoleClient(url: string, cookie: string, origin: string): ConsoleClient {
  return {
    cookie,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      if (!headers.has("origin")) headers.set("origin", origin);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}${path}`, { ...init, headers, body });
    },
  };
}

/** The three sessions most tests need: acme's owner and agent, and the rival account's owner. */
export async function signInAll(
  h: Harness,
): Promise<{ owner: ConsoleClient; agent: ConsoleClient; rival: ConsoleClient }> {
  const [owner, agent, rival] = await Promise.all([
    h.login("acme", "owner@acme.test"),
    h.login("acme", "agent@acme.test"),
    h.login("rival", "owner@rival.test"),
  ]);
  return { owner, agent, rival };
}

/** Loads the policy document, lets `change` edit it, and saves it with If-Match; throws if refused. */
export async function editPolicy(client: ConsoleClient, change: (doc: Record<string, unknown>) => void): Promise<void> {
  const current = await client.fetch("/api/v1/console/policy");
  const doc = await current.json();
  change(doc);
  const saved = await client.fetch("/api/v1/console/policy", {
    method: "PUT",
    json: doc,
    headers: { "if-match": current.headers.get("etag") ?? "" },
  });
  if (saved.status !== 200) throw new Error(`policy not saved: ${saved.status} ${await saved.text()}`);
}

/** The host site the visitor helpers embed the chat on; the default policy allows every site. */
const SITE = "https://shop.example";

/** Puts automatic protection's limits out of reach, for tests that pin another limit with a flood. */
export async function withoutAutomaticBans(h: Harness): Promise<void> {
  const owner = await h.login("acme", "owner@acme.test");
  await editPolicy(owner, (doc) => {
    doc.protection = { chatsPerHour: 1000, messagesPerMinute: 1000 };
  });
}

export interface VisitorSession {
  ticket: string;
  /** The chat the session started. */
  conversationId: string;
  /** The chat's secret, as the widget keeps it: given when the chat started, sent on every request. */
  secret: string;
  /** A ticketed request to `/api/v1/widget/acme` + `path`, from the site's origin, with the chat's secret. */
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export interface VisitorOptions {
  site?: string;
  /** The visitor id the browser keeps; a new visitor when absent. */
  visitor?: string;
  /** The address a trusted proxy says the visitor has (for a harness started with TRUST_PROXY=loopback). */
  forwardedFor?: string;
  /** The secret of the visitor's open chat, to resume it; without it a visitor with a chat open is refused (409). */
  secret?: string;
}

export interface VerdictQuery {
  /** The visitor's address, as X-Forwarded-For (test servers trust loopback, so it counts). */
  ip?: string | undefined;
  /** The `visitor` parameter, verbatim. */
  visitor?: string | undefined;
  /** The host site: the page is its root, and its origin the Origin. */
  site?: string;
  route?: "verdict" | "ticket";
}

/** Asks acme's verdict (or ticket) as the loader does: for the site's root page, with its Origin. */
export function askVerdict(
  h: Pick<Harness, "url">,
  { ip, visitor, site = SITE, route = "verdict" }: VerdictQuery = {},
): Promise<Response> {
  const query = `page=${encodeURIComponent(`${site}/`)}${visitor === undefined ? "" : `&visitor=${visitor}`}`;
  const proxy: Record<string, string> = ip === undefined ? {} : { "x-forwarded-for": ip };
  return fetch(`${h.url}/api/v1/widget/acme/${route}?${query}`, { headers: { origin: site, ...proxy } });
}

/** A visitor of acme who holds a ticket and has started a chat, as the widget would. */
export async function visitorSession(
  h: Pick<Harness, "url">,
  { site = SITE, visitor, forwardedFor, secret }: VisitorOptions = {},
): Promise<VisitorSession> {
  const proxy: Record<string, string> = forwardedFor ? { "x-forwarded-for": forwardedFor } : {};
  const answer = await askVerdict(h, { ip: forwardedFor, visitor: visitor || undefined, site, route: "ticket" });
  const verdict = (await answer.json()) as { ticket?: string };
  const { ticket } = verdict;
  // The verdict's answer says why (hidden by a rule, by the away mode…).
  if (!ticket) throw new Error(`no ticket for ${site}: ${answer.status} ${JSON.stringify(verdict)}`);
  let kept = secret;
  const send = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${ticket}`);
    headers.set("origin", site);
    if (kept !== undefined && !headers.has("x-chat-secret")) headers.set("x-chat-secret", kept);
    for (const [name, value] of Object.entries(proxy)) headers.set(name, value);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return fetch(`${h.url}/api/v1/widget/acme${path}`, { ...init, headers, body });
  };
  const started = await send("/conversations", { method: "POST" });
  const body = (await started.json()) as { conversation?: { id: string }; secret?: string };
  kept = body.secret ?? secret;
  if (!body.conversation || kept === undefined) throw new Error(`no chat started: ${started.status}`);
  return { ticket, conversationId: body.conversation.id, secret: kept, fetch: send };
}

export interface ChatRequestOptions {
  accountId?: string;
  visitorIp?: string;
  /** The visitor's first words, if any. */
  firstMessage?: string;
}

/** A visitor's chat request as the widget route makes it, without HTTP: stored, then announced to event streams. */
export async function chatRequest(
  h: Harness,
  { accountId = "acme", visitorIp = "203.0.113.7", firstMessage }: ChatRequestOptions = {},
): Promise<Conversation> {
  const { conversations, changes, now } = h.server.deps;
  const started = await conversations.startOrResume(
    {
      accountId,
      visitorId: newId("v"),
      visitorIp,
      visitorCountry: "DE",
      page: "https://shop.example/x",
      secretHash: hashToken(newToken()),
    },
    null,
    now(),
  );
  if (started?.eventId == null) throw new Error("a fresh visitor should open a new chat");
  const { conversation, eventId } = started;
  changes.publish(conversationEvent(conversation, eventId));
  if (firstMessage !== undefined) {
    const written = await conversations.addMessage(conversation, "visitor", null, firstMessage, null, now());
    if (written) changes.publish(conversationEvent(conversation, written.eventId));
  }
  return conversation;
}
