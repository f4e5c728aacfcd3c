#!/usr/bin/env node
// `npx hatch …`: the server (`hatch serve`) and administration without the console. Runs the
// compiled CLI that `npm run build` writes to build/hatch.js, with plain node.
import { existsSync } from "node:fs";

const compiled = new URL("../build/hatch.js", import.meta.url);
if (!existsSync(compiled)) {
  console.error("Hatch is not built: run `npm run build` in the checkout (a release ships it built).");
  process.exit(1);
}
await import(compiled.href);
