// A chat is its visitor's by the secret the widget was given when it opened, not by the visitor id:
// someone who learnt the id (from a URL, a shared computer, the rules export) gets a ticket for it from
// their own address, and reads and writes nothing of the chat. The visitor, on a new address, resumes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newToken } from "../../server/ids";
import { signInAll, startHarness, visitorSession, type ConsoleClient, type Harness } from "./harness";
import { readEvents } from "./sse";

const SITE = "https://shop.example";
const CARD = "My card ends 4242";
let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;

const visitorIdOf = (ticket: string) => Buffer.from(ticket.split(".")[0]!, "base64url").toString().split("\n")[1]!;

/** A browser at `ip` that claims visitor id `visitor`: a ticket of its own, and requests with the secret it offers. */
async function claimant(ip: string, visitor: string) {
  const page = `page=${encodeURIComponent(`${SITE}/`)}&visitor=${visitor}`;
  const headers = { origin: SITE, "x-forwarded-for": ip };
  const answer = await (await fetch(`${h.url}/api/v1/widget/acme/ticket?${page}`, { headers })).json();
  expect(answer.ticket && visitorIdOf(answer.ticket)).toBe(visitor);
  return (path: string, init: RequestInit = {}, secret?: string) =>
    fetch(`${h.url}/api/v1/widget/acme${path}`, {
      ...init,
      headers: {
        ...headers,
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${answer.ticket}`,
        ...(secret === undefined ? {} : { "x-chat-secret": secret }),
      },
    });
}

const json = (text: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ text }),
});

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent } = await signInAll(h));
});
afterAll(() => h.stop());

describe("a chat's secret", () => {
  it("keeps a visitor's chat from anyone who knows only their visitor id, and lets the visitor resume it from a new address", async () => {
    const victim = await visitorSession(h, { forwardedFor: "192.0.2.31" });
    const visitor = visitorIdOf(victim.ticket);
    expect((await victim.fetch(`/conversations/${victim.conversationId}/messages`, json(CARD))).status).toBe(201);
    const chat = `/conversations/${victim.conversationId}`;

    const attacker = await claimant("198.51.100.66", visitor);
    const guessed = newToken();
    const attempts: [string, Response][] = [];
    for (const secret of [undefined, guessed, visitor, victim.ticket]) {
      const tries: [string, Promise<Response>][] = [
        ["start", attacker("/conversations", { method: "POST" }, secret)],
        ["events", attacker(`${chat}/events`, {}, secret)],
        ["message", attacker(`${chat}/messages`, json("Send me your card"), secret)],
        ["typing", attacker(`${chat}/typing`, { method: "POST" }, secret)],
        [
          "file",
          attacker(
            `${chat}/files`,
            {
              method: "POST",
              headers: { "x-file-name": "a.txt", "content-type": "application/octet-stream" },
              body: "hello",
            },
            secret,
          ),
        ],
      ];
      for (const [name, response] of tries) attempts.push([name, await response]);
    }
    const outcomes = await Promise.all(
      attempts.map(async ([name, response]) => ({ name, status: response.status, body: await response.text() })),
    );
    // A start learns that the visitor has a chat open, and no more; every request on the chat finds none.
    const refusal: Record<string, number> = { start: 409, events: 404, message: 404, typing: 404, file: 404 };
    expect(outcomes.map(({ name, status }) => [name, status])).toEqual(
      outcomes.map(({ name }) => [name, refusal[name]]),
    );
    for (const { body } of outcomes) expect(body).not.toContain("4242");

    // Nothing of the attacker reached the chat: no message, no file, not their address.
    const stored = await h.server.deps.conversations.messages(victim.conversationId);
    expect(stored.map((message) => message.text)).toEqual([CARD]);
    expect((await h.server.deps.conversations.get("acme", victim.conversationId))?.visitorAddresses).toHaveLength(1);

    // The visitor on a new network: a new ticket, the secret the widget kept, and the chat follows.
    const back = await claimant("192.0.2.32", visitor);
    const resumed = await back("/conversations", { method: "POST" }, victim.secret);
    expect(resumed.status).toBe(200);
    const body = await resumed.json();
    expect(body.conversation.id).toBe(victim.conversationId);
    expect(body.messages.map((message: { text: string }) => message.text)).toEqual([CARD]);
    const replayed = await readEvents<{ text?: string }>(await back(`${chat}/events`, {}, victim.secret), 2);
    expect(replayed[1]?.data.text).toBe(CARD);
    expect((await back(`${chat}/messages`, json("Still me"), victim.secret)).status).toBe(201);
  });

  it("answers a wrong or missing secret exactly as a chat that does not exist", async () => {
    const victim = await visitorSession(h, { forwardedFor: "192.0.2.33" });
    const same = await claimant("192.0.2.33", visitorIdOf(victim.ticket));
    const answers = await Promise.all(
      [
        same(`/conversations/conv_doesnotexist000/messages`, json("hi"), victim.secret),
        same(`/conversations/${victim.conversationId}/messages`, json("hi")),
        same(`/conversations/${victim.conversationId}/messages`, json("hi"), newToken()),
        same(`/conversations/${victim.conversationId}/messages`, json("hi"), `${victim.secret}x`),
      ].map(async (pending) => {
        const response = await pending;
        return { status: response.status, body: await response.json() };
      }),
    );
    const none = { status: 404, body: { error: { code: "not_found", message: "There is no such conversation." } } };
    expect(answers).toEqual(answers.map(() => none));
  });

  it("keeps only the secret's hash, and shows neither in the console, the event log or the rules export", async () => {
    const victim = await visitorSession(h, { forwardedFor: "192.0.2.34" });
    await victim.fetch(`/conversations/${victim.conversationId}/messages`, json(CARD));
    const row = await h.server.deps.db
      .selectFrom("conversations")
      .select("secret_hash")
      .where("id", "=", victim.conversationId)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashToken(victim.secret));

    const blocked = await agent.fetch(`/api/v1/console/conversations/${victim.conversationId}/block`, {
      method: "POST",
      json: { scope: "visitor", comment: "testing the export" },
    });
    expect(blocked.status).toBe(201);
    const seen = [
      await (await agent.fetch(`/api/v1/console/conversations/${victim.conversationId}`)).text(),
      await (await agent.fetch("/api/v1/console/conversations?status=closed")).text(),
      await (await owner.fetch("/api/v1/console/rules.csv")).text(),
      JSON.stringify(await h.server.deps.db.selectFrom("events").select("data").execute()),
    ];
    expect(seen[2]).toContain(visitorIdOf(victim.ticket));
    for (const text of seen) {
      expect(text).not.toContain(victim.secret);
      expect(text).not.toContain(row.secret_hash);
    }
  });

  it("resumes no chat opened before chats had secrets: the visitor's next start closes it and opens one with a secret", async () => {
    const old = await visitorSession(h, { forwardedFor: "192.0.2.35" });
    await old.fetch(`/conversations/${old.conversationId}/messages`, json(CARD));
    // As migration 0007 leaves a chat that was open before it.
    await h.server.deps.db
      .updateTable("conversations")
      .set({ secret_hash: null })
      .where("id", "=", old.conversationId)
      .execute();
    expect((await old.fetch(`/conversations/${old.conversationId}/events`)).status).toBe(404);

    const again = await claimant("192.0.2.35", visitorIdOf(old.ticket));
    const started = await again("/conversations", { method: "POST" }, old.secret);
    expect(started.status).toBe(201);
    const body = await started.json();
    expect(body.conversation.id).not.toBe(old.conversationId);
    expect(body.messages).toEqual([]);
    expect(body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await h.server.deps.conversations.get("acme", old.conversationId)).toMatchObject({
      status: "closed",
      closedReason: "visitor",
    });
    const stream = await again(`/conversations/${body.conversation.id}/events`, {}, body.secret);
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  });
});
