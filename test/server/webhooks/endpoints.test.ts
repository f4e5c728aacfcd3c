// Webhooks on a real server and a real HTTP receiver: owners add endpoints (the secret shown once),
// chats' events arrive signed as Standard Webhooks say (verified with the `standardwebhooks` package),
// in order per chat, only the events chosen; a failure is retried, an endpoint failing for a day is
// switched off and can be switched on again; a test event and a redelivery keep the event's id.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backoffMs } from "../../../server/outbox/worker";
import { emitWebhook, SWITCH_OFF_AFTER_MS } from "../../../server/webhooks/events";
import {
  askVerdict,
  chatRequest,
  signInAll,
  startHarness,
  startInstance,
  visitorSession,
  type ConsoleClient,
  type Harness,
} from "../harness";
import { startSmtp, type Inbox } from "../smtp";

const SITE = "https://shop.example";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback: keeps what arrives, answers `status()`. */
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let status = () => 204;

let h: Harness;
/** Owners are told by mail of an endpoint switched off. */
let inbox: Inbox;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;
let nextAddress = 30;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  inbox = await startSmtp();
  h = await startHarness({
    TRUST_PROXY: "loopback",
    WEBHOOKS_ALLOW_PRIVATE: "1",
    SMTP_URL: inbox.url,
    MAIL_FROM: "hatch@acme.test",
  });
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(async () => {
  await h.stop();
  await inbox.stop();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  received = [];
  status = () => 204;
  h.clock.reset();
  for (const { id } of (await (await owner.fetch("/api/v1/console/webhooks")).json()).endpoints)
    await owner.fetch(`/api/v1/console/webhooks/${id}`, { method: "DELETE" });
});

async function addEndpoint(events: string[] = ["chat.started", "chat.message", "chat.closed"]) {
  const answer = await owner.fetch("/api/v1/console/webhooks", { method: "POST", json: { url: receiverUrl, events } });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { endpoint: { id: string; disabledAt: string | null }; secret: string };
}

/** A new visitor's chat, with `texts` sent in order. */
async function chat(...texts: string[]): Promise<string> {
  const ip = `198.51.100.${nextAddress++}`;
  const { ticket } = await (await askVerdict(h, { ip, route: "ticket" })).json();
  const headers = { origin: SITE, "x-forwarded-for": ip, authorization: `Bearer ${ticket}` };
  const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, { method: "POST", headers });
  const { conversation, secret } = await started.json();
  for (const text of texts)
    await fetch(`${h.url}/api/v1/widget/acme/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: { ...headers, "x-chat-secret": secret, "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
  return conversation.id;
}

const flush = () => h.server.deps.outbox.flush();
/** What arrived, verified with the endpoint's secret by the Standard Webhooks library; it throws on a bad signature. */
const verified = (secret: string) =>
  received.map(
    (delivery) =>
      new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as {
        type: string;
        data: { chat?: { id: string }; message?: { id: number; text: string } };
      },
  );

describe("an endpoint", () => {
  it("is added by an owner with its secret shown once, and read by no agent and no other account", async () => {
    const { endpoint, secret } = await addEndpoint();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const listed = await (await owner.fetch("/api/v1/console/webhooks")).json();
    expect(listed.endpoints).toEqual([
      {
        id: endpoint.id,
        url: receiverUrl,
        events: ["chat.started", "chat.message", "chat.closed"],
        createdAt: expect.any(String),
        disabledAt: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await agent.fetch("/api/v1/console/webhooks")).status).toBe(403);
    expect(await (await rival.fetch("/api/v1/console/webhooks")).json()).toEqual({ endpoints: [] });
    expect((await rival.fetch(`/api/v1/console/webhooks/${endpoint.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await rival.fetch(`/api/v1/console/webhooks/${endpoint.id}/deliveries`)).status).toBe(404);
  });

  it.each([
    [{ url: "ftp://example.com/x", events: ["chat.started"] }, "url"],
    [{ url: receiverUrl, events: [] }, "events"],
    [{ url: receiverUrl, events: ["chat.deleted"] }, "events"],
  ])("refuses %j, naming the field, and adds nothing", async (json, field) => {
    const answer = await owner.fetch("/api/v1/console/webhooks", { method: "POST", json });
    expect(answer.status).toBe(400);
    expect(Object.keys((await answer.json()).error.fields ?? {}).join()).toContain(field);
    expect((await (await owner.fetch("/api/v1/console/webhooks")).json()).endpoints).toEqual([]);
  });
});

describe("the routes of an endpoint", () => {
  it("refuse what they do not take, changing nothing", async () => {
    const { endpoint } = await addEndpoint(["chat.closed"]);
    const base = `/api/v1/console/webhooks/${endpoint.id}`;
    const off = await owner.fetch(base, { method: "PATCH", json: { enabled: false } });
    expect(off.status).toBe(400);
    expect((await off.json()).error.message).toContain('{"enabled":true}');
    expect((await owner.fetch(`${base}/test`, { method: "POST", json: { type: "chat.closed" } })).status).toBe(400);
    expect((await owner.fetch(`${base}/deliveries/abc/redeliver`, { method: "POST" })).status).toBe(404);
    expect((await owner.fetch(`${base}/deliveries/999999/redeliver`, { method: "POST" })).status).toBe(404);
    expect(received).toEqual([]);
  });

  it("redeliver only what is done: a delivery still being tried is refused with 409", async () => {
    const { endpoint } = await addEndpoint(["chat.closed"]);
    status = () => 503;
    const { delivery } = await (
      await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}/test`, { method: "POST" })
    ).json();
    await flush();
    const again = await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`, {
      method: "POST",
    });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("delivery_pending");
  });
});

describe("events", () => {
  it("arrive signed as Standard Webhooks say, the chosen ones only, a chat's in order", async () => {
    const { secret } = await addEndpoint(["chat.started", "chat.message"]);
    const id = await chat(...Array.from({ length: 8 }, (_, i) => `message ${i}`));
    await flush();
    const events = verified(secret);
    expect(events.map((event) => event.type)).toEqual(["chat.started", ...Array(8).fill("chat.message")]);
    expect(events.every((event) => event.data.chat?.id === id)).toBe(true);
    expect(events.slice(1).map((event) => event.data.message?.text)).toEqual(
      Array.from({ length: 8 }, (_, i) => `message ${i}`),
    );
    expect(received[0]!.headers["webhook-id"]).toBe(`chat.started:${id}`);
    expect(received[0]!.headers["user-agent"]).toBe("Hatch-Webhooks");
  });

  it("are retried after a failure, keep their order, and are listed with their status", async () => {
    const { endpoint, secret } = await addEndpoint(["chat.message"]);
    let failures = 1;
    status = () => (failures-- > 0 ? 500 : 204);
    await chat("first", "second");
    await flush();
    expect(received).toHaveLength(1);
    const pending = (await (await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}/deliveries`)).json()).deliveries;
    expect(pending.map((d: { status: string; lastError: string | null }) => [d.status, d.lastError])).toEqual([
      ["pending", null],
      ["pending", "HTTP 500"],
    ]);
    h.clock.skip(backoffMs(1));
    await flush();
    expect(verified(secret).map((event) => event.data.message?.text)).toEqual(["first", "first", "second"]);
    const done = (await (await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}/deliveries`)).json()).deliveries;
    expect(done.map((d: { status: string; attempts: number }) => [d.status, d.attempts])).toEqual([
      ["delivered", 1],
      ["delivered", 2],
    ]);
  });

  it("go to a test event and a redelivery with the event's own id", async () => {
    const { endpoint, secret } = await addEndpoint(["chat.closed"]);
    const test = await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}/test`, { method: "POST" });
    expect(test.status).toBe(202);
    const { delivery } = await test.json();
    await flush();
    expect(verified(secret).map((event) => event.type)).toEqual(["test"]);
    const again = await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`, {
      method: "POST",
    });
    expect(again.status).toBe(202);
    await flush();
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([delivery.eventId, delivery.eventId]);
    verified(secret);
  });
});

describe("a flood of events", () => {
  it("reaches the endpoint complete and in order for each chat, through failures and retries", async () => {
    await addEndpoint(["chat.message"]);
    // One delivery in five fails, in a fixed pattern, so retries interleave with the rest.
    let n = 0;
    let succeeded = 0;
    status = () => (++n % 5 === 0 ? 500 : (succeeded++, 204));
    const CHATS = 10;
    const PER_CHAT = 15;
    // Chats that are kept: nothing is queued about a chat that is gone.
    const chats = await Promise.all(
      Array.from({ length: CHATS }, (_, c) => chatRequest(h, { visitorIp: `203.0.113.${100 + c}` })),
    );
    await Promise.all(
      chats.map(async ({ id }, c) => {
        for (let i = 0; i < PER_CHAT; i++)
          await emitWebhook(h.server.deps, "acme", {
            type: "chat.message",
            id: `chat.message:flood-${c}-${i}`,
            chatId: id,
            data: { chat: c, i },
          });
      }),
    );
    // Counted at the endpoint, not from the console's list: that shows only the newest deliveries.
    for (let round = 0; round < 50; round++) {
      await flush();
      if (succeeded === CHATS * PER_CHAT) break;
      h.clock.skip(60 * 60 * 1000);
    }
    const delivered = received.filter((_, index) => (index + 1) % 5 !== 0).map((r) => JSON.parse(r.body).data);
    for (let c = 0; c < CHATS; c++)
      expect(delivered.filter((d) => d.chat === c).map((d) => d.i)).toEqual(
        Array.from({ length: PER_CHAT }, (_, i) => i),
      );
  });
});

describe("each kind of event", () => {
  it("reaches an endpoint that takes them all: offline message, file refused, ban, close, rule change", async () => {
    const all = ["chat.offline_message", "file.refused", "visitor.banned", "chat.closed", "rule.changed"];
    const { secret } = await addEndpoint(all);
    // Nobody online: the chat is an offline message.
    for (const user of [owner, agent])
      await user.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    const ip = `198.51.100.${nextAddress++}`;
    const { ticket } = await (await askVerdict(h, { ip, route: "ticket" })).json();
    const headers = { origin: SITE, "x-forwarded-for": ip, authorization: `Bearer ${ticket}` };
    const { conversation, secret: chatSecret } = await (
      await fetch(`${h.url}/api/v1/widget/acme/conversations`, { method: "POST", headers })
    ).json();
    const base = `${h.url}/api/v1/widget/acme/conversations/${conversation.id}`;
    const inChat = { ...headers, "x-chat-secret": chatSecret };
    await fetch(`${base}/messages`, {
      method: "POST",
      headers: { ...inChat, "content-type": "application/json" },
      body: JSON.stringify({ text: "Hello?" }),
    });
    const refused = await fetch(`${base}/files`, {
      method: "POST",
      // Named with a bidi override, as "invoice.pdf" would read: the event carries the cleaned name.
      headers: {
        ...inChat,
        "content-type": "application/octet-stream",
        "x-file-name": encodeURIComponent("invoice\u202Efdp.exe"),
      },
      body: new TextEncoder().encode("MZ\x90\x00 not a pdf at all"),
    });
    expect(refused.status).toBe(415);
    const blocked = await agent.fetch(`/api/v1/console/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope: "visitor", comment: "Abusive" },
    });
    expect(blocked.status).toBe(201);
    await owner.fetch("/api/v1/console/rules", { method: "POST", json: { text: "203.0.113.77", comment: "" } });
    await flush();
    const events = verified(secret);
    // The block made a rule too: two rule changes, the agent's block and the owner's rule.
    expect(events.map((event) => event.type).sort()).toEqual([...all, "rule.changed"].sort());
    const byType = Object.fromEntries(events.map((event) => [event.type, event.data as Record<string, unknown>]));
    expect(byType["visitor.banned"]).toMatchObject({
      by: { kind: "agent" },
      chatId: conversation.id,
      reason: "Abusive",
    });
    expect(byType["file.refused"]).toMatchObject({
      file: { author: "visitor", name: "invoice_fdp.exe", code: expect.any(String) },
    });
    expect(byType["chat.closed"]).toMatchObject({
      chat: { id: conversation.id, status: "closed", closedReason: "blocked" },
    });
    expect(byType["chat.offline_message"]).toMatchObject({ message: { text: "Hello?" }, chat: { offline: true } });
  });
});

describe("a chat closed without an agent", () => {
  it("is sent as chat.closed when automatic protection bans its visitor, with the ban as automatic", async () => {
    const { secret } = await addEndpoint(["chat.closed", "visitor.banned"]);
    const visitor = await visitorSession(h, { forwardedFor: `198.51.100.${nextAddress++}` });
    // abusiveMessages is 3 by default: the third abusive message bans the browser and ends its chat.
    for (const text of ["fuck you", "you are shit", "fuck off"])
      await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, { method: "POST", json: { text } });
    await flush();
    const events = verified(secret);
    expect(events.map((event) => event.type).sort()).toEqual(["chat.closed", "visitor.banned"]);
    const byType = Object.fromEntries(events.map((event) => [event.type, event.data as Record<string, unknown>]));
    expect(byType["chat.closed"]).toMatchObject({
      chat: { id: visitor.conversationId, status: "closed", closedReason: "blocked" },
    });
    expect(byType["visitor.banned"]).toMatchObject({ by: { kind: "automatic" } });
  });

  it("is sent as chat.closed when a visitor's new chat ends one opened before chats had secrets", async () => {
    const { secret } = await addEndpoint(["chat.closed"]);
    const visitor = "v_closedbynewchat0";
    const old = await visitorSession(h, { visitor, forwardedFor: `198.51.100.${nextAddress}` });
    // As migration 0007 leaves a chat that was open before it: nobody can resume it.
    await h.server.deps.db
      .updateTable("conversations")
      .set({ secret_hash: null })
      .where("id", "=", old.conversationId)
      .execute();
    const next = await visitorSession(h, { visitor, forwardedFor: `198.51.100.${nextAddress++}` });
    expect(next.conversationId).not.toBe(old.conversationId);
    await flush();
    expect(verified(secret).map((event) => event.data)).toMatchObject([
      { chat: { id: old.conversationId, status: "closed", closedReason: "visitor" } },
    ]);
  });
});

describe("an endpoint failing", () => {
  it("is switched off after a day of failures, the owners told by mail, then switched on again by an owner", async () => {
    const { endpoint } = await addEndpoint(["chat.message"]);
    status = () => 503;
    await chat("into the void");
    await flush();
    for (let elapsed = 0; elapsed <= SWITCH_OFF_AFTER_MS; elapsed += 60 * 60 * 1000) {
      h.clock.skip(60 * 60 * 1000);
      await flush();
    }
    const [off] = (await (await owner.fetch("/api/v1/console/webhooks")).json()).endpoints;
    expect(off.disabledAt).not.toBeNull();
    await flush();
    expect(inbox.to("owner@acme.test").map((mail) => mail.subject)).toContain("A webhook endpoint was switched off");
    expect(inbox.to("agent@acme.test")).toEqual([]);
    const tries = received.length;
    await chat("while switched off");
    await flush();
    expect(received.length).toBe(tries);
    const on = await owner.fetch(`/api/v1/console/webhooks/${endpoint.id}`, {
      method: "PATCH",
      json: { enabled: true },
    });
    expect((await on.json()).endpoint.disabledAt).toBeNull();
    status = () => 204;
    await chat("back");
    await flush();
    expect(received.at(-1)!.body).toContain("back");
  });
});

describe("a delivery that failed", () => {
  it("is sent by the next process after a restart, from the store, once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hatch-restart-"));
    const first = await startHarness({ WEBHOOKS_ALLOW_PRIVATE: "1", DATA_DIR: dataDir, TRUST_PROXY: "loopback" });
    let second: Harness | null = null;
    try {
      const client = await first.login("acme", "owner@acme.test");
      const added = await client.fetch("/api/v1/console/webhooks", {
        method: "POST",
        json: { url: receiverUrl, events: ["chat.started"] },
      });
      const { secret } = await added.json();
      status = () => 503;
      const { ticket } = await (await askVerdict(first, { ip: "198.51.100.240", route: "ticket" })).json();
      await fetch(`${first.url}/api/v1/widget/acme/conversations`, {
        method: "POST",
        headers: { origin: SITE, "x-forwarded-for": "198.51.100.240", authorization: `Bearer ${ticket}` },
      });
      await first.server.deps.outbox.flush();
      expect(received).toHaveLength(1);
      await first.stop();
      status = () => 204;
      second = await startInstance(first.env);
      second.clock.skip(backoffMs(1));
      await second.server.deps.outbox.flush();
      expect(verified(secret).map((event) => event.type)).toEqual(["chat.started", "chat.started"]);
      await second.server.deps.outbox.flush();
      expect(received).toHaveLength(2);
    } finally {
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("without WEBHOOKS_ALLOW_PRIVATE", () => {
  it("refuses an endpoint on loopback or a private address, saying why", async () => {
    const strict = await startHarness();
    try {
      const client = await strict.login("acme", "owner@acme.test");
      for (const url of [receiverUrl.replace("http:", "https:"), "https://10.0.0.7/hook", "https://[::1]/hook"]) {
        const answer = await client.fetch("/api/v1/console/webhooks", {
          method: "POST",
          json: { url, events: ["chat.started"] },
        });
        expect(answer.status).toBe(400);
        // Said without what the name resolves to: an owner must not map the operator's network with it.
        expect((await answer.json()).error.fields.url).toBe(
          "The endpoint's address is not public: webhooks reach only public addresses.",
        );
      }
    } finally {
      await strict.stop();
    }
  });
});
