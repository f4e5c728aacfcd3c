// An event stream is answered on a socket node:http has let go of (server/socket-takeover.ts): these
// pin what a reader sees of that on the wire, and that every way a stream ends gives its place back.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatRequest, startHarness, type ConsoleClient, type Harness } from "./harness";

let h: Harness;
let agent: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.login("acme", "agent@acme.test");
});
afterAll(() => h.stop());

interface RawStream {
  socket: Socket;
  /** The head's lines, lower-cased names: `content-type: …`. */
  head: string[];
  /** All the body read so far. */
  body(): string;
  closed: Promise<void>;
}

/** The console's event stream on a raw socket, so the bytes are seen as sent; resolves once the head is read. */
function openRaw(target: Harness, cookie: string, options: { allowHalfOpen?: boolean } = {}): Promise<RawStream> {
  const { port } = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: "127.0.0.1", allowHalfOpen: options.allowHalfOpen ?? false });
    const closed = new Promise<void>((done) => socket.on("close", () => done()));
    let text = "";
    let head: string[] | null = null;
    socket.setEncoding("utf8");
    socket.on("connect", () =>
      socket.write(`GET /api/v1/console/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\n\r\n`),
    );
    socket.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\r\n\r\n");
      if (head !== null || end < 0) return;
      head = text.slice(0, end).split("\r\n");
      text = text.slice(end + 4);
      resolve({ socket, head: head.map(lowerName), body: () => text, closed });
    });
    socket.on("error", reject);
  });
}

const lowerName = (line: string) => line.replace(/^[^:]+(?=:)/, (name) => name.toLowerCase());

describe("event streams on a taken socket", () => {
  it("answers 200 with Connection: close and no chunked framing, then the events as they are", async () => {
    const stream = await openRaw(h, agent.cookie);
    expect(stream.head[0]).toBe("HTTP/1.1 200 OK");
    expect(stream.head).toContain("connection: close");
    expect(stream.head).toContain("content-type: text/event-stream; charset=utf-8");
    expect(stream.head).toContain("cache-control: no-store");
    expect(stream.head).toContain("x-content-type-options: nosniff");
    expect(stream.head.some((line) => line.startsWith("transfer-encoding:"))).toBe(false);
    expect(stream.head.some((line) => /^date: \w{3}, \d\d \w{3} \d{4} /.test(line))).toBe(true);

    const conversation = await chatRequest(h, { accountId: "acme" });
    await expect.poll(() => stream.body()).toContain(`"id":"${conversation.id}"`);
    // The body is the events themselves, no chunk sizes between them.
    expect(stream.body()).toMatch(/^id: \d+\nevent: conversation\ndata: \{/);
    stream.socket.destroy();
    await stream.closed;
  });

  it("gives the stream's place back when the reader hangs up", async () => {
    const before = h.server.deps.streams.size;
    const stream = await openRaw(h, agent.cookie);
    await expect.poll(() => h.server.deps.streams.size).toBe(before + 1);
    stream.socket.destroy();
    await expect.poll(() => h.server.deps.streams.size).toBe(before);
  });

  it("ends the stream when the reader sends anything more, a pipelined request included", async () => {
    const before = h.server.deps.streams.size;
    const stream = await openRaw(h, agent.cookie);
    await expect.poll(() => h.server.deps.streams.size).toBe(before + 1);
    stream.socket.write("GET /api/v1/console/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await stream.closed;
    expect(stream.body()).not.toContain("HTTP/1.1");
    await expect.poll(() => h.server.deps.streams.size).toBe(before);
  });

  it("answers HEAD with the head alone, and holds nothing", async () => {
    const response = await agent.fetch("/api/v1/console/events", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await response.text()).toBe("");
    await expect.poll(() => h.server.deps.streams.size).toBe(0);
  });

  it("lets a shutdown finish when a reader takes the last words but never hangs up", async () => {
    const other = await startHarness();
    try {
      const session = await other.login("acme", "agent@acme.test");
      // allowHalfOpen: the reader's side stays open after the server's end, as a stuck reader's would.
      const stream = await openRaw(other, session.cookie, { allowHalfOpen: true });
      const ended = new Promise<void>((resolve) => stream.socket.on("end", () => resolve()));
      await expect.poll(() => other.server.deps.streams.size).toBe(1);
      await other.server.close();
      await ended;
      expect(stream.body()).toContain("retry: 1000");
      stream.socket.destroy();
    } finally {
      await other.stop();
    }
  });
});
