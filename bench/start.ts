// What the compiled release saves at start: `hatch serve` from build/hatch.js with plain node against
// the same server run from the TypeScript sources through tsx, in alternating pairs on fresh data
// folders. Prints the time until the server says it listens and the resident memory once idle.
// Prints figures; never fails. Run after `npm run build`: npx tsx bench/start.ts
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PAIRS = Number(process.env.PAIRS ?? 5);
const IDLE_MS = 2_000;

interface Run {
  readyMs: number;
  rssMiB: number;
}

const WAYS = {
  compiled: ["bin/hatch.js", "serve"],
  tsx: ["--import", "tsx", "server/cli.ts", "serve"],
} as const;

/** The process's resident set, from /proc (Linux). */
function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return line ? Number(line[1]) / 1024 : NaN;
}

/** Starts one way on a fresh data folder; answers when it listened and what it holds once idle. */
function once(args: readonly string[]): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-bench-start-"));
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, DATA_DIR: dataDir, PORT: "0" } });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", () => rmSync(dataDir, { recursive: true, force: true }));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes("Console: ")) return;
      child.stdout.removeAllListeners("data");
      const readyMs = performance.now() - started;
      setTimeout(() => {
        const rss = rssMiB(child.pid!);
        child.kill("SIGTERM");
        resolve({ readyMs, rssMiB: rss });
      }, IDLE_MS);
    });
    child.once("error", reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (!existsSync("build/hatch.js")) {
  console.log("build/hatch.js is missing: run npm run build first.");
} else {
  const runs: Record<keyof typeof WAYS, Run[]> = { compiled: [], tsx: [] };
  for (let i = 0; i < PAIRS; i++) {
    runs.compiled.push(await once(WAYS.compiled));
    runs.tsx.push(await once(WAYS.tsx));
  }
  console.log(`${PAIRS} pairs; ready = until "Console:" is printed; RSS ${IDLE_MS / 1000} s after`);
  for (const [way, list] of Object.entries(runs)) {
    const ready = list.map((r) => r.readyMs);
    const rss = list.map((r) => r.rssMiB);
    console.log(
      `${way.padEnd(9)} ready median ${median(ready).toFixed(0)} ms (min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)})  RSS median ${median(rss).toFixed(0)} MiB`,
    );
  }
  const ratio = (pick: (r: Run) => number) => (median(runs.compiled.map(pick)) / median(runs.tsx.map(pick))).toFixed(2);
  console.log(`compiled / tsx: ready ${ratio((r) => r.readyMs)}, RSS ${ratio((r) => r.rssMiB)}`);
}
