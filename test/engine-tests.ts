// Which server test files run again on PostgreSQL and Redis (vite.config.ts's "postgres" project): those
// that import, however indirectly, the one module that reads which engine the run uses
// (test/server/shared-services.ts, through the harness's servers). A file that never reaches it runs
// the same code on the same inputs in both projects, so it runs once.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The module whose `onSharedServices` says which engine the run uses. */
export const ENGINE_MODULE = "test/server/shared-services.ts";

// Every relative import, a type-only or dynamic one too: a file is run on both engines when in doubt.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.[^"']+)["']/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

/** Whether `file` imports the engine module, through any chain of the project's modules. */
function reachesEngine(file: string, seen: Set<string>): boolean {
  if (relative(ROOT, file) === ENGINE_MODULE) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) {
    const target = resolveImport(file, specifier!);
    if (target && reachesEngine(target, seen)) return true;
  }
  return false;
}

/** The test files under `folder` (test/server by default) whose servers may run on either engine, relative to the root. */
export function engineTests(folder = "test/server"): string[] {
  return testFiles(join(ROOT, folder))
    .filter((file) => reachesEngine(file, new Set()))
    .map((file) => relative(ROOT, file))
    .sort();
}
