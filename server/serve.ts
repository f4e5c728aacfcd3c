// `hatch serve` (what `npm start` runs): Hatch on the configuration in the environment. On an empty
// data directory it prints the first-run link. SIGTERM or SIGINT stops it gracefully: no new
// connections, the requests in flight (uploads) finish within SHUTDOWN_GRACE_MS, then the store is
// closed; a second signal stops it at once.

import { describeConfig, loadConfig } from "./config";
import { SHUTDOWN_GRACE_MS, startServer, type RunningServer } from "./server";

/** Starts Hatch and keeps it running until a signal stops the process. */
export async function serve(): Promise<void> {
  const startedAt = Date.now();
  let server: RunningServer;
  try {
    server = await startServer(loadConfig());
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log(
        `${signal}: stopping; requests in flight have ${SHUTDOWN_GRACE_MS / 1000} s to finish (${signal} again stops at once).`,
      );
      void server.close(SHUTDOWN_GRACE_MS).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
  try {
    await announce(server, startedAt);
  } catch (error) {
    // A signal during these last steps closed the store under them: nothing is lost.
    if (!stopping) throw error;
  }
}

/** Says what runs where, sweeps what an earlier run left, and prints the first-run link when there is no account. */
async function announce(server: RunningServer, startedAt: number): Promise<void> {
  console.log("Hatch is running with:");
  for (const line of describeConfig(server.deps.config)) console.log(`  ${line}`);
  console.log(`Console: ${server.deps.config.publicUrl}/console/`);
  console.log(
    `Snippet: <script async src="${server.deps.config.publicUrl}/loader.js" data-account="ACCOUNT"></script>`,
  );
  if (!server.deps.assets.widgetEntry)
    console.log("The loader and widget are not built: run npm run build (npm start does it first).");
  // Swept once listening, so a second start on a port in use removes nothing; this process's own
  // uploads are newer than its start (file-store.ts says why one DATA_DIR has one process).
  const swept = await server.deps.files.sweep(startedAt);
  if (swept > 0) console.log(`Removed ${swept} unfinished upload${swept === 1 ? "" : "s"} left by an earlier run.`);
  if ((await server.deps.accounts.countAccounts()) === 0) {
    const token = await server.deps.accounts.createSetupToken(server.deps.now());
    console.log(
      `\nNo account yet. Open this one-time link to create the owner (valid 24 h, void once any account exists):`,
    );
    console.log(`  ${server.deps.config.publicUrl}/console/#/setup/${token}\n`);
  }
}
