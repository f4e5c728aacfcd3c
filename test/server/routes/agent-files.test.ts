// An agent's file on a real server: judged by its bytes under the account's file rules as a visitor's
// is, only into a chat the agent may answer, streamed to the visitor and the consoles; and the visitor's
// download of it, their own chat's files only, as an opaque attachment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disguiseMessage, refusalMessage, tooLargeMessage } from "../../../policy/file-messages";
import { LIMITS } from "../../../server/limits";
import { readFixture } from "../../fixtures/read";
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

const SITE = "https://shop.example";
const PNG = Buffer.from(readFixture("fixture.png"));

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;
let agentId: string;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent, rival } = await signInAll(h));
  agentId = (await (await agent.fetch("/api/v1/console/me")).json()).user.id;
});
afterAll(() => h.stop());

const chatPath = (id: string) => `/api/v1/console/conversations/${id}`;

/** Sends `bytes` into chat `id` as the console does: the raw body, named by X-File-Name. */
const sendFile = (
  by: ConsoleClient,
  id: string,
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  headers: HeadersInit = {},
) =>
  by.fetch(`${chatPath(id)}/files`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(name), ...headers },
    body: bytes,
  });

/** A visitor of acme, from its own address, whose chat the agent has taken. */
async function takenChat(ip: string): Promise<VisitorSession> {
  const visitor = await visitorSession(h, { forwardedFor: ip });
  expect((await agent.fetch(`${chatPath(visitor.conversationId)}/accept`, { method: "POST" })).status).toBe(200);
  return visitor;
}

const messagesOf = (id: string) => h.server.deps.conversations.messages(id);

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("an agent's file", () => {
  it("is stored as the agent's and reaches the visitor's stream and the consoles", async () => {
    const visitor = await takenChat("198.51.100.170");
    const id = visitor.conversationId;
    const stream = new SseReader<{ author?: string; file?: Record<string, unknown> | null }>(
      await visitor.fetch(`/conversations/${id}/events?after=0`),
    );
    const feed = new SseReader<{ type: string; data: { author?: string; file?: { id: string } | null } }>(
      await owner.fetch("/api/v1/console/events"),
    );
    const response = await sendFile(agent, id, "price list.png", PNG);
    expect(response.status).toBe(201);
    const message = await response.json();
    expect(message).toMatchObject({
      author: "agent",
      userId: agentId,
      conversationId: id,
      text: "",
      file: { name: "price list.png", kind: "png", category: "image", size: PNG.byteLength },
    });
    expect((await messagesOf(id)).map((m) => m.file?.id)).toEqual([message.file.id]);

    await expect
      .poll(() => stream.events.find((e) => e.data.file)?.data)
      .toEqual(
        expect.objectContaining({
          author: "agent",
          file: { id: message.file.id, name: "price list.png", size: PNG.byteLength, kind: "png", category: "image" },
        }),
      );
    await expect.poll(() => feed.events.some((e) => e.data.data.file?.id === message.file.id)).toBe(true);
    await Promise.all([stream.close(), feed.close()]);
  });

  it("is refused like a visitor's when it is HTML named .png: 415, the same words, nothing stored", async () => {
    const visitor = await takenChat("198.51.100.171");
    const response = await sendFile(agent, visitor.conversationId, "cat.png", readFixture("html-named-as.png"));
    expect(response.status).toBe(415);
    expect(await errorOf(response)).toMatchObject({
      code: "file_type",
      message: `${disguiseMessage({ name: "cat.png", claimed: "image", found: "webpage" })} ${refusalMessage(["image", "audio", "video", "text"])}`,
    });
    // The agents' line that a file was refused, never the file.
    expect(await messagesOf(visitor.conversationId)).toEqual([
      expect.objectContaining({
        author: "system",
        file: null,
        text: expect.stringMatching(/^An agent's file was refused: /),
      }),
    ]);
  });

  it("is refused over the account's size limit: 413, with the visitor's words", async () => {
    const visitor = await takenChat("198.51.100.172");
    const rules = { categories: ["image", "audio", "video", "text"], maxBytes: 10 * 1024 * 1024 };
    await editPolicy(owner, (doc) => void (doc.files = { ...rules, maxBytes: 1000 }));
    try {
      // A real PNG, padded past the limit: refused for its size, whatever its kind.
      const big = Buffer.concat([PNG, Buffer.alloc(2000)]);
      const response = await sendFile(agent, visitor.conversationId, "big.png", big);
      expect(response.status).toBe(413);
      expect(await errorOf(response)).toEqual({ code: "too_large", message: tooLargeMessage(1000) });
      expect(await messagesOf(visitor.conversationId)).toEqual([
        expect.objectContaining({
          author: "system",
          file: null,
          text: `An agent's file was refused: ${tooLargeMessage(1000)}`,
        }),
      ]);
    } finally {
      await editPolicy(owner, (doc) => void (doc.files = rules));
    }
  });

  it.each([
    ["a request nobody has taken", "pending", "Take this chat request before answering it."],
    ["a closed chat", "closed", "This chat is closed: the visitor can no longer read answers."],
  ])("is refused in %s, and nothing is stored", async (_name, status, message) => {
    const visitor = await visitorSession(h, {
      forwardedFor: status === "pending" ? "198.51.100.173" : "198.51.100.174",
    });
    const id = visitor.conversationId;
    if (status === "closed") await agent.fetch(`${chatPath(id)}/close`, { method: "POST" });
    const response = await sendFile(agent, id, "photo.png", PNG);
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toEqual({ code: "not_active", message });
    expect(await messagesOf(id)).toEqual([]);
  });

  it("is out of another account's reach: 404, as for no chat", async () => {
    const visitor = await takenChat("198.51.100.175");
    const response = await sendFile(rival, visitor.conversationId, "photo.png", PNG);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    expect(await messagesOf(visitor.conversationId)).toEqual([]);
  });

  it("is refused without the console's Origin (CSRF)", async () => {
    const visitor = await takenChat("198.51.100.176");
    const response = await fetch(`${h.url}${chatPath(visitor.conversationId)}/files`, {
      method: "POST",
      headers: { cookie: agent.cookie, "x-file-name": "photo.png" },
      body: PNG,
    });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("cross_origin");
    const forged = await sendFile(agent, visitor.conversationId, "photo.png", PNG, { origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await messagesOf(visitor.conversationId)).toEqual([]);
  });
});

describe("the visitor's download", () => {
  /** A chat with a file from the agent, and where the visitor downloads it. */
  async function chatWithFile(ip: string, name = "photo.png") {
    const visitor = await takenChat(ip);
    const { file } = await (await sendFile(agent, visitor.conversationId, name, PNG)).json();
    return { visitor, fileId: file.id as string, path: `/conversations/${visitor.conversationId}/files/${file.id}` };
  }

  it("hands the visitor the agent's file as an attachment, never sniffed nor cached, readable by the site", async () => {
    const { visitor, path } = await chatWithFile("198.51.100.180", "Preisliste März.png");
    const response = await visitor.fetch(path);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="Preisliste M_rz.png"; filename*=UTF-8''Preisliste%20M%C3%A4rz.png`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
      "access-control-allow-origin": SITE,
    });
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("serves the file after the chat has closed, for the transcript the visitor still reads", async () => {
    const { visitor, path } = await chatWithFile("198.51.100.181");
    await agent.fetch(`${chatPath(visitor.conversationId)}/close`, { method: "POST" });
    const response = await visitor.fetch(path);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it("is 404 to another visitor's ticket and secret, even with the chat's path", async () => {
    const { path } = await chatWithFile("198.51.100.182");
    const stranger = await visitorSession(h, { forwardedFor: "198.51.100.183" });
    const response = await stranger.fetch(path);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
  });

  it("is 404 for another chat's file asked for under the visitor's own chat, as for no file", async () => {
    const { fileId } = await chatWithFile("198.51.100.184");
    const other = await takenChat("198.51.100.185");
    const foreign = await other.fetch(`/conversations/${other.conversationId}/files/${fileId}`);
    const missing = await other.fetch(`/conversations/${other.conversationId}/files/file_missing`);
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toEqual(await errorOf(missing));
  });

  it("is limited per address: past the minute's downloads, 429 with when to try again", async () => {
    const { visitor, path } = await chatWithFile("198.51.100.187");
    for (let i = 0; i < LIMITS.download.limit; i++) {
      const response = await visitor.fetch(path);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const refused = await visitor.fetch(path);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(refused)).code).toBe("rate_limited");
  });

  it("is 401 without a ticket", async () => {
    const { visitor, path } = await chatWithFile("198.51.100.186");
    const response = await fetch(`${h.url}/api/v1/widget/acme${path}`, {
      headers: { origin: SITE, "x-chat-secret": visitor.secret },
    });
    expect(response.status).toBe(401);
  });
});
