// Automatic protection on a real server: too many chats, too many messages, chats closed as spam end
// in rules Hatch makes itself (the browser, and the address or IPv6 /64 no other browser shares, for
// banMinutes), listed, audited, told to agents, removable, expiring, within a budget of their own; a
// shared address is challenged instead; loopback is counted by browser only; the counts live in the
// store, and a ban forgets the ones it answered. A ban looks up the few rules that could cover it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../../server/ids";
import type { Challenge } from "../../../widget/api";
import { chatRequest, editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";
import { solve } from "../proof-of-work";
import { SseReader } from "../sse";

const SITE = "https://shop.example";
/** Solved in a few milliseconds, so the tests stay fast. */
const EASY = 2_000;

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());
beforeEach(() => {
  h.clock.reset();
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

/** The ticket route's answer: a ticket, or the error (a challenge to solve first, or `unavailable`). */
interface TicketAnswer {
  status: number;
  ticket?: string;
  error?: { code: string; challenge?: Challenge };
}

/** A visitor's browser: its id, the address the proxy gives it, and the widget's requests with its chat's secret. */
function browser(ip: string, visitor = newId("v")) {
  const headers = { origin: SITE, "x-forwarded-for": ip };
  let secret: Record<string, string> = {};
  const page = `page=${encodeURIComponent(`${SITE}/`)}&visitor=${visitor}`;
  const askTicket = async (solution?: string): Promise<TicketAnswer> => {
    const query = solution === undefined ? page : `${page}&solution=${encodeURIComponent(solution)}`;
    const answer = await fetch(`${h.url}/api/v1/widget/acme/ticket?${query}`, { headers });
    return { status: answer.status, ...((await answer.json()) as Omit<TicketAnswer, "status">) };
  };
  return {
    visitor,
    askTicket,
    async shows(): Promise<boolean> {
      const answer = await fetch(`${h.url}/api/v1/widget/acme/verdict?${page}`, { headers });
      return ((await answer.json()) as { show: boolean }).show;
    },
    /**
     * Asks for a ticket (with a proof of work's solution, if given) and opens (or resumes) a chat:
     * the status of the start (403 when no ticket came) and its error code, and the chat's id.
     */
    async startChat(
      solution?: string,
    ): Promise<{ status: number; code: string | null; id: string | null; ticket: string | null }> {
      const answer = await askTicket(solution);
      if (!answer.ticket) return { status: 403, code: answer.error?.code ?? null, id: null, ticket: null };
      const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
        method: "POST",
        headers: { ...headers, ...secret, authorization: `Bearer ${answer.ticket}` },
      });
      const body = (await started.json()) as {
        conversation?: { id: string };
        secret?: string;
        error?: { code: string };
      };
      if (body.secret) secret = { "x-chat-secret": body.secret };
      return {
        status: started.status,
        code: body.error?.code ?? null,
        id: body.conversation?.id ?? null,
        ticket: answer.ticket,
      };
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

interface AuditEntry {
  id: number;
  action: string;
  email: string | null;
  detail: { rule?: string; by?: string };
}

/** The newest audit entries of acme, newest first. */
async function auditLog(): Promise<AuditEntry[]> {
  return (await (await owner.fetch("/api/v1/console/audit?limit=100")).json()).entries as AuditEntry[];
}

/** The audit entries written since the newest one was `before`. */
async function auditSince(before: AuditEntry[]): Promise<AuditEntry[]> {
  const last = before[0]?.id ?? 0;
  return (await auditLog()).filter((entry) => entry.id > last);
}

/** The chat as agents see it. */
async function conversation(id: string): Promise<{ status: string; closedReason: string | null }> {
  return (await (await agent.fetch(`/api/v1/console/conversations/${id}`)).json()).conversation;
}

/** Watches acme's console events for automatic protection's notices. */
async function notices(): Promise<{ said: () => string[]; close: () => Promise<void> }> {
  const feed = new SseReader<{ type: string; data: { message?: string } }>(await agent.fetch("/api/v1/console/events"));
  return {
    said: () =>
      feed.events.flatMap((event) => (event.data.type === "protection" ? [event.data.data.message ?? ""] : [])),
    close: () => feed.close(),
  };
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
    h.clock.skip(5 * 60_000 + 1000);
    expect(await visitor.shows()).toBe(true);
    h.clock.reset();
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
    ["banMinutes", 0, "Ban length (minutes) is at least 1."],
    ["chatsPerHour", 1.5, "Chats per hour is a whole number from 1 to 1000."],
    ["challengeDifficulty", 1e9, "Challenge difficulty is at most 10000000."],
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
    const { ProtectionStore } = await import("../../../server/store/protection");
    const other = new ProtectionStore(db);
    const now = Date.now();
    await protection.hit("acme", "v_countscountscount", ["chat:v:v_countscountscount"], now - 1000, now - 3_600_000);
    const [tally] = await other.hit(
      "acme",
      "v_countscountscount",
      ["chat:v:v_countscountscount"],
      now,
      now - 3_600_000,
    );
    expect(tally).toEqual({ count: 2, first: now - 1000 });
    await other.sweep(now + 25 * 3_600_000);
    expect(await protection.count("acme", ["chat:v:v_countscountscount"], 0)).toEqual([{ count: 0, first: 0 }]);
  });
});

describe("an IPv6 visitor", () => {
  it("rotating one browser through 30 addresses of a /64 is banned once, by browser and /64, and the /64 is hidden", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 2, banMinutes: 30 };
    });
    const before = await auditLog();
    const visitor = newId("v");
    const started: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const chat = await browser(`2001:db8:a:b::${i.toString(16)}`, visitor).startChat();
      started.push(chat.status);
      if (chat.id) await close(chat.id);
    }
    expect(started.filter((status) => status === 201)).toHaveLength(2);
    expect((await automaticRules()).map((rule) => [rule.kind, rule.rule]).sort()).toEqual([
      ["network", "2001:db8:a:b::/64"],
      ["visitor", visitor],
    ]);
    expect((await auditSince(before)).filter((entry) => entry.action === "rule.add")).toHaveLength(2);
    // What was counted is what is banned: a fresh address of the /64, in a fresh browser.
    expect(await browser("2001:db8:a:b:ffff::1").shows()).toBe(false);
    expect(await browser("2001:db8:a:c::1").shows()).toBe(true);
    await removeAutomaticRules();
  });

  it("with 30 browsers on 30 addresses of a /64 bans the one that went past the limit and challenges the /64, once", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 2, banMinutes: 30, challengeDifficulty: EASY };
    });
    const before = await auditLog();
    const chats = [];
    for (let i = 1; i <= 30; i++) chats.push(await browser(`2001:db8:d:e::${i.toString(16)}`).startChat());
    expect(chats.map((chat) => chat.status)).toEqual([201, 201, ...Array<number>(28).fill(403)]);
    expect(chats[2]?.code).toBe("unavailable");
    expect(new Set(chats.slice(3).map((chat) => chat.code))).toEqual(new Set(["challenge_required"]));
    expect((await automaticRules()).map((rule) => rule.kind)).toEqual(["visitor"]);
    expect((await auditSince(before)).filter((entry) => entry.action === "rule.add")).toHaveLength(1);
    const fresh = browser("2001:db8:d:e:ffff::1");
    expect(await fresh.shows()).toBe(true);
    expect((await fresh.askTicket()).error?.code).toBe("challenge_required");
    for (const chat of chats) if (chat.id) await close(chat.id);
    await removeAutomaticRules();
  });
});

describe("a shared address", () => {
  /**
   * From `ip`, an innocent browser opens a chat and keeps it open; a second browser opens chats (an
   * agent closing each) until the address's limit of 2 an hour trips. Answers both and their chats.
   */
  async function floodChats(ip: string) {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 2, banMinutes: 30, challengeDifficulty: EASY };
    });
    const innocent = browser(ip);
    const open = await innocent.startChat();
    expect(open.status).toBe(201);
    const flooder = browser(ip);
    const first = await flooder.startChat();
    expect(first.status).toBe(201);
    await close(first.id!);
    const refused = await flooder.startChat();
    return { innocent, open, flooder, refused };
  }

  /** A new browser at `ip` solves the challenge it is given and starts a chat. */
  async function solveAndStart(ip: string) {
    const newcomer = browser(ip);
    const asked = await newcomer.askTicket();
    expect(asked).toMatchObject({ status: 403, error: { code: "challenge_required" } });
    return newcomer.startChat(await solve(asked.error!.challenge!));
  }

  it("gets the browser flooding chats from it banned, not the address: another visitor's chat there goes on, new chats solve a proof of work", async () => {
    const told = await notices();
    const { innocent, open, flooder, refused } = await floodChats("198.51.100.40");
    expect(refused).toMatchObject({ status: 403, code: "unavailable" });

    expect((await automaticRules()).map((rule) => [rule.kind, rule.rule])).toEqual([["visitor", flooder.visitor]]);
    expect(await browser("198.51.100.99", flooder.visitor).shows()).toBe(false);
    expect(await conversation(open.id!)).toMatchObject({ status: "pending" });
    expect((await innocent.send(open.ticket!, open.id!, "still here")).status).toBe(201);
    await expect
      .poll(told.said)
      .toContain(
        "Hatch banned a visitor for 30 minutes: browsers at 198.51.100.40 opened 3 chats in a minute, the last one theirs. " +
          "Other browsers share 198.51.100.40, so it is not banned: for 30 minutes, new chats from it need a proof of work, 2 an hour at most.",
      );
    await told.close();

    expect(await browser("198.51.100.40").shows()).toBe(true);
    const joined = await solveAndStart("198.51.100.40");
    expect(joined.status).toBe(201);
    for (const id of [open.id!, joined.id!]) await close(id);
    await removeAutomaticRules();
  });

  it("lets browsers that solve the challenge open chatsPerHour chats an hour, bans none of them, and forgets it all after banMinutes", async () => {
    const { open } = await floodChats("198.51.100.46");
    const before = await auditLog();
    const started = [];
    for (let i = 0; i < 3; i++) started.push(await solveAndStart("198.51.100.46"));
    expect(started.map((chat) => [chat.status, chat.code])).toEqual([
      [201, null],
      [201, null],
      [429, "rate_limited"],
    ]);
    expect((await auditSince(before)).filter((entry) => entry.action === "rule.add")).toEqual([]);
    // After banMinutes: no challenge, no throttle, and the flood's counts are gone with them.
    h.clock.skip(31 * 60_000);
    const later = [];
    for (let i = 0; i < 2; i++) later.push(await browser("198.51.100.46").startChat());
    expect(later.map((chat) => chat.status)).toEqual([201, 201]);
    h.clock.reset();
    for (const chat of [open, ...started, ...later]) if (chat.id) await close(chat.id);
    await removeAutomaticRules();
  });

  it("gets the browser flooding messages from it banned alone: the other chat there is not closed", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { messagesPerMinute: 3, banMinutes: 30, challengeDifficulty: EASY };
    });
    const innocent = browser("198.51.100.41");
    const open = await innocent.startChat();
    const flooder = browser("198.51.100.41");
    const flood = await flooder.startChat();
    for (let i = 0; i < 3; i++) expect((await flooder.send(flood.ticket!, flood.id!, `spam ${i}`)).status).toBe(201);
    expect((await flooder.send(flood.ticket!, flood.id!, "one too many")).status).toBe(403);

    expect((await automaticRules()).map((rule) => rule.kind)).toEqual(["visitor"]);
    expect(await conversation(flood.id!)).toMatchObject({ status: "closed", closedReason: "blocked" });
    expect(await conversation(open.id!)).toMatchObject({ status: "pending" });
    expect((await innocent.send(open.ticket!, open.id!, "hello?")).status).toBe(201);
    await close(open.id!);
    await removeAutomaticRules();
  });
});

describe("a ban that ends", () => {
  it("has forgotten the counts it answered, so the old flood does not ban the visitor again", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 1, banMinutes: 1 };
    });
    const visitor = browser("198.51.100.42");
    await close((await visitor.startChat()).id!);
    expect((await visitor.startChat()).status).toBe(403);
    h.clock.skip(61_000);
    expect(await visitor.shows()).toBe(true);
    const again = await visitor.startChat();
    expect(again.status).toBe(201);
    await close(again.id!);
  });
});

describe("automatic protection's budget", () => {
  let usual: { h: Harness; owner: ConsoleClient; agent: ConsoleClient } | null = null;
  /**
   * Runs the test's helpers on a server of its own whose caps are small: the owner may hold one rule,
   * automatic protection `automatic`.
   */
  async function smallCaps(automatic: number): Promise<void> {
    usual = { h, owner, agent };
    h = await startHarness({ TRUST_PROXY: "loopback" }, { seams: { ruleCaps: { people: 1, automatic } } });
    ({ owner, agent } = await signInAll(h));
  }
  const addRule = (text: string) =>
    owner.fetch("/api/v1/console/rules", { method: "POST", json: { text, comment: "the owner's" } });

  afterEach(async () => {
    if (usual === null) return;
    await h.stop();
    ({ h, owner, agent } = usual);
    usual = null;
  });

  it("bans a flooder when the owner's rules fill the account's cap, and the flooder is told only `unavailable`", async () => {
    await smallCaps(10);
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 1, banMinutes: 30 };
    });
    expect((await addRule("192.0.2.10")).status).toBe(201);
    expect((await (await addRule("192.0.2.11")).json()).error.code).toBe("too_many_rules");
    const flooder = browser("198.51.100.43");
    await close((await flooder.startChat()).id!);
    expect(await flooder.startChat()).toMatchObject({ status: 403, code: "unavailable" });
    expect((await automaticRules()).map((rule) => rule.kind).sort()).toEqual(["address", "visitor"]);
    expect(await flooder.shows()).toBe(false);
  });

  it("lets an agent block from a chat when the owner's rules fill the account's cap", async () => {
    await smallCaps(10);
    expect((await addRule("192.0.2.12")).status).toBe(201);
    expect((await (await addRule("192.0.2.13")).json()).error.code).toBe("too_many_rules");
    const chat = await chatRequest(h, { visitorIp: "198.51.100.44" });
    const blocked = await owner.fetch(`/api/v1/console/conversations/${chat.id}/block`, {
      method: "POST",
      json: { scope: ["visitor", "address"], comment: "the owner's block from a chat" },
    });
    expect(blocked.status).toBe(201);
    expect(((await blocked.json()) as { rules: Rule[] }).rules.map((rule) => rule.kind).sort()).toEqual([
      "address",
      "visitor",
    ]);
  });

  it("lets the oldest automatic rules give way when their budget is full, and leaves the owner's cap to the owner", async () => {
    await smallCaps(2);
    await editPolicy(owner, (doc) => {
      doc.protection = { chatsPerHour: 1, banMinutes: 30 };
    });
    const first = browser("198.51.100.44");
    await close((await first.startChat()).id!);
    expect((await first.startChat()).status).toBe(403);
    const given = await automaticRules();
    expect(given).toHaveLength(2);
    // Automatic protection's rules, its budget full, do not count toward the owner's cap.
    expect((await addRule("192.0.2.12")).status).toBe(201);

    const before = await auditLog();
    const second = browser("198.51.100.45");
    await close((await second.startChat()).id!);
    expect((await second.startChat()).status).toBe(403);
    expect((await automaticRules()).map((rule) => rule.rule).sort()).toEqual(["198.51.100.45", second.visitor].sort());
    expect(await second.shows()).toBe(false);
    expect(await first.shows()).toBe(true);
    const removed = (await auditSince(before)).filter((entry) => entry.action === "rule.remove");
    expect(removed.map((entry) => entry.detail.rule).sort()).toEqual(given.map((rule) => rule.rule).sort());
    expect(removed.every((entry) => entry.email === null && entry.detail.by === "automatic")).toBe(true);
  });
});

describe("a ban's look-up among many rules", () => {
  beforeAll(async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => `10.200.${i >> 8}.${i & 255}`).join("\n");
    expect((await rival.fetch("/api/v1/console/rules", { method: "POST", json: { text: lines } })).status).toBe(201);
  });

  /** Blocks the visitor of a chat of rival by `scope`, as its owner would from the chat. */
  async function block(
    conversationId: string,
    scope: string,
  ): Promise<{ status: number; rules: { created: boolean; rule: string }[] }> {
    const answer = await rival.fetch(`/api/v1/console/conversations/${conversationId}/block`, {
      method: "POST",
      json: { scope, comment: "" },
    });
    return { status: answer.status, rules: (await answer.json()).rules };
  }
  const chatFrom = async (ip: string) => (await chatRequest(h, { accountId: "rival", visitorIp: ip })).id;
  const addRule = (text: string, expiresAt: string | null = null) =>
    rival.fetch("/api/v1/console/rules", { method: "POST", json: { text, expiresAt } });

  it.each([
    ["a /16 network covers a /24 ban", "10.77.0.0/16", "10.77.5.9", "network"],
    ["a /24 network covers an address ban", "10.78.1.0/24", "10.78.1.20", "address"],
    ["an address covers a ban of itself", "10.79.0.1", "10.79.0.1", "address"],
    ["an IPv6 /48 covers a /64 ban", "2001:db8:77::/48", "2001:db8:77:1::5", "network"],
    ["an IPv4 /8 covers an IPv4-mapped visitor's /24", "172.0.0.0/8", "::ffff:172.81.2.3", "network"],
  ])("finds that %s, and stores nothing", async (_name, existing, ip, scope) => {
    expect((await addRule(existing)).status).toBe(201);
    expect(await block(await chatFrom(ip), scope)).toEqual({
      status: 200,
      rules: [expect.objectContaining({ created: false, rule: existing })],
    });
  });

  it.each([
    ["a neighbouring /24", "192.168.1.0/24", null, "192.168.2.9", "192.168.2.0/24"],
    ["a wider network ending first", "100.83.0.0/16", "2099-01-01T00:00:00Z", "100.83.4.4", "100.83.4.0/24"],
  ])("stores a ban that %s does not cover", async (_name, existing, expiresAt, ip, made) => {
    expect((await addRule(existing, expiresAt)).status).toBe(201);
    expect(await block(await chatFrom(ip), "network")).toEqual({
      status: 201,
      rules: [expect.objectContaining({ created: true, rule: made })],
    });
  });

  it("finds a browser's own rule when it is blocked again", async () => {
    const chat = await chatFrom("10.84.0.1");
    expect((await block(chat, "visitor")).status).toBe(201);
    expect(await block(chat, "visitor")).toEqual({
      status: 200,
      rules: [expect.objectContaining({ created: false, kind: "visitor" })],
    });
  });

  it("stores a ban sent eight times at once exactly once", async () => {
    const chat = await chatFrom("192.168.9.9");
    const answers = await Promise.all(Array.from({ length: 8 }, () => block(chat, "network")));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.rules[0]?.rule))).toEqual(new Set(["192.168.9.0/24"]));
  });
});
