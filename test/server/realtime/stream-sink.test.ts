// Both ways an event stream is carried say the same on the wire and hold nothing once the reader
// has gone: a socket taken from node:http (the default) and node:http's response kept open
// (HATCH_STREAMS=response, and what a Node line lacking the takeover's internals runs). The takeover
// removes node:http's listeners only, and falls back when a socket is not node:http's as it knows it.
import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeConfig, loadConfig } from "../../../server/config";
import { loadFreeParser, takeoverAvailable, takeSocket } from "../../../server/realtime/socket-takeover";
import { chatRequest, startHarness, type ConsoleClient, type Harness } from "../harness";
import { openRaw, sendUntilClosed } from "../raw-http";

const HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

describe.each(["socket", "response"] as const)("event streams with HATCH_STREAMS=%s", (mode) => {
  let h: Harness;
  let agent: ConsoleClient;
  beforeAll(async () => {
    h = await startHarness({ HATCH_STREAMS: mode });
    agent = await h.login("acme", "agent@acme.test");
  });
  afterAll(() => h.stop());

  it("answers 200 with Connection: close and no chunked framing, then the events as they are", async () => {
    const stream = await openRaw(h, agent.cookie);
    expect(stream.head[0]).toBe("HTTP/1.1 200 OK");
    expect(stream.head).toContain("connection: close");
    expect(stream.head).toContain("content-type: text/event-stream; charset=utf-8");
    expect(stream.head.some((line) => line.startsWith("transfer-encoding:"))).toBe(false);
    const conversation = await chatRequest(h, { accountId: "acme" });
    await expect.poll(() => stream.body()).toContain(`"id":"${conversation.id}"`);
    expect(stream.body()).toMatch(/^: open\n\nid: \d+\nevent: conversation\ndata: \{/);
    stream.socket.destroy();
    await expect.poll(() => h.server.deps.streams.size).toBe(0);
  });

  it("ends the stream when requests are pipelined behind it, answers none of them, and holds nothing", async () => {
    const stream = await openRaw(h, agent.cookie);
    await expect.poll(() => h.server.deps.streams.size).toBe(1);
    stream.socket.write(HEALTHZ.repeat(100));
    await stream.closed;
    expect(stream.body()).not.toContain("HTTP/1.1");
    await expect.poll(() => h.server.deps.streams.size).toBe(0);
    await expect.poll(() => h.server.load().requests).toBe(0);
  });

  it("refuses a stream whose GET came in one packet with requests behind it, and holds nothing", async () => {
    const get = `GET /api/v1/console/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${agent.cookie}\r\n\r\n`;
    const received = await sendUntilClosed(h, get + HEALTHZ.repeat(600));
    expect(received).not.toContain('"status":"up"');
    await expect.poll(() => h.server.deps.streams.size).toBe(0);
    await expect.poll(() => h.server.load().requests).toBe(0);
  });

  it("tells its reader to come back when the server shuts down", async () => {
    const other = await startHarness({ HATCH_STREAMS: mode });
    try {
      const session = await other.login("acme", "agent@acme.test");
      const stream = await openRaw(other, session.cookie);
      await expect.poll(() => other.server.deps.streams.size).toBe(1);
      await other.server.close(3_600_000);
      await stream.closed;
      expect(stream.body()).toContain("retry: 1000");
    } finally {
      await other.stop();
    }
  });
});

/** A bare node:http server whose every request is handed to `onRequest`, with `onConnection` run first on each socket. */
async function bareServer(
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  onConnection: (socket: Socket) => void = () => undefined,
): Promise<{ url: string; server: Server }> {
  const server = createServer(onRequest);
  server.on("connection", onConnection);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** What takeSocket answered, once it has (Promise.withResolvers is not in Node 20). */
function settled() {
  let resolve!: (value: Socket | null | string) => void;
  const promise = new Promise<Socket | null | string>((done) => (resolve = done));
  return { promise, resolve };
}

const names = (socket: Socket, event: string) => socket.listeners(event).map((listener) => listener.name);

describe("the takeover's guard", () => {
  it.each([
    [
      "lacks node:http's internal module",
      () => {
        throw Object.assign(new Error("Cannot find module '_http_common'"), { code: "MODULE_NOT_FOUND" });
      },
    ],
    ["has the module without freeParser", () => ({})],
    ["has something else by that name", () => ({ freeParser: 1 })],
    [
      "deprecates the module at run time",
      () => {
        process.emitWarning(
          "_http_common is deprecated (the guard test's own warning)",
          "DeprecationWarning",
          "DEP0199",
        );
        return { freeParser: () => undefined };
      },
    ],
  ])("finds no takeover on a Node line that %s, so streams stay on the response", (_, load) => {
    expect(loadFreeParser(load)).toBeNull();
  });

  it("answers from the response, leaving node:http's socket as it was, when the Node line has no freeParser", async () => {
    const taken = settled();
    const { url, server } = await bareServer(
      (req, res) =>
        void takeSocket(req, { "Content-Type": "text/event-stream" }, () => "fell back", null).then((answer) => {
          taken.resolve(answer);
          res.end("on the response");
        }),
    );
    try {
      const answer = sendUntilClosed({ url }, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect(await taken.promise).toBe("fell back");
      expect(await answer).toContain("on the response");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  // The line's own node in a fresh process, as .ci/run runs each line: --throw-deprecation makes a
  // runtime DEP0199 fatal, so a line that lacks or deprecates the internal answers something else.
  it("takes sockets over exactly on a Node line that offers freeParser without a deprecation, and falls back on any other", () => {
    const script = 'process.stdout.write(typeof require("_http_common").freeParser);';
    const run = spawnSync(process.execPath, ["--throw-deprecation", "-e", script], { encoding: "utf8" });
    expect(takeoverAvailable).toBe(run.status === 0 && run.stdout === "function");
  });

  it("removes node:http's listeners from the socket it takes and keeps everyone else's (a line without the takeover falls back)", async () => {
    const taken = settled();
    // An APM agent's listeners, put on as node:http's own are, when the connection opens.
    const apm = {
      data: function apmData() {},
      close: function apmClose() {},
      error: function apmError() {},
    };
    const { url, server } = await bareServer(
      (req) => void takeSocket(req, { "Content-Type": "text/event-stream" }, () => "fell back").then(taken.resolve),
      (socket) => {
        for (const [event, listener] of Object.entries(apm)) socket.on(event, listener);
      },
    );
    try {
      void sendUntilClosed({ url }, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      const answer = await taken.promise;
      // A line without the takeover answers from the response, and node:http's socket stays its own.
      if (!takeoverAvailable) {
        expect(answer).toBe("fell back");
        return;
      }
      const socket = answer as Socket;
      expect(typeof socket).toBe("object");
      expect(names(socket, "data")).toContain("apmData");
      expect(names(socket, "close")).toContain("apmClose");
      expect(names(socket, "error")).toContain("apmError");
      for (const event of ["data", "end", "close", "drain", "error", "timeout", "pause", "resume"])
        expect(names(socket, event).filter((name) => /socketOn|onSocket|ServerResponse/.test(name))).toEqual([]);
      socket.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("falls back to the response when the socket lacks a listener of node:http's it expects", async () => {
    const taken = settled();
    const { url, server } = await bareServer((req) => {
      for (const listener of req.socket.listeners("error"))
        req.socket.removeListener("error", listener as (...args: unknown[]) => void);
      void takeSocket(req, {}, () => "fell back").then(taken.resolve);
    });
    try {
      void sendUntilClosed({ url }, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(await taken.promise).toBe("fell back");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("HATCH_STREAMS", () => {
  it("is socket unless set, and printed at start, saying so where this Node line falls back", () => {
    const config = loadConfig({});
    expect(config.streams).toBe("socket");
    expect(describeConfig(config).find((line) => line.startsWith("HATCH_STREAMS="))).toBe(
      takeoverAvailable
        ? "HATCH_STREAMS=socket"
        : "HATCH_STREAMS=socket (this Node lacks what the takeover uses: streams stay on the response)",
    );
    expect(loadConfig({ HATCH_STREAMS: " response " }).streams).toBe("response");
  });

  it("refuses anything else, naming the variable and what it takes", () => {
    expect(() => loadConfig({ HATCH_STREAMS: "sockets" })).toThrow(
      'HATCH_STREAMS "sockets" is not a mode: set socket (the default) or response',
    );
  });
});
