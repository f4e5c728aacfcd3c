// The built browser files: the loader (short cache, so a fix reaches every site) and the widget's
// content-hashed modules (immutable). Read once at start; they are a few kilobytes.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST_DIR } from "../config";

interface Asset {
  body: Buffer;
  type: string;
  cacheControl: string;
}

export interface Assets {
  /** `/loader.js` and `/widget/NAME-HASH.js` to their bytes. */
  files: Map<string, Asset>;
  /** The path of the widget's entry module, which the verdict names for the loader. */
  widgetEntry: string | null;
}

const LOADER_CACHE = "public, max-age=300";
const IMMUTABLE = "public, max-age=31536000, immutable";
const NO_CACHE = "no-cache";
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Reads dist/; a missing build leaves the files empty, and the start message says to build. */
export function loadAssets(distDir = DIST_DIR): Assets {
  const files = new Map<string, Asset>();
  const loader = join(distDir, "loader.js");
  if (existsSync(loader))
    files.set("/loader.js", { body: readFileSync(loader), type: TYPES[".js"]!, cacheControl: LOADER_CACHE });
  const widgetDir = join(distDir, "widget");
  let widgetEntry: string | null = null;
  if (existsSync(widgetDir)) {
    for (const name of readdirSync(widgetDir)) {
      const type = TYPES[name.slice(name.lastIndexOf("."))];
      if (type)
        files.set(`/widget/${name}`, { body: readFileSync(join(widgetDir, name)), type, cacheControl: IMMUTABLE });
    }
    const manifest = JSON.parse(readFileSync(join(widgetDir, ".vite", "manifest.json"), "utf8")) as Record<
      string,
      { file: string; isEntry?: boolean }
    >;
    const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
    widgetEntry = entry ? `/widget/${entry.file}` : null;
  }
  addConsole(files, join(distDir, "console"), "/console");
  return { files, widgetEntry };
}

/** The console app: hashed files under assets/ are immutable, the rest (index.html, manifest) revalidate. */
function addConsole(files: Map<string, Asset>, dir: string, prefix: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      addConsole(files, join(dir, entry.name), path);
      continue;
    }
    const type = TYPES[entry.name.slice(entry.name.lastIndexOf("."))];
    if (type)
      files.set(path, {
        body: readFileSync(join(dir, entry.name)),
        type,
        cacheControl: path.startsWith("/console/assets/") ? IMMUTABLE : NO_CACHE,
      });
  }
}
