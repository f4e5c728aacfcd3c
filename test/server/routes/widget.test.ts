// The visitor side over HTTP: verdicts, CORS, tickets, trusted proxies, limits, a block mid-chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  editPolicy,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
  withoutAutomaticBans,
} from "../harness";

const SITE = "https://shop.example";
let h: Harness;
let trusted: Harness;
let owner: ConsoleClient;

function verdict(
  server: Harness,
  account: string,
  page: string,
  headers: Record<string, string> = {},
  route: "verdict" | "ticket" = "verdict",
) {
  const origin = headers.origin ?? new URL(page).origin;
  return fetch(`${server.url}/api/v1/widget/${account}/${route}?page=${encodeURIComponent(page)}`, {
    headers: { origin, ...headers },
  });
}

async function ticketFor(server: Harness, headers: Record<string, string> = {}) {
  const body = await (await verdict(server, "acme", `${SITE}/cart`, headers, "ticket")).json();
  expect(body.show).toBe(true);
  return body.ticket as string;
}

function visitor(
  server: Harness,
  ticket: string,
  path: string,
  init: RequestInit & { json?: unknown } = {},
  extra: Record<string, string> = {},
) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${ticket}`);
  headers.set("origin", SITE);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return fetch(`${server.url}/api/v1/widget/acme${path}`, { ...init, headers, body });
}

/** Starts the ticket's chat (or resumes it, with its secret in `extra`): the chat, and the secret a new one comes with. */
async function startChat(server: Harness, ticket: string, extra: Record<string, string> = {}) {
  const response = await visitor(server, ticket, "/conversations", { method: "POST" }, extra);
  const body = await response.json();
  return { status: response.status, conversation: body.conversation as { id: string }, secret: body.secret as string };
}

const withSecret = (secret: string, extra: Record<string, string> = {}) => ({ ...extra, "x-chat-secret": secret });

beforeAll(async () => {
  h = await startHarness();
  trusted = await startHarness({ TRUST_PROXY: "loopback", COUNTRY_HEADER: "cf-ipcountry" });
  await withoutAutomaticBans(trusted);
  owner = await h.login("acme", "owner@acme.test");
  await editPolicy(owner, (doc) => {
    doc.websites = { allowed: ["shop.example", "*.shop.example"], blocked: ["shop.example/admin"] };
  });
  const trustedOwner = await trusted.login("acme", "owner@acme.test");
  await editPolicy(trustedOwner, (doc) => {
    doc.countries = { mode: "block", list: ["RU"] };
  });
  await trustedOwner.fetch("/api/v1/console/ip-rules", {
    method: "POST",
    json: { text: "203.0.113.0/24", comment: "abuse" },
  });
});
afterAll(async () => {
  await h.stop();
  await trusted.stop();
});

describe("the verdict", () => {
  it("shows the chat on an allowed page with the file policy, no ticket and no caching", async () => {
    const response = await verdict(h, "acme", `${SITE}/cart`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
    const body = await response.json();
    expect(body).toMatchObject({
      show: true,
      config: { files: { categories: ["image", "audio", "video", "text"], maxBytes: 10485760 } },
    });
    expect(body).not.toHaveProperty("ticket");
    expect(body.config.visitor).toMatch(/^v_/);
  });

  it("carries the language the owner pins in the config, and none while the widget follows the browser", async () => {
    expect((await (await verdict(h, "acme", `${SITE}/cart`)).json()).config).not.toHaveProperty("language");
    await editPolicy(owner, (doc) => {
      doc.window = { language: "de" };
    });
    expect((await (await verdict(h, "acme", `${SITE}/cart`)).json()).config.language).toBe("de");
    const current = await owner.fetch("/api/v1/console/policy");
    const refused = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: { ...(await current.json()), window: { language: "klingon" } },
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.fields["window.language"]).toMatch(/^language is one of en, de, fr/);
    await editPolicy(owner, (doc) => {
      delete doc.window;
    });
  });

  it("signs a ticket on the ticket route, bound to the visitor id it is given", async () => {
    const { config } = await (await verdict(h, "acme", `${SITE}/cart`)).json();
    const response = await fetch(
      `${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/cart`)}&visitor=${config.visitor}`,
      { headers: { origin: SITE } },
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
    const body = await response.json();
    expect(body).toMatchObject({ show: true, config: { visitor: config.visitor } });
    expect(h.server.deps.tickets.verify(body.ticket, h.server.deps.now())).toMatchObject({
      account: "acme",
      visitor: config.visitor,
      ip: "127.0.0.1",
      origin: SITE,
    });
  });

  it.each([
    ["a blocked path", "acme", `${SITE}/admin`, SITE],
    ["a page that disagrees with the Origin", "acme", `${SITE}/`, "https://copy.example"],
    ["an unknown account", "nobody", `${SITE}/`, SITE],
  ])("signs no ticket for %s", async (_name, account, page, origin) => {
    expect(await (await verdict(h, account, page, { origin }, "ticket")).json()).toEqual({ show: false });
  });

  it("does not let a copied site's browser read a ticket (CORS)", async () => {
    const copied = await verdict(h, "acme", "https://copy.example/", { origin: "https://copy.example" }, "ticket");
    expect(copied.headers.get("access-control-allow-origin")).toBeNull();
    expect(await copied.json()).toEqual({ show: false });
  });

  it("keeps the visitor id it is given, so a returning visitor resumes", async () => {
    const first = await (await verdict(h, "acme", `${SITE}/`)).json();
    const again = await (
      await fetch(
        `${h.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(SITE + "/")}&visitor=${first.config.visitor}`,
        { headers: { origin: SITE } },
      )
    ).json();
    expect(again.config.visitor).toBe(first.config.visitor);
  });

  it.each([
    ["a blocked path", `${SITE}/admin`, SITE],
    ["an unlisted site", "https://copy.example/", "https://copy.example"],
    ["a page that disagrees with the Origin", `${SITE}/`, "https://copy.example"],
    ["a file: page", "file:///tmp/x.html", "null"],
  ])("answers {show:false} with no reason for %s", async (_name, page, origin) => {
    const response = await verdict(h, "acme", page, { origin });
    expect(await response.json()).toEqual({ show: false });
  });

  it("answers an unknown account exactly like a hidden chat", async () => {
    expect(await (await verdict(h, "nobody", `${SITE}/`)).json()).toEqual({ show: false });
  });

  it("hides when neither Origin nor Referer confirms the page", async () => {
    const response = await fetch(`${h.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(SITE + "/")}`);
    expect(await response.json()).toEqual({ show: false });
  });

  it("confirms the page from the Referer when there is no Origin", async () => {
    const response = await fetch(`${h.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(SITE + "/a")}`, {
      headers: { referer: `${SITE}/a` },
    });
    expect((await response.json()).show).toBe(true);
  });

  it("does not echo an origin the website rules do not allow (CORS)", async () => {
    const response = await verdict(h, "acme", "https://copy.example/", { origin: "https://copy.example" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "OPTIONS",
      headers: { origin: "https://copy.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const allowed = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "OPTIONS",
      headers: { origin: "https://help.shop.example", "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://help.shop.example");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("Authorization");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("X-Chat-Secret");
  });

  it("stops echoing an origin as soon as the owner's rules drop it", async () => {
    const other = "https://help.shop.example";
    expect((await verdict(h, "acme", `${other}/`)).headers.get("access-control-allow-origin")).toBe(other);
    await editPolicy(owner, (doc) => {
      doc.websites = { allowed: ["shop.example"], blocked: [] };
    });
    try {
      expect((await verdict(h, "acme", `${other}/`)).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await editPolicy(owner, (doc) => {
        doc.websites = { allowed: ["shop.example", "*.shop.example"], blocked: ["shop.example/admin"] };
      });
    }
  });

  it("ignores X-Forwarded-For and the country header from an untrusted peer", async () => {
    const spoofed = await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "8.8.8.8" });
    expect((await spoofed.json()).show).toBe(true);
    // Same headers to the server that trusts nobody: the loopback address is used, the header ignored.
    const untrusting = await startHarness();
    try {
      const owner2 = await untrusting.login("acme", "owner@acme.test");
      await owner2.fetch("/api/v1/console/ip-rules", { method: "POST", json: { text: "127.0.0.1", comment: "" } });
      const blockedAnyway = await verdict(untrusting, "acme", `${SITE}/`, { "x-forwarded-for": "8.8.8.8" });
      expect(await blockedAnyway.json()).toEqual({ show: false });
      await owner2.fetch("/api/v1/console/ip-rules", { method: "POST", json: { text: "203.0.113.0/24", comment: "" } });
      const notSpoofable = await verdict(untrusting, "acme", `${SITE}/`, {
        "x-forwarded-for": "203.0.113.5",
        "cf-ipcountry": "RU",
      });
      expect(await notSpoofable.json()).toEqual({ show: false });
    } finally {
      await untrusting.stop();
    }
  });

  it("believes a trusted proxy's X-Forwarded-For and country header", async () => {
    expect(await (await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "203.0.113.5" })).json()).toEqual({
      show: false,
    });
    expect(
      await (
        await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "192.0.2.1", "cf-ipcountry": "RU" })
      ).json(),
    ).toEqual({ show: false });
    expect(
      (
        await (
          await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "192.0.2.1", "cf-ipcountry": "DE" })
        ).json()
      ).show,
    ).toBe(true);
  });

  it("uses the GeoIP database when no header names the country", async () => {
    // 8.8.8.8 is US in the bundled database; block US and it is hidden.
    const o = await trusted.login("acme", "owner@acme.test");
    await editPolicy(o, (doc) => {
      doc.countries = { mode: "block", list: ["RU", "US"] };
    });
    expect(await (await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "8.8.8.8" })).json()).toEqual({
      show: false,
    });
    expect((await (await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "194.25.0.1" })).json()).show).toBe(
      true,
    );
    await editPolicy(o, (doc) => {
      doc.countries = { mode: "block", list: ["RU"] };
    });
  });
});

describe("limits", () => {
  it("rate-limits verdicts per address with 429 and Retry-After", async () => {
    const headers = { "x-forwarded-for": "192.0.2.200" };
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) statuses.push((await verdict(trusted, "acme", `${SITE}/`, headers)).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    const limited = await verdict(trusted, "acme", `${SITE}/`, headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is unaffected, and tickets have a budget of their own.
    expect((await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "192.0.2.201" })).status).toBe(200);
    expect((await verdict(trusted, "acme", `${SITE}/`, headers, "ticket")).status).toBe(200);
  });

  it("rate-limits tickets per address with a 429 the page can read", async () => {
    const headers = { "x-forwarded-for": "192.0.2.210" };
    for (let i = 0; i < 60; i++)
      expect((await verdict(trusted, "acme", `${SITE}/`, headers, "ticket")).status).toBe(200);
    const limited = await verdict(trusted, "acme", `${SITE}/`, headers, "ticket");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(limited.headers.get("access-control-expose-headers")).toContain("Retry-After");
    expect((await limited.json()).error.code).toBe("rate_limited");
  });
});

describe("ticketed requests", () => {
  it("opens one chat when a visitor starts twice at once, and gives its secret to the start that opened it", async () => {
    const ticket = await ticketFor(h);
    const [a, b] = await Promise.all([
      visitor(h, ticket, "/conversations", { method: "POST" }),
      visitor(h, ticket, "/conversations", { method: "POST" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const [opened, refused] = a.status === 201 ? [await a.json(), await b.json()] : [await b.json(), await a.json()];
    expect(opened.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refused).toEqual({ error: { code: "chat_open", message: expect.stringContaining("has a chat open") } });
    const resumed = await startChat(h, ticket, withSecret(opened.secret));
    expect([resumed.status, resumed.conversation.id]).toEqual([200, opened.conversation.id]);
  });

  it("starts a conversation with its secret, then resumes the same one with that secret and gives it no more", async () => {
    const ticket = await ticketFor(h);
    const first = await visitor(h, ticket, "/conversations", { method: "POST" });
    expect(first.status).toBe(201);
    const { conversation, secret } = await first.json();
    expect(conversation.status).toBe("pending");
    const again = await visitor(h, ticket, "/conversations", { method: "POST" }, withSecret(secret));
    expect(again.status).toBe(200);
    const resumed = await again.json();
    expect(resumed.conversation.id).toBe(conversation.id);
    expect(resumed).not.toHaveProperty("secret");
  });

  it("keeps neither the query, the fragment nor userinfo of the page", async () => {
    const page = `https://ann:secret@shop.example/cart?token=abc#pay`;
    const body = await (
      await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(page)}`, { headers: { origin: SITE } })
    ).json();
    expect(h.server.deps.tickets.verify(body.ticket, h.server.deps.now())?.page).toBe("https://shop.example/cart");
    expect(Buffer.from(body.ticket.split(".")[0], "base64url").toString()).not.toMatch(/ann|secret|token|pay/);
    const { conversation } = await startChat(h, body.ticket);
    expect((await h.server.deps.conversations.get("acme", conversation.id))?.page).toBe("https://shop.example/cart");
  });

  it("keeps working for a page URL at the length limit", async () => {
    const page = `${SITE}/${"a".repeat(4000)}`;
    const body = await (
      await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(page)}`, { headers: { origin: SITE } })
    ).json();
    expect(body.show).toBe(true);
    expect((await visitor(h, body.ticket, "/conversations", { method: "POST" })).status).toBe(201);
  });

  it("sends a message and rejects an empty or oversized one, storing nothing", async () => {
    const ticket = await ticketFor(h);
    const { conversation, secret } = await startChat(h, ticket);
    const write = (text: string) =>
      visitor(
        h,
        ticket,
        `/conversations/${conversation.id}/messages`,
        { method: "POST", json: { text } },
        withSecret(secret),
      );
    const sent = await write("  Hello there ");
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ author: "visitor", text: "Hello there" });
    const empty = await write("   ");
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.fields.text).toBe("Write a message first.");
    const long = await write("x".repeat(4001));
    expect(long.status).toBe(400);
    expect(await h.server.deps.conversations.messages(conversation.id)).toHaveLength(1);
  });

  it("refuses a tampered, expired or foreign ticket", async () => {
    const ticket = await ticketFor(h);
    const [payload, signature] = ticket.split(".");
    const claims = Buffer.from(payload!, "base64url").toString().split("\n");
    claims[1] = "v_AAAAAAAAAAAAAAAA";
    const forged = `${Buffer.from(claims.join("\n")).toString("base64url")}.${signature}`;
    expect((await visitor(h, forged, "/conversations", { method: "POST" })).status).toBe(401);
    expect((await visitor(h, "garbage", "/conversations", { method: "POST" })).status).toBe(401);
    expect(
      (await fetch(`${h.url}/api/v1/widget/acme/conversations`, { method: "POST", headers: { origin: SITE } })).status,
    ).toBe(401);
    h.clock.skip(3 * 3600 * 1000);
    try {
      expect((await visitor(h, ticket, "/conversations", { method: "POST" })).status).toBe(401);
    } finally {
      h.clock.reset();
    }
    // A ticket for acme is no key to rival.
    const rival = await fetch(`${h.url}/api/v1/widget/rival/conversations`, {
      method: "POST",
      headers: { authorization: `Bearer ${ticket}`, origin: SITE },
    });
    expect(rival.status).toBe(401);
  });

  it("refuses a ticket used from another origin or another address", async () => {
    const ticket = await ticketFor(h);
    expect(
      (await visitor(h, ticket, "/conversations", { method: "POST" }, { origin: "https://copy.example" })).status,
    ).toBe(403);
    const viaProxy = await ticketFor(trusted, { "x-forwarded-for": "192.0.2.10" });
    const moved = await visitor(
      trusted,
      viaProxy,
      "/conversations",
      { method: "POST" },
      { "x-forwarded-for": "192.0.2.11" },
    );
    expect(moved.status).toBe(403);
    expect(await moved.json()).toEqual({ error: { code: "unavailable", message: "The chat is not available." } });
  });

  it("hides another visitor's conversation, even from one who holds its secret", async () => {
    const mine = await ticketFor(h);
    const { conversation, secret } = await startChat(h, mine);
    const theirs = await ticketFor(h);
    const response = await visitor(
      h,
      theirs,
      `/conversations/${conversation.id}/messages`,
      { method: "POST", json: { text: "hi" } },
      withSecret(secret),
    );
    expect(response.status).toBe(404);
  });
});

describe("new chat limits", () => {
  it("refuses an eleventh new chat a minute from one address", async () => {
    const headers = { "x-forwarded-for": "192.0.2.160" };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const ticket = await ticketFor(trusted, headers);
      statuses.push((await visitor(trusted, ticket, "/conversations", { method: "POST" }, headers)).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("message limits", () => {
  it("rate-limits a visitor's messages per address with 429", async () => {
    const headers = { "x-forwarded-for": "192.0.2.150" };
    const ticket = await ticketFor(trusted, headers);
    const { conversation, secret } = await startChat(trusted, ticket, headers);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push(
        (
          await visitor(
            trusted,
            ticket,
            `/conversations/${conversation.id}/messages`,
            { method: "POST", json: { text: `spam ${i}` } },
            withSecret(secret, headers),
          )
        ).status,
      );
    }
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(await trusted.server.deps.conversations.messages(conversation.id)).toHaveLength(30);
  });
});

describe("a block made mid-chat", () => {
  it("ends the visitor's event stream and answers their next request with 403 unavailable", async () => {
    const headers = { "x-forwarded-for": "198.51.100.77" };
    const ticket = await ticketFor(trusted, headers);
    const { conversation, secret } = await startChat(trusted, ticket, headers);
    const stream = await visitor(
      trusted,
      ticket,
      `/conversations/${conversation.id}/events`,
      {},
      withSecret(secret, headers),
    );
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const o = await trusted.login("acme", "owner@acme.test");
    await o.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "198.51.100.0/24", comment: "abusive" },
    });
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain("event: unavailable");
    const next = await visitor(
      trusted,
      ticket,
      `/conversations/${conversation.id}/messages`,
      { method: "POST", json: { text: "still here?" } },
      withSecret(secret, headers),
    );
    expect(next.status).toBe(403);
    expect((await next.json()).error.code).toBe("unavailable");
  });
});

describe("a visitor who changes address mid-chat", () => {
  it("moves the chat to the address in use now, shows every address, and blocks the current one", async () => {
    const first = await visitorSession(trusted, { site: SITE, forwardedFor: "192.0.2.10" });
    const visitorId = Buffer.from(first.ticket.split(".")[0]!, "base64url").toString().split("\n")[1]!;
    const o = await trusted.login("acme", "owner@acme.test");
    expect(
      (await o.fetch(`/api/v1/console/conversations/${first.conversationId}/accept`, { method: "POST" })).status,
    ).toBe(200);
    // The same browser, on a new network: a new ticket, and the chat resumes with its secret.
    const moved = await visitorSession(trusted, {
      site: SITE,
      visitor: visitorId,
      forwardedFor: "192.0.2.99",
      secret: first.secret,
    });
    expect(moved.conversationId).toBe(first.conversationId);
    expect(
      (
        await moved.fetch(`/conversations/${moved.conversationId}/messages`, {
          method: "POST",
          json: { text: "still me" },
        })
      ).status,
    ).toBe(201);

    const { conversation } = await (await o.fetch(`/api/v1/console/conversations/${first.conversationId}`)).json();
    expect(conversation.visitorIp).toBe("192.0.2.99");
    expect(conversation.visitorAddresses.map((seen: { ip: string }) => seen.ip)).toEqual(["192.0.2.10", "192.0.2.99"]);

    const blocked = await o.fetch(`/api/v1/console/conversations/${first.conversationId}/block`, {
      method: "POST",
      json: { scope: "address", comment: "came back" },
    });
    expect((await blocked.json()).rules.map((rule: { rule: string }) => rule.rule)).toEqual(["192.0.2.99"]);
    expect((await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "192.0.2.99" })).status).toBe(200);
    expect(await (await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "192.0.2.99" })).json()).toEqual({
      show: false,
    });
    expect((await (await verdict(trusted, "acme", `${SITE}/`, { "x-forwarded-for": "192.0.2.10" })).json()).show).toBe(
      true,
    );
  });
});

describe("malformed verdict requests", () => {
  it("answers a malformed account escape with 404, and the server keeps serving", async () => {
    const response = await fetch(`${h.url}/api/v1/widget/%E0%A4%A/verdict?page=x`);
    expect(response.status).toBe(404);
    expect((await verdict(h, "acme", `${SITE}/`)).status).toBe(200);
  });
});
