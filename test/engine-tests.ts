// Which server test files run again on PostgreSQL and Redis (vite.config.ts's "postgres" project): those
// that import, however indirectly, the one module that reads which engine the run uses
// (test/server/shared-services.ts, through the harness's servers). A file that never reaches it runs
// the same code on the same inputs in both projects, so it runs once.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveModule, sourceFiles, SPECIFIER } from "./source-files";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The module whose `onSharedServices` says which engine the run uses. */
export const ENGINE_MODULE = "test/server/shared-services.ts";

/** Whether `file` imports the engine module, through any chain of the project's modules. */
function reachesEngine(file: string, seen: Set<string>): boolean {
  if (relative(ROOT, file) === ENGINE_MODULE) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  // Every import, a type-only or dynamic one too: a file is run on both engines when in doubt.
  for (const [, specifier] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
    const target = specifier!.startsWith(".") ? resolveModule(file, specifier!) : null;
    if (target && reachesEngine(target, seen)) return true;
  }
  return false;
}

/** The server test files whose servers may run on either engine, relative to the root. */
export function engineTests(): string[] {
  return sourceFiles(join(ROOT, "test/server"))
    .filter((file) => file.endsWith(".test.ts"))
    .filter((file) => reachesEngine(file, new Set()))
    .map((file) => relative(ROOT, file))
    .sort();
}
