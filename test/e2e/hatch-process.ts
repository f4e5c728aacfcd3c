// Hatch as an operator runs it from a release: `node bin/hatch.js` (the compiled build/hatch.js) as
// its own process, so a test can make accounts with the CLI, stop the server with SIGTERM and start
// it again on the same DATA_DIR and port.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HATCH = "bin/hatch.js";

export interface HatchProcess {
  /** Where it listens, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Sends SIGTERM and answers the exit code once the process has ended. */
  stop(): Promise<number | null>;
}

/** Only PATH of the test's own environment: nothing the test run set (a DATABASE_URL) reaches Hatch. */
const baseEnv = () => ({ PATH: process.env.PATH ?? "" });

/** Runs `hatch ARGS` to its end with `input` on stdin; throws with what it printed when it fails. */
export function hatchCli(args: string[], env: Record<string, string>, input: string): string {
  const result = spawnSync(process.execPath, [HATCH, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    input,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`hatch ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

/** Starts `hatch serve` on `env` (HOST and PORT included) and resolves once /readyz answers 200. */
export async function startHatch(env: Record<string, string>): Promise<HatchProcess> {
  const child: ChildProcess = spawn(process.execPath, [HATCH, "serve"], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const url = `http://${env.HOST}:${env.PORT}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hatch serve exited at start (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`hatch serve was not ready within 20 s:\n${output}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
