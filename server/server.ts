// Starts Hatch on a real socket: used by `npm start`, the demo, the end-to-end tests and the benches.

import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import type { Config } from "./config";
import { createDeps, type Deps } from "./deps";

export interface RunningServer {
  url: string;
  deps: Deps;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const deps = await createDeps(config);
  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    // A taken port is a message for the operator, not a crash without one.
    s.once("error", (error: NodeJS.ErrnoException) => {
      void deps.db.destroy();
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${config.port} on ${config.host} is in use: stop what runs there or set PORT.`, { cause: error }) : error);
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  if (config.port === 0) deps.config.publicUrl = deps.config.publicUrl.replace(/:0$/, `:${port}`);
  return {
    url,
    deps,
    close: () =>
      new Promise((resolve) => {
        // Open event streams would keep close() waiting forever.
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => {
          void deps.db.destroy().then(() => resolve());
        });
      }),
  };
}
