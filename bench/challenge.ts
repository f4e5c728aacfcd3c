// The proof-of-work gate's costs: what making and checking a challenge costs the server (redeeming
// includes the store's record of the used solution, SQLite here), and how long the widget's own
// solver (widget/find-number.ts, bundled here with esbuild) takes in Chromium's headless shell at the
// default difficulty: median and p90 over 20 challenges, and hashes per second.
// Prints figures; never fails. Run: npx tsx bench/challenge.ts
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createChallenge, solveChallenge, verifySolution } from "altcha-lib/v1";
import type { Challenge } from "altcha-lib/v1/types";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { DEFAULT_PROTECTION } from "../policy/schema";
import { createChallenges } from "../server/protection/challenges";
import { openDb } from "../server/store/db";
import { ProtectionStore } from "../server/store/protection";
import { HEADLESS_SHELL } from "../test/e2e/headless-shell";

const SERVER_ROUNDS = 2_000;
const SOLVES = 20;
const DIFFICULTY = DEFAULT_PROTECTION.challengeDifficulty;
/** Easy challenges for the server's rounds: checking costs the same whatever the difficulty. */
const EASY = 1_000;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? Number.NaN;

function payload(challenge: Challenge, number: number): string {
  const { algorithm, salt, signature } = challenge;
  return Buffer.from(JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature })).toString(
    "base64",
  );
}

async function serverCosts(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-bench-challenge-"));
  const db = await openDb({ databaseUrl: null, dataDir });
  const challenges = createChallenges(randomBytes(32), new ProtectionStore(db));
  const who = { account: "bench", visitor: "v_benchbenchbench", ip: "192.0.2.1" };
  const now = Date.now();

  let started = performance.now();
  const made: Challenge[] = [];
  for (let i = 0; i < SERVER_ROUNDS; i++) made.push(await challenges.make(who, EASY, now));
  const makeUs = ((performance.now() - started) * 1000) / SERVER_ROUNDS;

  const solutions: string[] = [];
  for (const challenge of made) {
    const found = await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", challenge.maxnumber).promise;
    solutions.push(payload(challenge, found!.number));
  }
  started = performance.now();
  for (const solution of solutions) await challenges.redeem(solution, who, now);
  const redeemUs = ((performance.now() - started) * 1000) / SERVER_ROUNDS;

  const key = randomBytes(32).toString("hex");
  const plain = await createChallenge({ hmacKey: key, maxnumber: EASY, number: 7 });
  started = performance.now();
  for (let i = 0; i < SERVER_ROUNDS; i++) await verifySolution(payload(plain, 7), key, false);
  const verifyUs = ((performance.now() - started) * 1000) / SERVER_ROUNDS;

  console.log(`server, per challenge (${SERVER_ROUNDS} rounds):`);
  console.log(`  make                      ${makeUs.toFixed(1).padStart(7)} µs`);
  console.log(`  check (altcha-lib alone)  ${verifyUs.toFixed(1).padStart(7)} µs`);
  console.log(
    `  redeem (check + store)    ${redeemUs.toFixed(1).padStart(7)} µs   (SQLite; one insert of the used solution)`,
  );
  await db.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The widget's solver as a script that defines `findNumber` on the page. */
async function solverScript(): Promise<string> {
  const entry = fileURLToPath(new URL("../widget/find-number.ts", import.meta.url));
  const bundled = await build({
    stdin: {
      contents: `import { findNumber } from ${JSON.stringify(entry)}; globalThis.findNumber = findNumber;`,
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    write: false,
    platform: "browser",
  });
  return bundled.outputFiles[0]!.text;
}

async function browserSolves(): Promise<void> {
  // Web Crypto needs a secure context: a page of its own on loopback is one.
  const page = createServer((_req, res) => res.end("<!doctype html><title>solver</title>"));
  await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  // The headless shell the end-to-end tests drive: the same V8 as the full browser's.
  const browser = await chromium.launch({ executablePath: HEADLESS_SHELL, args: ["--no-sandbox"] });
  try {
    const tab = await browser.newPage();
    await tab.goto(url);
    await tab.addScriptTag({ content: await solverScript() });
    const key = randomBytes(32).toString("hex");
    const times: number[] = [];
    const rates: number[] = [];
    for (let i = 0; i < SOLVES; i++) {
      const challenge = await createChallenge({ hmacKey: key, maxnumber: DIFFICULTY });
      // A string, not a function: tsx's transform of a function body refers to helpers the page lacks.
      const { ms, number } = (await tab.evaluate(`(async (c) => {
        const start = performance.now();
        const number = await globalThis.findNumber(c, { onProgress: () => {} });
        return { ms: performance.now() - start, number };
      })(${JSON.stringify(challenge)})`)) as { ms: number; number: number | null };
      if (number === null) throw new Error("the solver found no number");
      times.push(ms);
      rates.push((number + 1) / (ms / 1000));
    }
    console.log(
      `headless Chromium, the widget's solver, difficulty ${DIFFICULTY.toLocaleString("en")} (${SOLVES} challenges):`,
    );
    console.log(
      `  solve time  median ${percentile(times, 0.5).toFixed(0)} ms   p90 ${percentile(times, 0.9).toFixed(0)} ms`,
    );
    console.log(
      `  rate        median ${(percentile(rates, 0.5) / 1000).toFixed(0)}k hashes/s (a mid-range phone's browser is several times slower)`,
    );
  } finally {
    await browser.close();
    page.close();
  }
}

await serverCosts();
await browserSolves();
