// Throwaway PostgreSQL and Redis servers on free loopback ports, from the machine's own binaries
// (Debian: apt-get install -y postgresql redis-server), for the tests, `npm run cluster` and the
// benches. Each lives in a temp folder and is gone when stopped. PostgreSQL refuses to run as root:
// as root, it runs as the `postgres` user the Debian package creates.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Service {
  /** `postgres://…` or `redis://…` */
  url: string;
  stop(): Promise<void>;
}

export interface Postgres extends Service {
  /** Creates an empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
}

const POSTGRES_ROOT = "/usr/lib/postgresql";
const START_TIMEOUT_MS = 30_000;

/** A free TCP port on loopback, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresBin(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const bin = versions[0] && join(POSTGRES_ROOT, versions[0], "bin");
  if (!bin || !existsSync(join(bin, "initdb")))
    throw new Error(`No PostgreSQL under ${POSTGRES_ROOT}: apt-get install -y postgresql`);
  return bin;
}

/** Who PostgreSQL runs as: the `postgres` user when we are root, else ourselves. */
function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u");
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error("PostgreSQL cannot run as root and there is no postgres user: apt-get install -y postgresql");
  return { uid, gid: id("-g") };
}

/** Tries `probe` until it succeeds or the server died or took too long. */
async function waitUntil(
  what: string,
  child: ChildProcess,
  probe: () => Promise<boolean>,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited at start (code ${child.exitCode}):\n${log()}`);
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`${what} did not start within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

/** Answers whether a TCP server on the port talks at all, by sending `hello` and waiting for a byte. */
function answers(port: number, hello: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", () => done(true));
    socket.connect(port, "127.0.0.1", () => socket.write(hello));
  });
}

/** A PostgreSQL cluster of its own: initdb in a temp folder, trust auth on loopback only, no fsync. */
export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), "hatch-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
    { ...as, encoding: "utf8", cwd: dir },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stderr}`);
  const port = await freePort();
  let log = "";
  const child = spawn(
    join(bin, "postgres"),
    [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=300",
    ],
    { ...as, cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  // An SSLRequest: PostgreSQL answers it with one byte, 'N' here.
  const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  await waitUntil(
    "PostgreSQL",
    child,
    async () => (await answers(port, sslRequest)) && log.includes("ready to accept connections"),
    () => log,
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a database name: ${name}`);
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async stop() {
      // SIGINT: PostgreSQL's fast shutdown, which ends open sessions.
      await stopped(child, "SIGINT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis server of its own: no persistence, loopback only, and database numbers enough for every test server. */
export async function startRedis(): Promise<Service> {
  const port = await freePort();
  let log = "";
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--databases", "100000"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.on("error", (error) => (log += `${error.message}: apt-get install -y redis-server`));
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await waitUntil(
    "Redis",
    child,
    () => answers(port, Buffer.from("PING\r\n")),
    () => log,
  );
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopped(child, "SIGTERM") };
}
