// `npm run bench`: runs every benchmark in this folder one after another. Prints; never fails.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
for (const file of readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .sort()) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue;
  console.log(`\n=== bench/${file}`);
  spawnSync(process.execPath, ["--import", "tsx", `${here}${file}`], { stdio: "inherit" });
}
