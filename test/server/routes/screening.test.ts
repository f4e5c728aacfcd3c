// Screening on a real server (issue #28): a visitor's words are screened before they are stored or
// sent to anyone. Card numbers never leave the server whole; abusive words and links are spans the
// console masks and defuses; held messages reach no agent until one releases them (audited, as are
// reveals); abusive messages ban their sender; the visitor is never told.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  editPolicy,
  signInAll,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
  type VisitorSession,
} from "../harness";
import { SseReader } from "../sse";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

interface Screening {
  abuse: [number, number][];
  links: [number, number, string][];
  clickable?: true;
}
interface AgentMessage {
  id: number;
  text: string;
  screening: Screening | null;
  held: boolean;
  released: { by: string; at: string } | null;
}

const chatPath = (id: string) => `/api/v1/console/conversations/${id}`;
let lastAddress = 10;
/** A visitor from an address of their own: protection counts each apart. */
const newVisitor = () => visitorSession(h, { forwardedFor: `198.51.100.${lastAddress++}` });
const write = (visitor: VisitorSession, text: string) =>
  visitor.fetch(`/conversations/${visitor.conversationId}/messages`, { method: "POST", json: { text } });
const messagesOf = async (client: ConsoleClient, id: string): Promise<AgentMessage[]> =>
  (await (await client.fetch(chatPath(id))).json()).messages;
const setScreening = (screening: Record<string, unknown> | undefined) =>
  editPolicy(owner, (doc) => {
    if (screening === undefined) delete doc.screening;
    else doc.screening = screening;
  });
const auditActions = async () =>
  (
    (await (await owner.fetch("/api/v1/console/audit?limit=50")).json()).entries as {
      action: string;
      detail: unknown;
    }[]
  )
    .filter((entry) => entry.action.startsWith("message."))
    .map((entry) => entry.action);

const CARD = "4242 4242 4242 4242";

describe("screening on its defaults", () => {
  it("masks a card number for good, and marks abusive words and links for the console", async () => {
    await setScreening(undefined);
    const visitor = await newVisitor();
    const feed = new SseReader<{ type: string; data: AgentMessage }>(await agent.fetch("/api/v1/console/events"));
    const text = `you fucking moron, card ${CARD}, see paypal.com.evil-login.info/x`;
    const sent = await write(visitor, text);
    expect(sent.status).toBe(201);
    // The visitor is told nothing of what was found; their card is masked for them too.
    const echoed = await sent.json();
    expect(echoed).not.toHaveProperty("screening");
    expect(echoed.text).toContain("•••• 4242");

    const [message] = await messagesOf(agent, visitor.conversationId);
    expect(message!.text).toBe("you fucking moron, card •••• 4242, see paypal.com.evil-login.info/x");
    expect(message!.held).toBe(false);
    const masked = message!.screening!.abuse.map(([start, end]) => message!.text.slice(start, end));
    expect(masked.join(" ")).toMatch(/fuck/);
    expect(masked.join(" ")).not.toMatch(/card|see/);
    const [link] = message!.screening!.links;
    expect(message!.text.slice(link![0], link![1])).toBe("paypal.com.evil-login.info/x");
    expect(link![2]).toBe("evil-login.info");
    expect(message!.screening!.clickable).toBeUndefined();

    await expect.poll(() => feed.events.some((e) => e.data.type === "message")).toBe(true);
    expect(JSON.stringify(feed.events)).not.toContain(CARD);
    await feed.close();
  });

  it("leaves agents' own words alone", async () => {
    const visitor = await newVisitor();
    await agent.fetch(`${chatPath(visitor.conversationId)}/accept`, { method: "POST" });
    await agent.fetch(`${chatPath(visitor.conversationId)}/messages`, {
      method: "POST",
      json: { text: `test card ${CARD} at shop.example` },
    });
    const [message] = await messagesOf(agent, visitor.conversationId);
    expect(message!.text).toContain(CARD);
    expect(message!.screening).toBeNull();
  });

  it("records an agent showing masked words, and only for a message with some", async () => {
    const visitor = await newVisitor();
    await write(visitor, "shut up you fucking idiot");
    await write(visitor, "sorry, hello");
    const [abusive, polite] = await messagesOf(agent, visitor.conversationId);
    const reveal = (id: number, by = agent) =>
      by.fetch(`${chatPath(visitor.conversationId)}/messages/${id}/reveal`, { method: "POST" });
    expect((await reveal(abusive!.id)).status).toBe(204);
    expect((await reveal(polite!.id)).status).toBe(404);
    expect((await reveal(abusive!.id, rival)).status).toBe(404);
    expect(await auditActions()).toContain("message.reveal");
  });
});

describe("holding", () => {
  it("keeps a held message from every agent's stream until one releases it, then tells once", async () => {
    await setScreening({ abuse: "hold" });
    const visitor = await newVisitor();
    const id = visitor.conversationId;
    const feed = new SseReader<{ type: string; data: Partial<AgentMessage> & { conversationId: string } }>(
      await agent.fetch("/api/v1/console/events"),
    );
    const stream = new SseReader<{ id?: number; text?: string }>(
      await visitor.fetch(`/conversations/${id}/events?after=0`),
    );
    expect((await write(visitor, "you are a fucking disgrace")).status).toBe(201);
    await expect
      .poll(() => feed.events.find((e) => e.data.type === "held")?.data.data)
      .toMatchObject({ conversationId: id });
    expect(JSON.stringify(feed.events)).not.toContain("disgrace");
    const [held] = await messagesOf(agent, id);
    expect(held).toMatchObject({ held: true, released: null });
    // The chat list's preview line is not the held message.
    const { conversations } = await (await agent.fetch("/api/v1/console/conversations?status=pending")).json();
    expect(JSON.stringify(conversations)).not.toContain("disgrace");

    const release = (by: ConsoleClient) => by.fetch(`${chatPath(id)}/messages/${held!.id}/release`, { method: "POST" });
    expect((await release(rival)).status).toBe(404);
    const released = await release(agent);
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({ id: held!.id, held: false, released: { by: "agent@acme.test" } });
    expect((await release(agent)).status).toBe(404);
    await expect
      .poll(() => feed.events.some((e) => e.data.type === "message" && e.data.data.id === held!.id))
      .toBe(true);
    // The visitor had their message all along, and gets it once.
    await expect.poll(() => stream.events.filter((e) => e.data.text?.includes("disgrace")).length).toBe(1);
    await write(visitor, "still there?");
    await expect.poll(() => stream.events.some((e) => e.data.text === "still there?")).toBe(true);
    expect(stream.events.filter((e) => e.data.text?.includes("disgrace"))).toHaveLength(1);
    expect(await auditActions()).toEqual(expect.arrayContaining(["message.hold", "message.release"]));
    await Promise.all([feed.close(), stream.close()]);
  });

  it("holds messages with links when links are held, and lets links be clickable when allowed", async () => {
    await setScreening({ links: "hold" });
    const visitor = await newVisitor();
    await write(visitor, "look at https://example.com/deal");
    expect((await messagesOf(agent, visitor.conversationId))[0]!.held).toBe(true);
    await setScreening({ links: "allow" });
    const other = await newVisitor();
    await write(other, "look at https://example.com/deal");
    const [message] = await messagesOf(agent, other.conversationId);
    expect(message).toMatchObject({ held: false, screening: { clickable: true, links: [[8, 32, "example.com"]] } });
  });

  it("screens nothing it is told not to", async () => {
    await setScreening({ abuse: "off", cards: false, links: "plain" });
    const visitor = await newVisitor();
    await write(visitor, `fucking card ${CARD}`);
    const [message] = await messagesOf(agent, visitor.conversationId);
    expect(message).toMatchObject({ text: `fucking card ${CARD}`, screening: null, held: false });
  });
});

describe("a visitor's file name", () => {
  it("is stored with abusive words and card numbers masked, as agents read it beside the file", async () => {
    await setScreening(undefined);
    const visitor = await newVisitor();
    const sent = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      headers: {
        "x-file-name": encodeURIComponent("fuck you 4242 4242 4242 4242 é%41.txt"),
        "content-type": "application/octet-stream",
      },
      body: "hello from a visitor\n",
    });
    expect(sent.status).toBe(201);
    const chat = await (await agent.fetch(chatPath(visitor.conversationId))).json();
    const names = chat.messages.map((message: { file: { name: string } | null }) => message.file?.name);
    expect(names).toEqual(["••• you •••• 4242 é%41.txt"]);
  });
});

describe("abusive messages ban their sender", () => {
  it("refuses the message that reaches the owner's count, with the ban, and says why in the rule", async () => {
    await setScreening({ abusiveMessages: 2 });
    const visitor = await newVisitor();
    expect((await write(visitor, "fuck you")).status).toBe(201);
    expect((await write(visitor, "hello")).status).toBe(201);
    const banned = await write(visitor, "fuck off");
    expect(banned.status).toBe(403);
    expect((await banned.json()).error.code).toBe("unavailable");
    const texts = (await messagesOf(agent, visitor.conversationId)).map((m) => m.text);
    expect(texts).toEqual(["fuck you", "hello"]);
    const { rules } = await (await owner.fetch("/api/v1/console/rules?author=automatic")).json();
    expect(rules.map((rule: { comment: string }) => rule.comment)).toContain(
      "Automatic protection: sent 2 abusive messages in a minute.",
    );
  });

  it("counts each browser's abusive messages apart, so a stranger's on a shared address gets no one else banned", async () => {
    await setScreening({ abusiveMessages: 2 });
    const address = `198.51.100.${lastAddress++}`;
    const stranger = await visitorSession(h, { forwardedFor: address });
    expect((await write(stranger, "fuck you")).status).toBe(201);
    const neighbour = await visitorSession(h, { forwardedFor: address });
    expect((await write(neighbour, "oh shit, my order is late")).status).toBe(201);
    expect((await write(neighbour, "thanks")).status).toBe(201);
    expect((await write(stranger, "fuck off")).status).toBe(403);
    expect((await write(neighbour, "still there?")).status).toBe(201);
  });

  it("never bans at 0", async () => {
    await setScreening({ abusiveMessages: 0 });
    const visitor = await newVisitor();
    for (let i = 0; i < 4; i++) expect((await write(visitor, `fuck ${i}`)).status).toBe(201);
  });
});

describe("the screening settings", () => {
  it.each([
    ["an unknown mode", { abuse: "nuke" }, "screening.abuse", 'is "off", "mask" or "hold"'],
    ["an empty word", { words: ["ok", " "] }, "screening.words.1", "empty"],
    ["a word too long", { words: ["x".repeat(61)] }, "screening.words.0", "at most 60 characters"],
    ["too many words", { words: Array.from({ length: 201 }, (_, i) => `w${i}`) }, "screening.words", "at most 200"],
    ["a ban count too high", { abusiveMessages: 101 }, "screening.abusiveMessages", "at most 100"],
    ["an unknown field", { swearing: true }, "screening.swearing", ""],
  ])("refuses %s, saying which field", async (_name, screening, field, words) => {
    const current = await owner.fetch("/api/v1/console/policy");
    const doc = await current.json();
    doc.screening = screening;
    const saved = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": current.headers.get("etag")! },
    });
    expect(saved.status).toBe(400);
    const { error } = await saved.json();
    expect(Object.keys(error.fields)).toContain(field);
    expect(error.fields[field]).toContain(words);
  });

  it("lets an agent read but not change them", async () => {
    const current = await agent.fetch("/api/v1/console/policy");
    const doc = await current.json();
    doc.screening = { abuse: "off" };
    const saved = await agent.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": current.headers.get("etag")! },
    });
    expect(saved.status).toBe(403);
  });
});
