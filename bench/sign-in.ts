// What a console sign-in costs with scrypt at OWASP's N=2^17 against the N=2^15 Hatch used before:
// the hash check alone at both, alternating; then sign-ins through a real server (right password,
// wrong password, unknown email: they should take alike), and the resident memory while eight
// sign-ins arrive at once (passwords.ts runs two hashes at a time, 128 MiB each).
// Prints figures; never fails. Run: npx tsx bench/sign-in.ts
import { randomBytes, scryptSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../server/config";
import { hashPassword, verifyPassword } from "../server/auth/passwords";
import { startServer } from "../server/server";

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const PASSWORD = "correct horse battery";

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? Number.NaN;
const figures = (values: number[]) =>
  `median ${percentile(values, 0.5).toFixed(0)} ms, p90 ${percentile(values, 0.9).toFixed(0)} ms`;

/** A hash as Hatch made them before: N=2^15, r=8, p=1. */
function olderHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 2 ** 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function hashChecks(): Promise<void> {
  const older = olderHash(PASSWORD);
  const current = await hashPassword(PASSWORD);
  const times = { older: [] as number[], current: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    times.older.push(await timed(() => verifyPassword(PASSWORD, older)));
    times.current.push(await timed(() => verifyPassword(PASSWORD, current)));
  }
  console.log(`hash check, N=2^15: ${figures(times.older)}`);
  console.log(`hash check, N=2^17: ${figures(times.current)}`);
}

async function signIns(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-bench-sign-in-"));
  const server = await startServer(
    loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, TRUST_PROXY: "loopback" }),
  );
  const origin = new URL(server.deps.config.publicUrl).origin;
  const { accounts, now } = server.deps;
  await accounts.createAccount("bench", "Bench", now());
  await accounts.addUser("bench", "ann@bench.test", await hashPassword(PASSWORD), "owner", now());
  // Never signed in since N=2^17: a wrong password for them should take as long as for anyone.
  await accounts.addUser("bench", "old@bench.test", olderHash(PASSWORD), "agent", now());
  // Each attempt from an address of its own: the bench measures the work, not the limits.
  let address = 0;
  const signIn = (email: string, password: string) =>
    fetch(`${server.url}/api/v1/console/session`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin,
        "x-forwarded-for": `10.0.${address >> 8}.${address++ & 255}`,
      },
      body: JSON.stringify({ account: "bench", email, password }),
    });
  try {
    const times = { right: [] as number[], wrong: [] as number[], older: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      times.right.push(await timed(() => signIn("ann@bench.test", PASSWORD)));
      times.wrong.push(await timed(() => signIn("ann@bench.test", "a wrong password")));
      times.older.push(await timed(() => signIn("old@bench.test", "a wrong password")));
      times.unknown.push(await timed(() => signIn("nobody@bench.test", PASSWORD)));
    }
    console.log(`sign-in, right password:                  ${figures(times.right)}`);
    console.log(`sign-in, wrong password:                  ${figures(times.wrong)}`);
    console.log(`sign-in, wrong password, N=2^15 hash kept: ${figures(times.older)}`);
    console.log(`sign-in, unknown email:                   ${figures(times.unknown)}`);

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const burst = await timed(() => Promise.all(Array.from({ length: 8 }, () => signIn("ann@bench.test", PASSWORD))));
    clearInterval(sampler);
    const MiB = 1024 * 1024;
    console.log(
      `8 sign-ins at once: all answered in ${burst.toFixed(0)} ms; resident memory ${(before / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB`,
    );
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await hashChecks();
await signIns();
