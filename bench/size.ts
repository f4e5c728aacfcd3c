// Sizes of the built loader and widget bundles, gzip and brotli, against the budgets of issue 5.
// Prints figures; never fails. Run after `npm run build`: npx tsx bench/size.ts
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { DIST_DIR } from "../server/config";
import { LANGUAGE_CODES } from "../policy/languages";

const LOADER_BROTLI_BUDGET = 600;
const WIDGET_ENTRY_GZIP_BUDGET = 10 * 1024;

function sizes(path: string) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function row(name: string, s: { raw: number; gzip: number; brotli: number }, budget = "") {
  console.log(
    `${name.padEnd(34)}${String(s.raw).padStart(8)}${String(s.gzip).padStart(8)}${String(s.brotli).padStart(8)}   ${budget}`,
  );
}

if (!existsSync(join(DIST_DIR, "loader.js"))) {
  console.log("dist/ is missing: run npm run build first.");
} else {
  console.log(`${"file".padEnd(34)}${"bytes".padStart(8)}${"gzip".padStart(8)}${"brotli".padStart(8)}   budget`);
  const loader = sizes(join(DIST_DIR, "loader.js"));
  row(
    "loader.js",
    loader,
    `brotli ≤ ${LOADER_BROTLI_BUDGET}: ${loader.brotli <= LOADER_BROTLI_BUDGET ? "within" : "OVER"}`,
  );
  type Chunk = { file: string; isEntry?: boolean; imports?: string[] };
  const manifest = JSON.parse(readFileSync(join(DIST_DIR, "widget", ".vite", "manifest.json"), "utf8")) as Record<
    string,
    Chunk
  >;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  // The first bundle is the entry plus the chunks it imports statically (Vite splits preact out).
  const firstLoad = new Set(
    [entry?.file, ...(entry?.imports ?? []).map((key) => manifest[key]?.file)].filter((f): f is string => !!f),
  );
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of readdirSync(join(DIST_DIR, "widget"))
    .filter((f) => f.endsWith(".js"))
    .sort()) {
    const s = sizes(join(DIST_DIR, "widget", file));
    if (firstLoad.has(file)) for (const key of ["raw", "gzip", "brotli"] as const) total[key] += s[key];
    row(`widget/${file}`, s, firstLoad.has(file) ? "first bundle" : loadedWhen(file));
  }
  row(
    "first bundle, all of it",
    total,
    `gzip ≤ ${WIDGET_ENTRY_GZIP_BUDGET}: ${total.gzip <= WIDGET_ENTRY_GZIP_BUDGET ? "within" : "OVER"}`,
  );
}

/** When a chunk outside the first bundle is fetched, by its name. */
function loadedWhen(file: string): string {
  if (file.startsWith("solve-in-background")) return "loaded only when challenged";
  if (LANGUAGE_CODES.some((code) => file.startsWith(`${code}-`)))
    return "before the first paint, for that language only";
  return "on first open, or at load when a chat is remembered";
}
