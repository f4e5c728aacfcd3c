// Automatic protection on a real server: too many chats, too many messages, chats closed as spam end
// in rules Hatch makes itself (the browser and the address, for banMinutes), listed, audited, told
// to agents, removable, expiring; loopback is counted by browser only; the counts live in the store.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../server/ids";
import { editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "./harness";
import { SseReader } from "./sse";

const SITE = "https://shop.example";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let realNow: () => number;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent } = await signInAll(h));
  realNow = h.server.deps.now;
});
afterAll(() => h.stop());
beforeEach(() => {
  h.server.deps.now = realNow;
});

interface Rule {
  id: string;
  kind: string;
  rule: string;
  comment: string;
  createdBy: { kind: string; conversationId: string | null };
  conversationId: string | null;
  expiresAt: string | null;
}

const automaticRules = async (): Promise<Rule[]> =>
  ((await (await owner.fetch("/api/v1/console/rules?author=automatic")).json()).rules as Rule[]).filter(
    (rule) => rule.expiresAt === null || Date.parse(rule.expiresAt) > h.server.deps.now(),
  );

/** A visitor's browser: its id, the address the proxy gives it, and the widget's requests with its chat's secret. */
function browser(ip: string, visitor = newId("v")) {
  const headers = { origin: SITE, "x-forwarded-for": ip };
  let secret: Record<string, string> = {};
  const page = `page=${encodeURIComponent(`${SITE}/`)}&visitor=${visitor}`;
  return {
    visitor,
    async shows(): Promise<boolean> {
      const answer = await fetch(`${h.url}/api/v1/widget/acme/verdict?${page}`, { headers });
      return ((await answer.json()) as { show: boolean }).show;
    },
    /** Asks for a ticket and opens (or resumes) a chat: the status of the start, and the chat's id. */
    async startChat(): Promise<{ status: number; id: string | null; ticket: string | null }> {
      const answer = (await (await fetch(`${h.url}/api/v1/widget/acme/ticket?${page}`, { headers })).json()) as {
        ticket?: string;
      };
      if (!answer.ticket) return { status: 403, id: null, ticket: null };
      const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
        method: "POST",
        headers: { ...headers, ...secret, authorization: `Bearer ${answer.ticket}` },
      });
      const body = (await started.json()) as { conversation?: { id: string }; secret?: string };
      if (body.secret) secret = { "x-chat-secret": body.secret };
      return { status: started.status, id: body.conversation?.id ?? null, ticket: answer.ticket };
    },
    send(ticket: string, conversationId: string, text: string): Promise<Response> {
      return fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/messages`, {
        method: "POST",
        headers: { ...headers, ...secret, authorization: `Bearer ${ticket}`, "content-type": "application/json" },
        body: JSON.stringify({ text }),
      });
    },
  };
}

async function close(id: string, spam = false): Promise<Response> {
  return agent.fetch(`/api/v1/console/conversations/${id}/close`, { method: "POST", json: spam ? { spam } : {} });
}

async function removeAutomaticRules(): Promise<void> {
  for (const rule of await automaticRules())
    await owner.fetch(`/api/v1/console/rules/${rule.id}`, { method: "DELETE" });
}

describe("automatic bans", () => {
  it("bans a browser and its address, for banMinutes, once it opens more chats in an hour than allowed", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 2, banMinutes: 30 };
    });
    const feed = new SseReader<{ type: string; data: { message?: string } }>(
      await agent.fetch("/api/v1/console/events"),
    );
    const abuser = browser("198.51.100.31");
    for (let i = 0; i < 2; i++) {
      const chat = await abuser.startChat();
      expect(chat.status).toBe(201);
      expect((await close(chat.id!)).status).toBe(200);
    }
    const before = Date.now();
    expect((await abuser.startChat()).status).toBe(403);

    const made = await automaticRules();
    expect(made.map((rule) => [rule.kind, rule.rule]).sort()).toEqual([
      ["address", "198.51.100.31"],
      ["visitor", abuser.visitor],
    ]);
    for (const rule of made) {
      expect(rule.comment).toBe("Automatic protection: opened 3 chats in a minute.");
      expect(rule.createdBy.kind).toBe("automatic");
      expect(Date.parse(rule.expiresAt!) - before).toBeGreaterThan(29 * 60_000);
      expect(Date.parse(rule.expiresAt!) - before).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    }
    // Hidden on a new address by its browser, and the address hides a new browser.
    expect(await browser("198.51.100.99", abuser.visitor).shows()).toBe(false);
    expect(await browser("198.51.100.31").shows()).toBe(false);
    expect(await browser("198.51.100.98").shows()).toBe(true);

    await expect
      .poll(() => feed.events.find((event) => event.data.type === "protection")?.data.data.message)
      .toBe("Hatch banned a visitor for 30 minutes: they opened 3 chats in a minute.");
    await feed.close();

    const audit = (await (await owner.fetch("/api/v1/console/audit")).json()).entries as {
      action: string;
      email: string | null;
    }[];
    expect(audit.find((entry) => entry.action === "rule.add")).toMatchObject({ email: null });
    await removeAutomaticRules();
  });

  it("counts chats by address across browsers, and ends the chats still open from it", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 2 };
    });
    const opened: string[] = [];
    for (let i = 0; i < 2; i++) {
      const chat = await browser("198.51.100.32").startChat();
      expect(chat.status).toBe(201);
      opened.push(chat.id!);
    }
    expect((await browser("198.51.100.32").startChat()).status).toBe(403);
    expect((await automaticRules()).some((rule) => rule.rule === "198.51.100.32")).toBe(true);
    // The chats still open from the banned address end with the ban, so no agent answers into the void.
    for (const id of opened) {
      const detail = await (await agent.fetch(`/api/v1/console/conversations/${id}`)).json();
      expect(detail.conversation).toMatchObject({ status: "closed", closedReason: "blocked" });
    }
    await removeAutomaticRules();
  });

  it("does not count resuming the chat a visitor has open", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 1 };
    });
    const visitor = browser("198.51.100.33");
    const first = await visitor.startChat();
    for (let i = 0; i < 3; i++) expect((await visitor.startChat()).id).toBe(first.id);
    expect(await automaticRules()).toEqual([]);
  });

  it("bans a visitor who writes faster than messagesPerMinute, refusing the message and closing the chat", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { messagesPerMinute: 3 };
    });
    const visitor = browser("198.51.100.34");
    const chat = await visitor.startChat();
    for (let i = 0; i < 3; i++) expect((await visitor.send(chat.ticket!, chat.id!, `message ${i}`)).status).toBe(201);
    expect((await visitor.send(chat.ticket!, chat.id!, "one too many")).status).toBe(403);

    const made = await automaticRules();
    expect(made.map((rule) => rule.comment)).toEqual([
      "Automatic protection: sent 4 messages in a minute.",
      "Automatic protection: sent 4 messages in a minute.",
    ]);
    expect(made.every((rule) => rule.conversationId === chat.id)).toBe(true);
    const detail = await (await agent.fetch(`/api/v1/console/conversations/${chat.id}`)).json();
    expect(detail.conversation).toMatchObject({ status: "closed", closedReason: "blocked" });
    expect(detail.messages.map((m: { text: string }) => m.text)).not.toContain("one too many");
    await removeAutomaticRules();
    // Removed, the rules hide no more.
    expect(await browser("198.51.100.34", visitor.visitor).shows()).toBe(true);
  });

  it("counts this machine's address by browser only, so a proxy without TRUST_PROXY bans no one else", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 1 };
    });
    const local = browser("127.0.0.1");
    await local.startChat();
    expect((await browser("127.0.0.1").startChat()).status).toBe(201);
    await close((await local.startChat()).id!);
    expect((await local.startChat()).status).toBe(403);
    expect((await automaticRules()).map((rule) => rule.kind)).toEqual(["visitor"]);
    await removeAutomaticRules();
  });

  it("lets the ban expire after banMinutes", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 1, banMinutes: 5 };
    });
    const visitor = browser("198.51.100.35");
    await close((await visitor.startChat()).id!);
    expect((await visitor.startChat()).status).toBe(403);
    expect(await visitor.shows()).toBe(false);
    const started = realNow();
    h.server.deps.now = () => started + 5 * 60_000 + 1000;
    expect(await visitor.shows()).toBe(true);
    h.server.deps.now = realNow;
    await removeAutomaticRules();
  });
});

describe("close as spam", () => {
  it("bans a visitor whose chats are closed as spam spamCloses times in a day, by browser and address", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { spamCloses: 2, banMinutes: 60 };
    });
    const spammer = browser("198.51.100.36");
    const first = await spammer.startChat();
    const closed = await (await close(first.id!, true)).json();
    expect(closed.closedReason).toBe("spam");
    expect(await spammer.shows()).toBe(true);
    const second = await spammer.startChat();
    expect((await close(second.id!, true)).status).toBe(200);
    expect(await spammer.shows()).toBe(false);
    expect((await automaticRules()).map((rule) => rule.comment)).toEqual([
      "Automatic protection: had 2 chats closed as spam in a minute.",
      "Automatic protection: had 2 chats closed as spam in a minute.",
    ]);

    const spam = (await (await agent.fetch("/api/v1/console/conversations?status=closed&spam=true")).json())
      .conversations as { id: string }[];
    expect(spam.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    const others = (await (await agent.fetch("/api/v1/console/conversations?status=closed&spam=false")).json())
      .conversations as { id: string }[];
    expect(others.some((c) => c.id === first.id)).toBe(false);
    await removeAutomaticRules();
  });

  it.each([
    ["a spam flag that is not a boolean", { spam: "yes" }, "spam"],
    ["an unknown field", { reason: "spam" }, "reason"],
  ])("refuses %s, closing nothing", async (_name, body, field) => {
    const chat = await browser("198.51.100.37").startChat();
    const response = await agent.fetch(`/api/v1/console/conversations/${chat.id}/close`, {
      method: "POST",
      json: body,
    });
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fields)).toEqual([field]);
    const detail = await (await agent.fetch(`/api/v1/console/conversations/${chat.id}`)).json();
    expect(detail.conversation.status).toBe("pending");
    await close(chat.id!);
  });
});

describe("the protection settings", () => {
  it("protect an account that never saved them, with the defaults", async () => {
    const { policyCache } = h.server.deps;
    expect((await policyCache.get("rival"))?.protection).toEqual({
      chatsPerHour: 6,
      messagesPerMinute: 20,
      spamCloses: 2,
      banMinutes: 60,
      challengeEveryone: false,
      challengeDifficulty: 50_000,
    });
  });

  it.each([
    ["banMinutes", 0, "banMinutes is at least 1."],
    ["chatsPerHour", 1.5, "chatsPerHour is a whole number from 1 to 1000."],
    ["challengeDifficulty", 1e9, "challengeDifficulty is at most 10000000."],
  ])("refuses %s of %s with a message saying what fits", async (field, value, message) => {
    const current = await owner.fetch("/api/v1/console/policy");
    const doc = { ...(await current.json()), protection: { [field]: value } };
    const saved = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(saved.status).toBe(400);
    expect((await saved.json()).error.fields[`protection.${field}`]).toBe(message);
  });
});

describe("the counts", () => {
  it("are kept in the store, so a new process (or another instance) on it goes on counting", async () => {
    const { protection, db } = h.server.deps;
    const { ProtectionStore } = await import("../../server/store/protection");
    const other = new ProtectionStore(db);
    const now = realNow();
    await protection.hit("acme", ["chat:v:v_countscountscount"], now - 1000, now - 3_600_000);
    const [tally] = await other.hit("acme", ["chat:v:v_countscountscount"], now, now - 3_600_000);
    expect(tally).toEqual({ count: 2, first: now - 1000 });
    await other.sweep(now + 25 * 3_600_000);
    expect(await protection.count("acme", ["chat:v:v_countscountscount"], 0)).toEqual([{ count: 0, first: 0 }]);
  });
});
