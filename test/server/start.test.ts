// npm start's first-run link, the setup route it opens, a clear error for a taken port, and a stop
// that loses no upload: unfinished parts swept at start, uploads in flight finished on SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { setImmediate } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { SHUTDOWN_GRACE_MS, startServer } from "../../server/server";
import { AccountStore } from "../../server/store/accounts";
import { openDb } from "../../server/store/db";
import { startHarness, visitorSession, type Harness } from "./harness";

const SITE = "https://shop.example";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hatch-start-"));
  dirs.push(dir);
  return dir;
}

interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Where it listens, as it printed. */
  url: string;
  out(): string;
  /** The exit code, once it has exited. */
  exited: Promise<number | null>;
}

/** Runs `npm start`'s entry over `dataDir` until it prints `pattern`; the caller stops it. */
function start(dataDir: string, pattern: RegExp): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli.ts", "serve"], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: "0" },
    });
    let out = "";
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no match in: ${out}`));
    }, 15_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Console: (http:\/\/\S+)\/console\//.exec(out)?.[1];
      if (url && pattern.test(out)) {
        clearTimeout(timer);
        resolve({ child, url, out: () => out, exited });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
  });
}

/** Stops a started server with SIGTERM and answers its exit code. */
async function stop(started: Started): Promise<number | null> {
  started.child.kill("SIGTERM");
  return started.exited;
}

/** The upload parts in DATA_DIR/files. */
function parts(dataDir: string): string[] {
  const dir = join(dataDir, "files");
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".part")) : [];
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An upload of acme's visitor whose body arrives as the test says: its first 8 KiB at once (enough
 * for the server to sniff it and open its part file), the rest only after `release()`, slowly.
 */
async function slowUpload(url: string) {
  const answer = await fetch(`${url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/`)}`, {
    headers: { origin: SITE },
  });
  const { ticket } = (await answer.json()) as { ticket: string };
  const headers = { authorization: `Bearer ${ticket}`, origin: SITE };
  const started = await fetch(`${url}/api/v1/widget/acme/conversations`, { method: "POST", headers });
  const { conversation, secret } = (await started.json()) as { conversation: { id: string }; secret: string };
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode("a".repeat(8192)));
      else if (sent <= 4) {
        await released;
        await sleep(150);
        controller.enqueue(new TextEncoder().encode("b".repeat(8192)));
      } else controller.close();
      sent++;
    },
  });
  const response = fetch(`${url}/api/v1/widget/acme/conversations/${conversation.id}/files`, {
    method: "POST",
    headers: {
      ...headers,
      "x-chat-secret": secret,
      "x-file-name": "notes.txt",
      "content-type": "application/octet-stream",
    },
    body,
    duplex: "half",
  } as RequestInit);
  // A rejected fetch is asserted by the caller; unhandled meanwhile it would fail the run.
  response.catch(() => undefined);
  return { response, release, size: 5 * 8192 };
}

async function withAcme(dataDir: string): Promise<void> {
  const db = await openDb({ dataDir, databaseUrl: null });
  await new AccountStore(db).createAccount("acme", "ACME", Date.now());
  await db.destroy();
}

describe("npm start", () => {
  it("prints the resolved configuration and a one-time first-run link on a new data directory, private to Hatch", async () => {
    const dataDir = join(tempDir(), "data");
    const started = await start(dataDir, /#\/setup\/[\w-]{43}/);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(started.out()).toContain(`DATA_DIR=${dataDir}`);
    expect(started.out()).toContain("TRUST_PROXY=none");
    expect(started.out()).toMatch(/GEOIP_DB=.*geo-whois-asn-country\.mmdb/);
    expect(await stop(started)).toBe(0);
  });

  it("makes the link create the first account and its owner, once", async () => {
    const config = loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: tempDir() });
    const server = await startServer(config);
    try {
      const token = await server.deps.accounts.createSetupToken(Date.now());
      const body = {
        token,
        account: "new-shop",
        name: "New Shop",
        email: "me@new.test",
        password: "a good long password",
      };
      const origin = new URL(server.deps.config.publicUrl).origin;
      const post = (json: unknown) =>
        fetch(`${server.url}/api/v1/console/setup`, {
          method: "POST",
          headers: { "content-type": "application/json", origin },
          body: JSON.stringify(json),
        });
      // A weak password is said without spending the link.
      const weak = await post({ ...body, password: "short" });
      expect(weak.status).toBe(400);
      const created = await post(body);
      expect(created.status).toBe(201);
      expect(created.headers.get("set-cookie")).toContain("hatch_session=");
      expect(await created.json()).toMatchObject({
        account: "new-shop",
        user: { role: "owner", email: "me@new.test" },
      });
      const again = await post({ ...body, account: "second-shop" });
      expect(again.status).toBe(403);
      expect(await server.deps.accounts.accountExists("second-shop")).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("removes the unfinished uploads an earlier run left, and nothing else", async () => {
    const dataDir = tempDir();
    const files = join(dataDir, "files");
    mkdirSync(files, { recursive: true });
    // What a SIGKILL mid-upload leaves: a part last written before this start.
    const stale = join(files, ".0123456789abcdef.part");
    writeFileSync(stale, "half a file");
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(stale, minuteAgo, minuteAgo);
    const stored = join(files, "file_AAAAAAAAAAAAAAAA");
    writeFileSync(stored, "a whole file");
    const started = await start(dataDir, /Removed 1 unfinished upload left by an earlier run\./);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(stored)).toBe(true);
    expect(await stop(started)).toBe(0);
  });

  it("finishes an upload in flight on SIGTERM, takes no new connection, and exits in time", async () => {
    const dataDir = tempDir();
    await withAcme(dataDir);
    const started = await start(dataDir, /Snippet:/);
    const upload = await slowUpload(started.url);
    await waitUntil(() => parts(dataDir).length === 1, "the upload's part file");
    const stopAsked = Date.now();
    started.child.kill("SIGTERM");
    await waitUntil(() => started.out().includes("SIGTERM: stopping"), "the stop to begin");
    await expect(fetch(`${started.url}/api/v1/console/me`)).rejects.toThrow();
    upload.release();
    const response = await upload.response;
    expect(response.status).toBe(201);
    expect((await response.json()).file).toMatchObject({ name: "notes.txt", size: upload.size });
    expect(await started.exited).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(SHUTDOWN_GRACE_MS);
    expect(parts(dataDir)).toEqual([]);
    expect(readdirSync(join(dataDir, "files")).filter((name) => name.startsWith("file_"))).toHaveLength(1);
  });
});

describe("RunningServer.close", () => {
  /** A visitor's event stream, opened and its first bytes read. */
  async function openStream(h: Harness) {
    const visitor = await visitorSession(h);
    const stream = await visitor.fetch(`/conversations/${visitor.conversationId}/events`);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    await reader.read();
    let rest = "";
    /** Reads to the end: whether it ended (or was cut), and what came before. */
    const ended = async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (chunk.done) return true;
        rest += new TextDecoder().decode(chunk.value);
      }
    };
    return { ended, rest: () => rest };
  }

  it("does not wait when nothing is in flight, and ends open event streams", async () => {
    const h = await startHarness();
    try {
      const stream = await openStream(h);
      const asked = Date.now();
      await h.server.close();
      expect(Date.now() - asked).toBeLessThan(1_000);
      expect(await stream.ended()).toBe(true);
      // Told when to come back, which behind a balancer is to another instance.
      expect(stream.rest()).toContain("retry: 1000");
    } finally {
      await h.stop();
    }
  });

  it("takes no new connection, lets an upload in flight finish, then ends event streams", async () => {
    const h = await startHarness();
    try {
      const dataDir = h.server.deps.config.dataDir;
      const stream = await openStream(h);
      const upload = await slowUpload(h.url);
      await waitUntil(() => parts(dataDir).length === 1, "the upload's part file");
      const closing = h.server.close();
      await expect(fetch(`${h.url}/api/v1/console/me`)).rejects.toThrow();
      upload.release();
      const response = await upload.response;
      expect(response.status).toBe(201);
      await closing;
      expect(await stream.ended()).toBe(true);
      expect(parts(dataDir)).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it("answers a verdict begun before the shutdown with Connection: close, and closes that connection", async () => {
    const h = await startHarness();
    try {
      const dataDir = h.server.deps.config.dataDir;
      // An upload in flight holds the shutdown open while the verdict is asked.
      const upload = await slowUpload(h.url);
      await waitUntil(() => parts(dataDir).length === 1, "the upload's part file");
      const { port } = new URL(h.url);
      const socket = connect(Number(port), "127.0.0.1");
      let answer = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
      const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
      await new Promise((resolve) => socket.once("connect", resolve));
      // Half a request: the connection is busy, not idle, so the shutdown waits for it.
      const page = encodeURIComponent(`${SITE}/`);
      const head = `GET /api/v1/widget/acme/verdict?page=${page} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
      await new Promise((resolve) => socket.write(head, resolve));
      // The server must have read it (a connection it has read nothing from counts as idle). It runs in
      // this process and the bytes are in its socket's buffer on loopback: the event loop's next turns
      // read them, whatever the machine's speed, where a timer would be a guess.
      for (let turn = 0; turn < 3; turn++) await setImmediate();
      const closing = h.server.close();
      socket.write(`Origin: ${SITE}\r\n\r\n`);
      await ended;
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer.toLowerCase()).toContain("connection: close");
      upload.release();
      expect((await upload.response).status).toBe(201);
      await closing;
    } finally {
      await h.stop();
    }
  });

  it("ends a request that outlives the grace, and leaves no part of it", async () => {
    const h = await startHarness();
    try {
      const dataDir = h.server.deps.config.dataDir;
      // Its body never comes: a visitor whose link dropped, or one holding the shutdown up.
      const upload = await slowUpload(h.url);
      await waitUntil(() => parts(dataDir).length === 1, "the upload's part file");
      const asked = Date.now();
      await h.server.close(300);
      expect(Date.now() - asked).toBeGreaterThanOrEqual(250);
      expect(Date.now() - asked).toBeLessThan(2_000);
      await expect(upload.response).rejects.toThrow();
      await waitUntil(() => parts(dataDir).length === 0, "the part to be removed");
    } finally {
      await h.stop();
    }
  });
});

describe("a taken port", () => {
  it("is refused with a message naming the port", async () => {
    const h = await startHarness();
    try {
      const port = new URL(h.url).port;
      await expect(startServer(loadConfig({ HOST: "127.0.0.1", PORT: port, DATA_DIR: tempDir() }))).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is in use`,
      );
    } finally {
      await h.stop();
    }
  });
});
