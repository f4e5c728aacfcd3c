// An event stream is answered on a socket node:http has let go of (server/realtime/socket-takeover.ts): these
// pin what a reader sees of that on the wire, and that every way a stream ends gives its place back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatRequest, startHarness, type ConsoleClient, type Harness } from "../harness";
import { openRaw, rawConnection, sendUntilClosed } from "../raw-http";

let h: Harness;
let agent: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.login("acme", "agent@acme.test");
});
afterAll(() => h.stop());

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
    expect(stream.body()).toMatch(/^: open\n\nid: \d+\nevent: conversation\ndata: \{/);
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

const streamGet = (cookie: string, extra = "") =>
  `GET /api/v1/console/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n${extra}\r\n`;
const HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/** Everything this instance holds for clients: none of it may stay once they have gone. */
async function expectNothingHeld(target: Harness): Promise<void> {
  await expect.poll(() => target.server.deps.streams.size, { timeout: 5000 }).toBe(0);
  await expect.poll(() => target.server.load(), { timeout: 5000 }).toEqual({ connections: 0, requests: 0 });
}

describe("bytes sent behind an event stream's GET", () => {
  it.each([
    ["600 pipelined requests", "", HEALTHZ.repeat(600)],
    ["half of another request's head", "", "GET /healthz HTTP/1.1\r\nHo"],
    ["a body on the GET", "Content-Length: 5\r\n", "hello"],
  ])("%s: the stream is refused, the connection closed, and nothing is held", async (_, extra, after) => {
    const received = await sendUntilClosed(h, streamGet(agent.cookie, extra) + after);
    expect(received).not.toContain("text/event-stream");
    await expectNothingHeld(h);
  });

  it("lets go of 30 streams each followed by 600 requests in one packet, and a shutdown does not wait its grace for them", async () => {
    const other = await startHarness();
    try {
      const session = await other.login("acme", "agent@acme.test");
      const sockets = await Promise.all(Array.from({ length: 30 }, () => rawConnection(other)));
      for (const socket of sockets) {
        socket.on("error", () => undefined);
        socket.write(streamGet(session.cookie) + HEALTHZ.repeat(600));
      }
      // The client hangs up at once, as the attack did.
      for (const socket of sockets) socket.destroy();
      await expectNothingHeld(other);
      // A grace of an hour: the test's own timeout fails it if the shutdown waits for anything.
      await other.server.close(3_600_000);
    } finally {
      await other.stop();
    }
  });
});
