// The project's TypeScript sources as files and imports, read as text: what the architecture test and the
// test projects' split (engine-tests.ts) follow. A small scanner, not dependency-cruiser: that reads
// TypeScript through the compiler's JavaScript API, which TypeScript 7 no longer has.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`: type-only ones too.
export const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

/** Every .ts and .tsx file under `dir` (declarations left out). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative `specifier` in `from` names, as an absolute path; null when there is none. */
export function resolveModule(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}
