#!/usr/bin/env node
// `npm start`'s first step in a checkout: runs `npm run build` when a built file is missing or older
// than the sources, so `npm ci && npm start` works in one step and a later start does not rebuild.
// Not shipped in a release (package.json `files`), which comes built.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["policy", "server", "widget", "console", "loader", "vite.config.ts", "package.json"];
const OUTPUTS = ["build/hatch.js", "dist/loader.js", "dist/widget/.vite/manifest.json", "dist/console/index.html"];

/** The newest modification time under `path` (a file or a folder), in milliseconds. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const missing = OUTPUTS.some((output) => !existsSync(output));
const sourcesChanged =
  !missing && Math.max(...SOURCES.map(newest)) > Math.min(...OUTPUTS.map((o) => statSync(o).mtimeMs));
if (missing || sourcesChanged) {
  console.log(missing ? "Building Hatch (first start)…" : "Sources changed since the last build: building…");
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  process.exit(build.status ?? 1);
}
