// Owners may show agents visitors' addresses masked to their network: every answer and console event
// an agent reads carries the /24 or /48, owners read the full address, and a block an agent makes from
// the chat still acts on the full address the server keeps. Both engines.
import { afterAll, beforeAll, expect, it } from "vitest";
import { editPolicy, startHarness, visitorSession, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  [owner, agent] = await Promise.all([h.login("acme", "owner@acme.test"), h.login("acme", "agent@acme.test")]);
});
afterAll(() => h.stop());

const chatOf = async (client: ConsoleClient, id: string) =>
  (await (await client.fetch(`/api/v1/console/conversations/${id}`)).json()).conversation;

it("shows agents networks in chats, the list, events and rules once the owners choose it; owners see all", async () => {
  const before = await visitorSession(h, { forwardedFor: "198.51.100.23" });
  expect((await chatOf(agent, before.conversationId)).visitorIp).toBe("198.51.100.23");

  const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
  await expect.poll(() => feed.response.status).toBe(200);
  await editPolicy(owner, (doc) => {
    doc.agentsSeeAddresses = "network";
  });
  const session = await visitorSession(h, { forwardedFor: "2001:db8:aa:bb::7" });
  const id = session.conversationId;

  expect(await chatOf(agent, id)).toMatchObject({
    visitorIp: "2001:db8:aa::/48",
    visitorAddresses: [expect.objectContaining({ ip: "2001:db8:aa::/48" })],
  });
  expect((await chatOf(owner, id)).visitorIp).toBe("2001:db8:aa:bb::7");
  const { conversations } = await (await agent.fetch("/api/v1/console/conversations?status=pending")).json();
  expect(conversations.find((c: { id: string }) => c.id === before.conversationId).visitorIp).toBe("198.51.100.0/24");
  // The stream opened before the change follows it.
  await expect
    .poll(() => feed.events.find((e) => e.event === "conversation" && JSON.stringify(e.data).includes(id))?.data, {
      timeout: 5000,
    })
    .toMatchObject({ data: { visitorIp: "2001:db8:aa::/48" } });
  expect(JSON.stringify(feed.events)).not.toContain("2001:db8:aa:bb::7");
  await feed.close();

  // The agent's block acts on the full address; the rule's chat shows them the network.
  expect((await agent.fetch(`/api/v1/console/conversations/${id}/accept`, { method: "POST" })).status).toBe(200);
  const block = await agent.fetch(`/api/v1/console/conversations/${id}/block`, {
    method: "POST",
    json: { scope: "address", comment: "abuse" },
  });
  expect(block.status).toBe(201);
  const blocked = await block.json();
  expect(blocked.conversation.visitorIp).toBe("2001:db8:aa::/48");
  expect(blocked.rules[0].rule).toBe("2001:db8:aa::/48");
  const listed = async (client: ConsoleClient) =>
    (await (await client.fetch("/api/v1/console/rules")).json()).rules.find(
      (rule: { chat: { id: string } | null }) => rule.chat?.id === id,
    );
  expect(await listed(owner)).toMatchObject({ rule: "2001:db8:aa:bb::7", chat: { visitorIp: "2001:db8:aa:bb::7" } });
  expect(await listed(agent)).toMatchObject({ rule: "2001:db8:aa::/48", chat: { visitorIp: "2001:db8:aa::/48" } });
  const { rules: ipRules } = await (await agent.fetch("/api/v1/console/ip-rules")).json();
  expect(JSON.stringify(ipRules)).not.toContain("2001:db8:aa:bb::7");
});

it("shows agents automatic protection's bans by network: the rules and the notice's words", async () => {
  await editPolicy(owner, (doc) => {
    doc.agentsSeeAddresses = "network";
    doc.protection = { spamCloses: 1 };
  });
  const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
  await expect.poll(() => feed.response.status).toBe(200);
  const session = await visitorSession(h, { forwardedFor: "203.0.113.58" });
  const closed = await agent.fetch(`/api/v1/console/conversations/${session.conversationId}/close`, {
    method: "POST",
    json: { spam: true },
  });
  expect(closed.status).toBe(200);
  await expect.poll(() => feed.events.some((e) => e.event === "protection"), { timeout: 5000 }).toBe(true);
  const ban = JSON.stringify(feed.events.filter((e) => e.event === "protection"));
  expect(ban).toContain("203.0.113.0/24");
  expect(ban).not.toContain("203.0.113.58");
  await feed.close();
  // The owner reads the ban whole.
  const { rules } = await (await owner.fetch("/api/v1/console/rules")).json();
  expect(JSON.stringify(rules)).toContain("203.0.113.58");
});

it("refuses a value other than full or network, and changes nothing", async () => {
  const current = await owner.fetch("/api/v1/console/policy");
  const doc = await current.json();
  const refused = await owner.fetch("/api/v1/console/policy", {
    method: "PUT",
    json: { ...doc, agentsSeeAddresses: "none" },
    headers: { "if-match": current.headers.get("etag") ?? "" },
  });
  expect(refused.status).toBe(400);
  expect((await refused.json()).error.message).toMatch(/Visitor addresses agents see is "full" or "network"/);
  expect((await (await owner.fetch("/api/v1/console/policy")).json()).agentsSeeAddresses).toBe(doc.agentsSeeAddresses);
});
