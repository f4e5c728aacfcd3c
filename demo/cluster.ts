// `npm run cluster`: Hatch as many instances run it, all on loopback. Its own PostgreSQL and Redis
// (Debian: apt-get install -y postgresql redis-server), two Hatch processes on them with data
// folders of their own, and a round-robin proxy in front that forwards the client's address as a
// trusted proxy would. Prints the URLs and the first-run link; Ctrl-C stops everything.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRoundRobinProxy } from "./round-robin-proxy";
import { freePort, startPostgres, startRedis } from "./services";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const INSTANCES = 2;

export interface Instance {
  url: string;
  process: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
}

/** Starts `hatch serve` (from the sources) as its own process on `port`, and waits until it serves. */
export async function startInstanceProcess(env: Record<string, string>, port: number): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-instance-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/cli.ts", "serve"], {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, TRUST_PROXY: "loopback" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.once("exit", () => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`A Hatch instance exited at start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`A Hatch instance did not start in 30 s:\n${output}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, process: child, output: () => output };
}

async function main(): Promise<void> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const proxyPort = await freePort();
  const publicUrl = `http://127.0.0.1:${proxyPort}`;
  const env = { DATABASE_URL: await postgres.createDatabase("hatch"), REDIS_URL: redis.url, PUBLIC_URL: publicUrl };
  const instances: Instance[] = [];
  // One after the other: the first migrates the new database, and the last one's first-run link is the one that holds.
  for (let i = 0; i < INSTANCES; i++) instances.push(await startInstanceProcess(env, await freePort()));
  const proxy = await startRoundRobinProxy(
    instances.map((instance) => instance.url),
    proxyPort,
  );

  console.log(`PostgreSQL  ${postgres.url}`);
  console.log(`Redis       ${redis.url}`);
  for (const [i, instance] of instances.entries()) console.log(`Instance ${i + 1}  ${instance.url}`);
  console.log(`Proxy       ${proxy.url}   (round robin, X-Forwarded-For; open the console here)`);
  console.log(`Console     ${publicUrl}/console/`);
  const link = /https?:\/\/\S+\/console\/#\/setup\/\S+/.exec(instances.at(-1)?.output() ?? "")?.[0];
  if (link) console.log(`\nFirst run: open ${link} to create the account and its owner.`);
  console.log("\nCtrl-C stops everything.");

  const stop = async () => {
    await proxy.close();
    await Promise.all(
      instances.map(
        (instance) =>
          new Promise((resolve) => {
            instance.process.once("exit", resolve);
            instance.process.kill("SIGTERM");
          }),
      ),
    );
    await Promise.all([postgres.stop(), redis.stop()]);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
