// The caps that keep clients from taking every file descriptor: event streams and connections below
// the process's limit, with room kept for /healthz, /readyz and the console, and a short wait for a
// request's head (not its body: a slow upload still arrives).
import { request as httpRequest } from "node:http";
import { Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeConfig, loadConfig } from "../../../server/config";
import { softLimitIn } from "../../../server/http/descriptors";
import { startHarness, visitorSession, type Harness, type VisitorSession } from "../harness";
import { rawConnection, requestAlone, sendUntilClosed } from "../raw-http";

const LIMITS_TEXT = [
  "Limit                     Soft Limit           Hard Limit           Units     ",
  "Max processes             63524                63524                processes ",
  "Max open files            1024                 524288               files     ",
].join("\n");

describe("the caps' configuration", () => {
  it("reads the soft limit on open files from /proc/self/limits", () => {
    expect(softLimitIn(LIMITS_TEXT)).toBe(1024);
    expect(softLimitIn("Max processes 10 10 processes")).toBeNull();
  });

  it("keeps a tenth of the descriptors for files, the last tenth of the connections for the essentials, and prints the caps", () => {
    const config = loadConfig({}, 20_000);
    expect(config).toMatchObject({
      descriptorLimit: 20_000,
      maxConnections: 18_000,
      maxStreams: 14_400,
      headersTimeoutMs: 10_000,
    });
    const lines = describeConfig(config);
    expect(lines).toContain(
      "HATCH_MAX_CONNECTIONS=18000 (20000 open files allowed; past 16200 connections only /healthz, /readyz, /metrics and the console are answered)",
    );
    expect(lines).toContain("HATCH_MAX_STREAMS=14400 (12960 for visitors, the rest for the console)");
    expect(lines).toContain("HATCH_HEADERS_TIMEOUT_MS=10000");
  });

  it.each([
    ["HATCH_MAX_CONNECTIONS", "2000", /HATCH_MAX_CONNECTIONS "2000" is not a whole number from 10 to 1024 .*ulimit -n/],
    ["HATCH_MAX_CONNECTIONS", "9", /from 10 to 1024/],
    ["HATCH_MAX_CONNECTIONS", "many", /HATCH_MAX_CONNECTIONS "many"/],
    ["HATCH_MAX_STREAMS", "1000", /HATCH_MAX_STREAMS "1000" is not a whole number from 1 to 830 .*kept for \/healthz/],
    ["HATCH_HEADERS_TIMEOUT_MS", "10", /HATCH_HEADERS_TIMEOUT_MS "10" is not a whole number from 100 to 60000/],
  ])("refuses %s=%s, saying what it may be", (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, 1024)).toThrow(message);
  });
});

describe("the cap on event streams", () => {
  let h: Harness;
  const open: AbortController[] = [];

  // 3 streams: 2 for visitors, 1 kept for the console.
  beforeAll(async () => {
    h = await startHarness({ HATCH_MAX_STREAMS: "3" });
  });
  // Held until the test ends: fetch cancels the body of a Response the garbage collector takes.
  const held: Response[] = [];
  afterEach(async () => {
    for (const controller of open.splice(0)) controller.abort();
    held.length = 0;
    await expect.poll(() => h.server.deps.streams.size).toBe(0);
  });
  afterAll(() => h.stop());

  async function visitorStream(visitor: VisitorSession): Promise<Response> {
    const controller = new AbortController();
    open.push(controller);
    const response = await visitor.fetch(`/conversations/${visitor.conversationId}/events`, {
      signal: controller.signal,
    });
    held.push(response);
    return response;
  }

  it("answers a stream past it 503 with Retry-After, while /healthz answers and the console's feed still opens", async () => {
    const visitors = await Promise.all([visitorSession(h), visitorSession(h), visitorSession(h)]);
    expect((await visitorStream(visitors[0]!)).status).toBe(200);
    expect((await visitorStream(visitors[1]!)).status).toBe(200);
    const refused = await visitorStream(visitors[2]!);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await refused.json()).error).toMatchObject({ code: "busy" });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

    const agent = await h.login("acme", "agent@acme.test");
    const feed = new AbortController();
    open.push(feed);
    const feedAnswer = await agent.fetch("/api/v1/console/events", { signal: feed.signal });
    held.push(feedAnswer);
    expect(feedAnswer.status).toBe(200);
    const another = new AbortController();
    open.push(another);
    expect((await agent.fetch("/api/v1/console/events", { signal: another.signal })).status).toBe(503);

    // A visitor's place given back is a visitor's again.
    open.shift()!.abort();
    await expect.poll(() => h.server.deps.streams.size).toBe(2);
    expect((await visitorStream(visitors[2]!)).status).toBe(200);
  });
});

describe("the cap on connections", () => {
  let h: Harness;
  const idle: Socket[] = [];

  // 10 connections: past 8 only the essentials are answered. Idle connections are not cut during the test.
  beforeAll(async () => {
    h = await startHarness({ HATCH_MAX_CONNECTIONS: "10", HATCH_HEADERS_TIMEOUT_MS: "60000" });
  });
  afterEach(async () => {
    for (const socket of idle.splice(0)) socket.destroy();
    await expect.poll(() => h.server.load().connections).toBe(0);
  });
  afterAll(() => h.stop());

  async function holdConnections(count: number): Promise<void> {
    for (let i = 0; i < count; i++) idle.push(await rawConnection(h));
    await expect.poll(() => h.server.load().connections).toBe(count);
  }

  it.each([
    ["/healthz", 200],
    ["/readyz", 200],
    ["/api/v1/console/me", 401],
    ["/console/", 200],
  ])("past the busy level still answers %s (%i), and closes the connection after", async (path, status) => {
    await holdConnections(8);
    const answer = await requestAlone(h, path, { headers: { connection: "keep-alive" } });
    expect(answer.status).toBe(status);
    expect(answer.headers.connection).toBe("close");
  });

  it.each([
    "/loader.js",
    "/api/v1/widget/acme/verdict?page=https%3A%2F%2Fshop.example%2F",
    "/api/v1/widget/acme/ticket",
  ])("past the busy level answers %s 503 with Retry-After and closes the connection", async (path) => {
    expect((await requestAlone(h, path)).status).not.toBe(503);
    await holdConnections(8);
    const refused = await requestAlone(h, path);
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.headers.connection).toBe("close");
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(refused.body).error.code).toBe("busy");
  });

  it("closes a connection past the cap unanswered, and answers again once one is let go", async () => {
    await holdConnections(10);
    expect(await sendUntilClosed(h, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).toBe("");
    idle.pop()!.destroy();
    await expect.poll(() => h.server.load().connections).toBe(9);
    expect((await requestAlone(h, "/healthz")).status).toBe(200);
  });
});

describe("the wait for a request's head", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ HATCH_HEADERS_TIMEOUT_MS: "300" });
  });
  afterAll(() => h.stop());

  it.each([
    ["nothing", ""],
    ["half a head", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ])("lets go of a connection that sent %s within the timeout", async (_, bytes) => {
    // Node's own wait was a minute, checked every 30 s: the test's timeout fails it.
    const received = await sendUntilClosed(h, bytes);
    expect(received === "" || received.startsWith("HTTP/1.1 408")).toBe(true);
    await expect.poll(() => h.server.load().connections).toBe(0);
  });

  it("still receives an upload whose body takes longer than the head may", async () => {
    const visitor = await visitorSession(h);
    const chunks = ["one ", "two ", "three ", "four"];
    const response = await slowUpload(h, visitor, chunks, 200);
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body).file).toMatchObject({ name: "notes.txt", size: chunks.join("").length });
  });
});

/** Uploads `chunks` as a text file, waiting `pauseMs` before each: a body that takes its time. */
function slowUpload(
  target: Harness,
  visitor: VisitorSession,
  chunks: string[],
  pauseMs: number,
): Promise<{ status: number; body: string }> {
  const url = `${target.url}/api/v1/widget/acme/conversations/${visitor.conversationId}/files`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: "POST",
      agent: false,
      headers: {
        authorization: `Bearer ${visitor.ticket}`,
        "x-chat-secret": visitor.secret,
        origin: "https://shop.example",
        "x-file-name": "notes.txt",
        "content-type": "application/octet-stream",
        "content-length": String(Buffer.byteLength(chunks.join(""))),
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.flushHeaders();
    void (async () => {
      for (const chunk of chunks) {
        await new Promise((wait) => setTimeout(wait, pauseMs));
        req.write(chunk);
      }
      req.end();
    })();
  });
}

describe("a connection the process cannot accept", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it("is said in the log, and the server and its store serve on", async () => {
    const port = Number(new URL(h.url).port);
    // The listening server, as node:http holds it: an accept that fails (EMFILE) is an 'error' it emits.
    // oxlint-disable-next-line no-underscore-dangle -- Node's name for it: the test reaches the server node:http holds
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    const listening = handles.find(
      (handle): handle is Server =>
        handle instanceof Server && (handle.address() as { port?: number } | null)?.port === port,
    )!;
    for (let i = 0; i < 2; i++) listening.emit("error", Object.assign(new Error("accept EMFILE"), { code: "EMFILE" }));
    const owner = await h.login("acme", "owner@acme.test");
    expect((await owner.fetch("/api/v1/console/me")).status).toBe(200);
  });
});
