// Load from wrk (Debian's `wrk`: apt-get install -y wrk), in its own process on the other core.
// autocannon cannot send a million distinct addresses: building each request in JavaScript capped
// the client at a third of what a bare server answers, so every ratio measured the client.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./wrk.lua", import.meta.url));

export interface WrkLoad {
  url: string;
  seconds: number;
  connections: number;
  /** Each request from the next of a million distinct addresses (X-Forwarded-For). */
  distinct?: boolean;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  socketErrors: number;
}

export async function wrk(load: WrkLoad): Promise<WrkResult> {
  const args = ["-t1", `-c${load.connections}`, `-d${load.seconds}s`, "--timeout", "5s", "-s", SCRIPT];
  for (const [name, value] of Object.entries(load.headers ?? {})) args.push("-H", `${name}: ${value}`);
  const env = {
    ...process.env,
    WRK_DISTINCT: load.distinct ? "1" : "0",
    WRK_METHOD: load.method ?? "GET",
    WRK_BODY: load.body ?? "",
  };
  const child = spawn("wrk", [...args, load.url], { env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", (error) => reject(new Error(`wrk could not start (${error.message}): apt-get install -y wrk`)));
    child.on("close", resolve);
  });
  const line = /WRK_RESULT (\{.*\})/.exec(output)?.[1];
  if (code !== 0 || line === undefined) throw new Error(`wrk failed (exit ${code}):\n${output}`);
  const result = JSON.parse(line) as {
    requests: number;
    seconds: number;
    p50: number;
    p99: number;
    non2xx: number;
    socketErrors: number;
  };
  return {
    rps: result.requests / result.seconds,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx,
    socketErrors: result.socketErrors,
  };
}
