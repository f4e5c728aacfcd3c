// `npm start`: Hatch on its embedded default. On an empty data directory, prints the first-run link.

import { describeConfig, loadConfig } from "./config";
import { startServer } from "./server";

let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(loadConfig());
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
console.log("Hatch is running with:");
for (const line of describeConfig(server.deps.config)) console.log(`  ${line}`);
console.log(`Console: ${server.deps.config.publicUrl}/console/`);
console.log(`Snippet: <script async src="${server.deps.config.publicUrl}/loader.js" data-account="ACCOUNT"></script>`);
if (!server.deps.assets.widgetEntry) console.log("The loader and widget are not built: run npm run build (npm start does it first).");
if ((await server.deps.accounts.countAccounts()) === 0) {
  const token = await server.deps.accounts.createSetupToken(server.deps.now());
  console.log(`\nNo account yet. Open this one-time link to create the owner (valid 24 h):`);
  console.log(`  ${server.deps.config.publicUrl}/console/#/setup/${token}\n`);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}
