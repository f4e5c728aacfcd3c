// Passing a chat on, on a real server: the agent who has it (or an owner) hands it to a co-worker
// online, who the visitor then reads as their agent; never to someone offline, nor across accounts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAll, startHarness, visitorSession, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;
let ownerId: string;
let agentId: string;
/** The owner's console open: what makes them online. */
let ownerOnline: SseReader;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent, rival } = await signInAll(h));
  const users = (await (await owner.fetch("/api/v1/console/users")).json()).users as { id: string; email: string }[];
  ownerId = users.find((u) => u.email === "owner@acme.test")!.id;
  agentId = users.find((u) => u.email === "agent@acme.test")!.id;
  await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: "Olga" } });
  ownerOnline = new SseReader(await owner.fetch("/api/v1/console/events"));
  // Online once the open console is recorded.
  const probe = await takenChat("198.51.100.160");
  for (let tries = 0; (await candidatesFor(agent, probe)).length === 0; tries++) {
    if (tries > 100) throw new Error("the owner never came online");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
afterAll(async () => {
  await ownerOnline.close();
  await h.stop();
});

const chatPath = (id: string) => `/api/v1/console/conversations/${id}`;
const transfer = (by: ConsoleClient, id: string, userId: string) =>
  by.fetch(`${chatPath(id)}/transfer`, { method: "POST", json: { userId } });
const candidatesFor = async (by: ConsoleClient, id: string) =>
  (await (await by.fetch(`${chatPath(id)}/transfer`)).json()).candidates as { userId: string; email: string | null }[];

/** A visitor's chat the agent has taken. */
async function takenChat(ip: string): Promise<string> {
  const visitor = await visitorSession(h, { forwardedFor: ip });
  await agent.fetch(`${chatPath(visitor.conversationId)}/accept`, { method: "POST" });
  return visitor.conversationId;
}

describe("passing a chat on", () => {
  it("hands it to a co-worker online, and the visitor reads their name", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.161" });
    const id = visitor.conversationId;
    await agent.fetch(`${chatPath(id)}/accept`, { method: "POST" });
    const stream = new SseReader<{ status?: string; agentName?: string | null }>(
      await visitor.fetch(`/conversations/${id}/events`),
    );
    expect(await candidatesFor(agent, id)).toEqual([{ userId: ownerId, name: "Olga", email: null }]);
    const moved = await transfer(agent, id, ownerId);
    expect(await moved.json()).toMatchObject({ status: "active", agentUserId: ownerId, agentName: "Olga" });
    await expect.poll(() => stream.events.some((e) => e.data.agentName === "Olga")).toBe(true);
    // Now the owner's: the agent who passed it on may no longer do so.
    expect((await transfer(agent, id, agentId)).status).toBe(403);
    await stream.close();
  });

  it.each([
    ["to someone offline", () => agentId, 409, "not_online"],
    ["to whoever has it already", () => ownerId, 409, "already_theirs"],
    ["to a user of no account", () => "user_nobody", 404, "not_found"],
  ])("refuses to pass it %s, changing nothing", async (_name, to, status, code) => {
    const id = await takenChat("198.51.100.162");
    // The owner passes the agent's chat: owners may pass any.
    expect((await transfer(owner, id, ownerId)).status).toBe(200);
    const answer = await transfer(owner, id, to());
    expect(answer.status).toBe(status);
    expect((await answer.json()).error.code).toBe(code);
    expect((await (await owner.fetch(chatPath(id))).json()).conversation.agentUserId).toBe(ownerId);
  });

  it("refuses a request nobody took, and another account's chat", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.163" });
    expect((await (await transfer(owner, visitor.conversationId, ownerId)).json()).error.code).toBe("not_active");
    const id = await takenChat("198.51.100.164");
    expect((await transfer(rival, id, ownerId)).status).toBe(404);
    expect((await rival.fetch(`${chatPath(id)}/transfer`)).status).toBe(404);
  });

  it("tells owners their co-workers' emails among those it may go to, and agents only names", async () => {
    const id = await takenChat("198.51.100.165");
    expect(await candidatesFor(owner, id)).toEqual([{ userId: ownerId, name: "Olga", email: "owner@acme.test" }]);
    expect((await candidatesFor(agent, id))[0]?.email).toBeNull();
  });
});
