// The clamd client against a real clamd (test/server/clamd.ts) on a database of our own, and CLAMD_URL's
// parsing. Two failures a real clamd cannot be made to show, a server that never answers and one that
// answers out of protocol, are small servers of the test's own.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import { clamdScanner } from "../../../server/files/clamd";
import { freePort } from "../../../demo/services";
import { MARKER, MARKER_SIGNATURE, startClamd, type Clamd } from "../clamd";

let clamd: Clamd;
let stopped: Clamd;

beforeAll(async () => {
  [clamd, stopped] = await Promise.all([startClamd({ streamMaxLength: "1M" }), startClamd()]);
  await stopped.stop();
});
afterAll(() => clamd.stop());

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? Buffer.from(part) : part;
}

/** A TCP server that runs `onConnection` for each client; closed after the test. */
async function fakeClamd(onConnection: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const port = await freePort();
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `tcp://127.0.0.1:${port}`, server };
}

describe("scan", () => {
  it.each(["socketUrl", "tcpUrl"] as const)("finds nothing in clean bytes, over %s", async (which) => {
    expect(await clamdScanner(clamd[which]).scan(chunks("a perfectly ordinary file\n"))).toEqual({ found: null });
  });

  it.each(["socketUrl", "tcpUrl"] as const)("names the signature it finds, over %s", async (which) => {
    expect(await clamdScanner(clamd[which]).scan(chunks(`a letter with ${MARKER} inside`))).toEqual({
      found: MARKER_SIGNATURE,
    });
  });

  it("finds the marker split over many small chunks", async () => {
    const text = `${"x".repeat(5000)}${MARKER}${"y".repeat(5000)}`;
    const pieces = text.match(/[^]{1,7}/g) ?? [];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(await clamdScanner(clamd.socketUrl).scan(chunks(...pieces))).toEqual({ found: MARKER_SIGNATURE });
    expect(await clamdScanner(clamd.socketUrl).scan(chunks(...pieces.filter((_, i) => i !== 716)))).toEqual({
      found: null,
    });
  });

  it("sends a chunk larger than one frame as several, the marker at the end of it", async () => {
    const large = Buffer.concat([Buffer.alloc(300 * 1024, "z"), Buffer.from(MARKER)]);
    expect(await clamdScanner(clamd.socketUrl).scan(chunks(large))).toEqual({ found: MARKER_SIGNATURE });
    expect(await clamdScanner(clamd.tcpUrl).scan(chunks(large.subarray(0, 300 * 1024)))).toEqual({ found: null });
  });

  it.each(["socketUrl", "tcpUrl"] as const)(
    "is an error, not clean, past clamd's StreamMaxLength, over %s",
    async (which) => {
      const scan = clamdScanner(clamd[which]).scan(chunks(Buffer.alloc(3 * 1024 * 1024)));
      await expect(scan).rejects.toThrow(/StreamMaxLength|size limit exceeded/);
    },
  );

  it("is an error at once when clamd is not running, over either socket", async () => {
    const started = Date.now();
    await expect(clamdScanner(stopped.socketUrl).scan(chunks("x"))).rejects.toThrow(
      `clamd at ${stopped.socketUrl} could not be reached`,
    );
    await expect(clamdScanner(stopped.tcpUrl).scan(chunks("x"))).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("is an error after its timeout when clamd takes the bytes and never answers", async () => {
    const silent = await fakeClamd((socket) => socket.resume());
    try {
      const started = Date.now();
      await expect(clamdScanner(silent.url, { scanTimeoutMs: 300 }).scan(chunks("x"))).rejects.toThrow(
        "did not answer within 300 ms",
      );
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      silent.server.close();
    }
  });

  it.each([
    ["an answer out of protocol", "stream: maybe\0", "answered out of protocol"],
    [
      "an ERROR",
      "stream: Can't allocate memory ERROR\0",
      "could not scan the file: stream: Can't allocate memory ERROR",
    ],
    ["a reply without end", "x".repeat(10_000), "answered more than 4096 bytes"],
    ["a connection closed before the reply ends", "stream: OK", "closed the connection without a complete reply"],
  ])("is an error on %s", async (_, reply, message) => {
    const odd = await fakeClamd((socket) => {
      socket.on("data", (data) => {
        // The end of the stream: a zero length after the last chunk.
        if (data.subarray(-4).equals(Buffer.alloc(4))) socket.end(reply);
      });
    });
    try {
      await expect(clamdScanner(odd.url).scan(chunks("x"))).rejects.toThrow(message);
    } finally {
      odd.server.close();
    }
  });
});

describe("ping", () => {
  it("is true while clamd answers, false when it is gone or silent", async () => {
    expect(await clamdScanner(clamd.socketUrl).ping()).toBe(true);
    expect(await clamdScanner(clamd.tcpUrl).ping()).toBe(true);
    expect(await clamdScanner(stopped.socketUrl).ping()).toBe(false);
    expect(await clamdScanner(stopped.tcpUrl).ping()).toBe(false);
    const silent = await fakeClamd((socket) => socket.resume());
    try {
      const started = Date.now();
      expect(await clamdScanner(silent.url, { pingTimeoutMs: 200 }).ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      silent.server.close();
    }
  });
});

describe("CLAMD_URL and CLAMD_OPTIONAL", () => {
  it.each([
    [{}, null, false],
    [{ CLAMD_URL: "tcp://127.0.0.1:3310" }, "tcp://127.0.0.1:3310", false],
    [{ CLAMD_URL: " tcp://clamd.internal:3310/ " }, "tcp://clamd.internal:3310/", false],
    [{ CLAMD_URL: "tcp://[::1]:3310" }, "tcp://[::1]:3310", false],
    [{ CLAMD_URL: "unix:/run/clamav/clamd.ctl", CLAMD_OPTIONAL: "1" }, "unix:/run/clamav/clamd.ctl", true],
    [{ CLAMD_URL: "unix:///run/clamav/clamd.ctl", CLAMD_OPTIONAL: "TRUE" }, "unix:///run/clamav/clamd.ctl", true],
    [{ CLAMD_URL: "unix:/run/clamav/clamd.ctl", CLAMD_OPTIONAL: "0" }, "unix:/run/clamav/clamd.ctl", false],
    [{ CLAMD_OPTIONAL: "false" }, null, false],
  ])("%j → %s, optional %s", (env, clamdUrl, clamdOptional) => {
    expect(loadConfig(env)).toMatchObject({ clamdUrl, clamdOptional });
  });

  it.each([
    ["clamd.internal:3310", "it is neither tcp://host:port nor unix:/absolute/path"],
    ["http://clamd.internal:3310", "it is neither tcp://host:port nor unix:/absolute/path"],
    ["tcp://clamd.internal", "it is neither tcp://host:port nor unix:/absolute/path"],
    ["tcp://user@clamd.internal:3310", "it is neither tcp://host:port nor unix:/absolute/path"],
    ["tcp://clamd.internal:0", "0 is not a port from 1 to 65535"],
    ["tcp://clamd.internal:70000", "70000 is not a port from 1 to 65535"],
    ["unix:run/clamav/clamd.ctl", "a unix: socket's path must be absolute"],
  ])("refuses CLAMD_URL %s, saying why and how to set it", (url, why) => {
    expect(() => loadConfig({ CLAMD_URL: url })).toThrow(
      `CLAMD_URL "${url}" is not clamd's address (${why}): set it like tcp://127.0.0.1:3310 or unix:/run/clamav/clamd.ctl`,
    );
  });

  it("refuses a CLAMD_OPTIONAL that is not a switch, and one without CLAMD_URL", () => {
    expect(() => loadConfig({ CLAMD_URL: "tcp://127.0.0.1:3310", CLAMD_OPTIONAL: "yes" })).toThrow(
      `CLAMD_OPTIONAL "yes" is not a switch: set 1`,
    );
    expect(() => loadConfig({ CLAMD_OPTIONAL: "1" })).toThrow("CLAMD_OPTIONAL is set but CLAMD_URL is not");
  });
});
