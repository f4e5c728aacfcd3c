// Canned replies on a real server: every user reads the account's list, owners add and remove
// replies (audited), one shortcut once, a capped list, bad input refused beside its field, and
// another account's replies out of reach.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CANNED_REPLIES } from "../../../policy/limits";
import { signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";

const REPLIES = "/api/v1/console/replies";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

const add = (by: ConsoleClient, json: unknown) => by.fetch(REPLIES, { method: "POST", json });
const list = async (by: ConsoleClient) =>
  ((await (await by.fetch(REPLIES)).json()).replies as { id: string; shortcut: string; text: string }[]).map(
    (reply) => `${reply.shortcut}: ${reply.text}`,
  );

describe("canned replies", () => {
  it("are added by owners, read by every user of the account in shortcut order, and audited", async () => {
    expect((await add(owner, { shortcut: "  Refund ", text: "Refunds take 5 days.\nAsk me anything." })).status).toBe(
      201,
    );
    expect((await add(owner, { shortcut: "hello", text: "Hello! How can I help?" })).status).toBe(201);
    expect(await list(agent)).toEqual([
      "hello: Hello! How can I help?",
      "refund: Refunds take 5 days.\nAsk me anything.",
    ]);
    expect(await list(rival)).toEqual([]);
    const { entries } = await (await owner.fetch("/api/v1/console/audit?limit=1")).json();
    expect(entries[0]).toMatchObject({ action: "reply.add", detail: { shortcut: "hello" } });
  });

  it("keep one shortcut once", async () => {
    await add(owner, { shortcut: "twice", text: "first" });
    const again = await add(owner, { shortcut: "TWICE", text: "second" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.fields).toEqual({ shortcut: "Another reply has that shortcut: choose another." });
    expect((await list(owner)).filter((line) => line.startsWith("twice"))).toEqual(["twice: first"]);
  });

  it.each([
    ["a shortcut with a space", { shortcut: "two words", text: "x" }, "shortcut"],
    ["an empty shortcut", { shortcut: "", text: "x" }, "shortcut"],
    ["a shortcut too long", { shortcut: "s".repeat(33), text: "x" }, "shortcut"],
    ["an empty text", { shortcut: "empty", text: "   " }, "text"],
    ["a text too long", { shortcut: "long", text: "x".repeat(4001) }, "text"],
    ["a field it does not know", { shortcut: "extra", text: "x", secret: 1 }, "secret"],
  ])("refuse %s beside its field, storing nothing", async (_name, json, field) => {
    const before = await list(owner);
    const answer = await add(owner, json);
    expect(answer.status).toBe(400);
    expect(Object.keys((await answer.json()).error.fields)).toEqual([field]);
    expect(await list(owner)).toEqual(before);
  });

  it("are changed by owners only, and another account's are out of reach", async () => {
    const made = await (await add(owner, { shortcut: "bye", text: "Goodbye!" })).json();
    expect((await add(agent, { shortcut: "agents", text: "no" })).status).toBe(403);
    expect((await agent.fetch(`${REPLIES}/${made.id}`, { method: "DELETE" })).status).toBe(403);
    expect((await rival.fetch(`${REPLIES}/${made.id}`, { method: "DELETE" })).status).toBe(404);
    expect(await list(owner)).toContain("bye: Goodbye!");
    expect((await owner.fetch(`${REPLIES}/${made.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await list(owner)).not.toContain("bye: Goodbye!");
    expect((await owner.fetch(`${REPLIES}/${made.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it(`hold at most ${MAX_CANNED_REPLIES} per account, even sent at once`, async () => {
    const held = (await list(rival)).length;
    const answers = await Promise.all(
      Array.from({ length: MAX_CANNED_REPLIES - held + 5 }, (_, i) => add(rival, { shortcut: `r${i}`, text: "x" })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(MAX_CANNED_REPLIES - held);
    expect(statuses.filter((status) => status === 409)).toHaveLength(5);
    expect((await answers.find((answer) => answer.status === 409)!.json()).error.code).toBe("too_many_replies");
    expect(await list(rival)).toHaveLength(MAX_CANNED_REPLIES);
  });
});
