// PostgreSQL's client programs (pg_dump, pg_restore, psql) from Debian's packages, which keep them
// under /usr/lib/postgresql/<major>/bin rather than on PATH; the newest major when there are several.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const POSTGRES_ROOT = "/usr/lib/postgresql";

/** The folder holding pg_dump, pg_restore and psql. */
export function postgresBinDir(): string {
  const majors = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dir = majors[0] && join(POSTGRES_ROOT, majors[0], "bin");
  if (!dir || !existsSync(join(dir, "pg_dump")))
    throw new Error(`No PostgreSQL client under ${POSTGRES_ROOT}: apt-get install -y postgresql`);
  return dir;
}

/**
 * Runs one of them (or, with `sh -c`, lines that call them by name: they are put on PATH) and answers
 * its output; throws with its stderr when it fails. Never blocks: a server under test may run here.
 */
export function runTool(
  command: string,
  args: string[],
  { env = {}, cwd }: { env?: Record<string, string>; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, PATH: `${postgresBinDir()}:${process.env.PATH ?? ""}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${err}`)),
    );
  });
}
