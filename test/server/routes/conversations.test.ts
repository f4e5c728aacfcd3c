// The console's chat routes on a real server: list, open, accept, answer, close, block, previews.
import { LIMITS } from "../../../server/limits";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../../server/auth/passwords";
import type { Conversation } from "../../../server/store/conversations";
import { chatRequest, PASSWORD, startHarness, type ConsoleClient, type Harness, signInAll } from "../harness";

const API = "/api/v1/console";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

/** A visitor's chat request, made the way the widget route makes it. */
/** A pending chat request whose visitor has said hello. */
const request = (visitorIp?: string) =>
  chatRequest(h, { firstMessage: "Hello, anyone there?", ...(visitorIp === undefined ? {} : { visitorIp }) });

async function activeChat(visitorIp?: string): Promise<Conversation> {
  const conversation = await request(visitorIp);
  expect((await agent.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" })).status).toBe(200);
  return conversation;
}

/** The conversation and its messages as the store has them now. */
async function stored(id: string, accountId = "acme") {
  const { conversations } = h.server.deps;
  return { conversation: await conversations.get(accountId, id), messages: await conversations.messages(id) };
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; fields?: Record<string, string> } })
    .error;
}

async function rulesOf(client: ConsoleClient) {
  return (
    (await (await client.fetch(`${API}/ip-rules`)).json()) as {
      rules: { id: string; network: string; comment: string; createdBy: Record<string, string> }[];
    }
  ).rules;
}

describe("listing and opening chats", () => {
  it("lists the account's chats by status, each with its newest message", async () => {
    const conversation = await request();
    const response = await agent.fetch(`${API}/conversations?status=pending`);
    expect(response.status).toBe(200);
    const { conversations } = await response.json();
    const listed = conversations.find((c: Conversation) => c.id === conversation.id);
    expect(listed).toMatchObject({
      status: "pending",
      visitorIp: "203.0.113.7",
      visitorCountry: "DE",
      lastMessage: { author: "visitor", text: "Hello, anyone there?" },
    });
    const active = await (await agent.fetch(`${API}/conversations?status=active`)).json();
    expect(active.conversations.map((c: Conversation) => c.id)).not.toContain(conversation.id);
  });

  it.each([
    ["no status", "", "status"],
    ["an unknown status", "?status=open", "status"],
    ["an unknown parameter", "?status=pending&all=1", "all"],
  ])("refuses a list with %s and says what to send", async (_, query, field) => {
    const response = await agent.fetch(`${API}/conversations${query}`);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid");
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
  });

  it("opens a chat with its messages and this agent's preview setting", async () => {
    const conversation = await request();
    const response = await agent.fetch(`${API}/conversations/${conversation.id}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.conversation).toMatchObject({ id: conversation.id, status: "pending", page: "https://shop.example/x" });
    expect(body.messages).toMatchObject([{ author: "visitor", text: "Hello, anyone there?", file: null }]);
    expect(body.previews).toEqual({ show: true, override: null });
  });

  it("does not show another account's chat, in a list or by id", async () => {
    const conversation = await request();
    const response = await rival.fetch(`${API}/conversations/${conversation.id}`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    const unknown = await rival.fetch(`${API}/conversations/conv_doesnotexist0000`);
    expect(await errorOf(unknown)).toEqual(await errorOf(await rival.fetch(`${API}/conversations/${conversation.id}`)));
    const list = await (await rival.fetch(`${API}/conversations?status=pending`)).json();
    expect(list.conversations).toEqual([]);
  });
});

describe("guards on every chat route", () => {
  const routes = [
    ["GET", "/conversations?status=pending"],
    ["GET", "/conversations/ID"],
    ["POST", "/conversations/ID/accept"],
    ["POST", "/conversations/ID/messages"],
    ["POST", "/conversations/ID/close"],
    ["POST", "/conversations/ID/block"],
    ["PUT", "/conversations/ID/previews"],
  ] as const;

  it.each(routes)("answers %s %s with 401 without a session", async (method, path) => {
    const conversation = await request();
    const response = await fetch(`${h.url}${API}${path.replace("ID", conversation.id)}`, {
      method,
      headers: { origin: h.origin, "content-type": "application/json" },
      body: method === "GET" ? undefined : "{}",
    });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("signed_out");
  });

  const bodies: Record<string, unknown> = {
    accept: undefined,
    messages: { text: "hi" },
    close: undefined,
    block: { scope: "address", comment: "" },
    previews: { show: false },
  };
  it.each(routes.filter(([method]) => method !== "GET"))(
    "refuses %s %s from another origin and changes nothing",
    async (method, path) => {
      const conversation = await activeChat("198.51.100.250");
      const before = await stored(conversation.id);
      const response = await agent.fetch(`${API}${path.replace("ID", conversation.id)}`, {
        method,
        headers: { origin: "https://evil.example" },
        json: bodies[path.split("/").pop()!],
      });
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("cross_origin");
      expect(await stored(conversation.id)).toEqual(before);
      expect(await h.server.deps.conversations.previewOverride((await me(agent)).id, conversation.id)).toBeNull();
      expect((await rulesOf(owner)).map((rule) => rule.network)).not.toContain("198.51.100.250");
    },
  );
});

async function me(client: ConsoleClient): Promise<{ id: string }> {
  return (await (await client.fetch(`${API}/me`)).json()).user;
}

describe("taking a chat request", () => {
  it("refuses a body with fields, which accept does not take, and changes nothing", async () => {
    const conversation = await request();
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/accept`, {
      method: "POST",
      json: { agent: "someone-else" },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).fields).toEqual({ agent: `Unknown field "agent": remove it.` });
    expect((await h.server.deps.conversations.get("acme", conversation.id))?.status).toBe("pending");
  });

  it("makes a pending request active with this agent", async () => {
    const conversation = await request();
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    expect(response.status).toBe(200);
    const agentId = (await me(agent)).id;
    expect(await response.json()).toMatchObject({ id: conversation.id, status: "active", agentUserId: agentId });
    expect((await stored(conversation.id)).conversation).toMatchObject({ status: "active", agentUserId: agentId });
  });

  it("refuses to take a chat that is already active or closed with 409 not_pending", async () => {
    const conversation = await activeChat();
    const taken = await owner.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    expect(taken.status).toBe(409);
    expect(await errorOf(taken)).toEqual({
      code: "not_pending",
      message: "Another agent has already taken this chat.",
    });
    expect((await stored(conversation.id)).conversation?.agentUserId).toBe((await me(agent)).id);

    await agent.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });
    const closed = await agent.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    expect(closed.status).toBe(409);
    expect((await errorOf(closed)).code).toBe("not_pending");
    expect((await stored(conversation.id)).conversation?.status).toBe("closed");
  });

  it("does not let another account take a chat request", async () => {
    const conversation = await request();
    const response = await rival.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    expect(response.status).toBe(404);
    expect((await stored(conversation.id)).conversation).toMatchObject({ status: "pending", agentUserId: null });
  });
});

describe("answering", () => {
  it("stores the trimmed text as this agent's message", async () => {
    const conversation = await activeChat();
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/messages`, {
      method: "POST",
      json: { text: "  How can I help?\n" },
    });
    expect(response.status).toBe(201);
    const agentId = (await me(agent)).id;
    expect(await response.json()).toMatchObject({
      conversationId: conversation.id,
      author: "agent",
      userId: agentId,
      text: "How can I help?",
      file: null,
    });
    expect((await stored(conversation.id)).messages.map((m) => [m.author, m.text])).toEqual([
      ["visitor", "Hello, anyone there?"],
      ["agent", "How can I help?"],
    ]);
  });

  it.each([
    ["an empty text", { text: "   " }, "text", "Write a message first."],
    ["a text over 4000 characters", { text: "x".repeat(4001) }, "text", "A message is at most 4000 characters."],
    ["a text that is not a string", { text: 42 }, "text", undefined],
    ["an unknown field", { text: "hi", html: "<b>hi</b>" }, "html", `Unknown field "html": remove it.`],
  ])("refuses %s and stores nothing", async (_, json, field, message) => {
    const conversation = await activeChat();
    const before = await stored(conversation.id);
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/messages`, { method: "POST", json });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.fields?.[field]).toBeDefined();
    if (message) expect(error.fields?.[field]).toBe(message);
    expect(await stored(conversation.id)).toEqual(before);
  });

  it("refuses a body that is not JSON", async () => {
    const conversation = await activeChat();
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "text=hi",
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("bad_json");
  });

  it("refuses to answer a chat that is pending or closed with 409", async () => {
    const pending = await request();
    const early = await agent.fetch(`${API}/conversations/${pending.id}/messages`, {
      method: "POST",
      json: { text: "hi" },
    });
    expect(early.status).toBe(409);
    expect(await errorOf(early)).toEqual({
      code: "not_active",
      message: "Take this chat request before answering it.",
    });
    await agent.fetch(`${API}/conversations/${pending.id}/close`, { method: "POST" });
    const late = await agent.fetch(`${API}/conversations/${pending.id}/messages`, {
      method: "POST",
      json: { text: "hi" },
    });
    expect(late.status).toBe(409);
    expect((await stored(pending.id)).messages).toHaveLength(1);
  });

  it("does not let another account answer", async () => {
    const conversation = await activeChat();
    const response = await rival.fetch(`${API}/conversations/${conversation.id}/messages`, {
      method: "POST",
      json: { text: "hi from elsewhere" },
    });
    expect(response.status).toBe(404);
    expect((await stored(conversation.id)).messages).toHaveLength(1);
  });

  it("limits an agent per conversation at a rate no person types, not at the visitors' 30 a minute", async () => {
    await h.server.deps.accounts.addUser("acme", "busy@acme.test", await hashPassword(PASSWORD), "agent", Date.now());
    const busy = await h.login("acme", "busy@acme.test");
    const [first, second] = [await activeChat(), await activeChat()];
    const send = (id: string, i: number) =>
      busy.fetch(`${API}/conversations/${id}/messages`, { method: "POST", json: { text: `message ${i}` } });
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.agentMessage.limit; i += 20) {
      statuses.push(
        ...(await Promise.all(Array.from({ length: 20 }, (_, j) => send(first.id, i + j).then((r) => r.status)))),
      );
    }
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    const refused = await send(first.id, 999);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same agent answering another chat has that chat's budget.
    expect((await send(second.id, 0)).status).toBe(201);
    expect((await stored(first.id)).messages).toHaveLength(LIMITS.agentMessage.limit + 1);
  });
});

describe("closing", () => {
  it("closes an active chat with reason agent", async () => {
    const conversation = await activeChat();
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "closed", closedReason: "agent" });
    expect((await stored(conversation.id)).conversation).toMatchObject({ status: "closed", closedReason: "agent" });
  });

  it("ignores a pending request by closing it unanswered", async () => {
    const conversation = await request();
    const response = await owner.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });
    expect(await response.json()).toMatchObject({ status: "closed", closedReason: "ignored", agentUserId: null });
  });

  it("refuses to close a closed chat with 409 and keeps its reason", async () => {
    const conversation = await request();
    await agent.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });
    const again = await agent.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("already_closed");
    expect((await stored(conversation.id)).conversation?.closedReason).toBe("ignored");
  });

  it("does not let another account close a chat", async () => {
    const conversation = await activeChat();
    expect((await rival.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" })).status).toBe(404);
    expect((await stored(conversation.id)).conversation?.status).toBe("active");
  });
});

describe("blocking from a chat", () => {
  it("blocks the visitor's address with the agent and chat named, and closes the chat", async () => {
    const conversation = await activeChat("203.0.113.7");
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: " insults " },
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    const agentId = (await me(agent)).id;
    expect(body.rules).toHaveLength(1);
    expect(body.rules[0]).toMatchObject({
      created: true,
      kind: "address",
      rule: "203.0.113.7",
      comment: "insults",
      expiresAt: null,
      createdBy: { kind: "agent", userId: agentId, email: "agent@acme.test", conversationId: conversation.id },
    });
    expect(body.conversation).toMatchObject({ id: conversation.id, status: "closed", closedReason: "blocked" });
    expect((await stored(conversation.id)).conversation).toMatchObject({ status: "closed", closedReason: "blocked" });
    // A co-worker sees it among the account's rules, with the comment and where it came from.
    expect((await rulesOf(owner)).find((rule) => rule.id === body.rules[0].id)).toMatchObject({
      network: "203.0.113.7",
      comment: "insults",
      createdBy: { kind: "agent", conversationId: conversation.id },
    });
  });

  it("blocks the visitor's /24, and blocking inside it again returns that rule instead of a duplicate", async () => {
    const first = await request("192.0.2.77");
    const response = await owner.fetch(`${API}/conversations/${first.id}/block`, {
      method: "POST",
      json: { scope: "network", comment: "spam wave" },
    });
    expect(response.status).toBe(201);
    const [rule] = (await response.json()).rules;
    expect(rule.rule).toBe("192.0.2.0/24");
    const count = (await rulesOf(owner)).length;

    for (const [ip, scope] of [
      ["192.0.2.77", "network"],
      ["192.0.2.200", "address"],
    ] as const) {
      const again = await request(ip);
      const repeat = await agent.fetch(`${API}/conversations/${again.id}/block`, {
        method: "POST",
        json: { scope, comment: "again" },
      });
      expect(repeat.status).toBe(200);
      const body = await repeat.json();
      expect(body).toMatchObject({
        rules: [{ created: false, id: rule.id, rule: "192.0.2.0/24", comment: "spam wave" }],
        conversation: { status: "closed", closedReason: "blocked" },
      });
    }
    expect(await rulesOf(owner)).toHaveLength(count);
  });

  it.each([
    ["an IPv6 visitor's network", "2001:db8:1:2:3:4:5:6", "network", "2001:db8:1:2::/64"],
    ["an IPv6 visitor's address", "2001:db8:9:9::42", "address", "2001:db8:9:9::42"],
    ["an IPv4-mapped visitor as IPv4", "::ffff:198.51.100.9", "address", "198.51.100.9"],
    ["an IPv4-mapped visitor's network as IPv4", "::ffff:198.51.100.9", "network", "198.51.100.0/24"],
  ])("blocks %s: visitor %s, scope %s, makes %s", async (_, ip, scope, network) => {
    const conversation = await request(ip);
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope, comment: "" },
    });
    expect(response.status).toBe(201);
    expect((await response.json()).rules.map((rule: { rule: string }) => rule.rule)).toEqual([network]);
  });

  it("still blocks the visitor of a chat that is already closed, keeping its reason", async () => {
    const conversation = await activeChat("100.64.0.33");
    await agent.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: "came back to say" },
    });
    expect(response.status).toBe(201);
    expect((await response.json()).conversation).toMatchObject({ status: "closed", closedReason: "agent" });
  });

  it.each([
    ["an unknown scope", { scope: "everyone", comment: "" }, "scope"],
    ["no scope", { comment: "x" }, "scope"],
    ["a comment over 500 characters", { scope: "address", comment: "x".repeat(501) }, "comment"],
    ["an unknown field", { scope: "address", comment: "", duration: "1h" }, "duration"],
    ["an empty list of scopes", { scope: [], comment: "" }, "scope"],
  ])("refuses %s, stores no rule and leaves the chat open", async (_, json, field) => {
    const conversation = await activeChat("198.51.100.44");
    const rulesBefore = await rulesOf(owner);
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/block`, { method: "POST", json });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid");
    expect(error.message).toContain(field);
    expect(error.fields?.[field]).toBeDefined();
    expect(await rulesOf(owner)).toEqual(rulesBefore);
    expect((await stored(conversation.id)).conversation?.status).toBe("active");
  });

  it("does not let another account block a chat's visitor", async () => {
    const conversation = await activeChat("198.51.100.55");
    const ownBefore = await rulesOf(owner);
    const response = await rival.fetch(`${API}/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: "" },
    });
    expect(response.status).toBe(404);
    expect(await rulesOf(rival)).toEqual([]);
    expect(await rulesOf(owner)).toEqual(ownBefore);
    expect((await stored(conversation.id)).conversation?.status).toBe("active");
  });
});

describe("image previews per chat", () => {
  it("follows the agent's default from their options until they override it", async () => {
    const conversation = await request();
    const previews = async (client: ConsoleClient) =>
      (await (await client.fetch(`${API}/conversations/${conversation.id}`)).json()).previews;
    try {
      await agent.fetch(`${API}/me/options`, { method: "PATCH", json: { imagePreviews: false } });
      expect(await previews(agent)).toEqual({ show: false, override: null });
      expect(await previews(owner)).toEqual({ show: true, override: null });

      const on = await agent.fetch(`${API}/conversations/${conversation.id}/previews`, {
        method: "PUT",
        json: { show: true },
      });
      expect(await on.json()).toEqual({ show: true, override: true });
      expect(await previews(agent)).toEqual({ show: true, override: true });

      const cleared = await agent.fetch(`${API}/conversations/${conversation.id}/previews`, {
        method: "PUT",
        json: { show: null },
      });
      expect(await cleared.json()).toEqual({ show: false, override: null });
      expect(await previews(agent)).toEqual({ show: false, override: null });
    } finally {
      await agent.fetch(`${API}/me/options`, { method: "PATCH", json: { imagePreviews: true } });
    }
  });

  it("keeps each agent's override to themselves", async () => {
    const conversation = await request();
    const previews = async (client: ConsoleClient) =>
      (await (await client.fetch(`${API}/conversations/${conversation.id}`)).json()).previews;
    await agent.fetch(`${API}/conversations/${conversation.id}/previews`, { method: "PUT", json: { show: false } });
    await owner.fetch(`${API}/conversations/${conversation.id}/previews`, { method: "PUT", json: { show: true } });
    expect(await previews(agent)).toEqual({ show: false, override: false });
    expect(await previews(owner)).toEqual({ show: true, override: true });
    await owner.fetch(`${API}/conversations/${conversation.id}/previews`, { method: "PUT", json: { show: false } });
    expect(await previews(agent)).toEqual({ show: false, override: false });
    // The override is per chat: another chat follows the default.
    const other = await request();
    expect((await (await agent.fetch(`${API}/conversations/${other.id}`)).json()).previews).toEqual({
      show: true,
      override: null,
    });
  });

  it.each([
    ["a string", { show: "yes" }, "show"],
    ["no show", {}, "show"],
    ["an unknown field", { show: true, all: true }, "all"],
  ])("refuses %s and keeps the override", async (_, json, field) => {
    const conversation = await request();
    await agent.fetch(`${API}/conversations/${conversation.id}/previews`, { method: "PUT", json: { show: false } });
    const response = await agent.fetch(`${API}/conversations/${conversation.id}/previews`, { method: "PUT", json });
    expect(response.status).toBe(400);
    expect(Object.keys((await errorOf(response)).fields ?? {})).toEqual([field]);
    expect(await h.server.deps.conversations.previewOverride((await me(agent)).id, conversation.id)).toBe(false);
  });

  it("does not let another account set an override on a chat", async () => {
    const conversation = await request();
    const response = await rival.fetch(`${API}/conversations/${conversation.id}/previews`, {
      method: "PUT",
      json: { show: false },
    });
    expect(response.status).toBe(404);
    expect(await h.server.deps.conversations.previewOverride((await me(rival)).id, conversation.id)).toBeNull();
  });
});
