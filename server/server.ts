// Starts Hatch on a real socket: used by `npm start`, the demo, the end-to-end tests and the benches.

import { getRequestListener } from "@hono/node-server";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import type { Config } from "./config";
import { createDeps, type Deps } from "./deps";
import { errorBody } from "./errors";
import { answerVerdict, verdictRequest, type Answer, type VerdictRequest } from "./verdict";

export interface RunningServer {
  url: string;
  deps: Deps;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const deps = await createDeps(config);
  const hono = getRequestListener(createApp(deps).fetch);
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer((req, res) => {
      const asked = req.method === "GET" ? verdictRequest(req.url ?? "") : null;
      if (asked === null) void hono(req, res);
      else verdict(deps, req, res, asked);
    });
    s.listen(config.port, config.host, () => resolve(s));
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
        server.closeAllConnections();
        server.close(() => {
          void deps.db.destroy().then(() => resolve());
        });
      }),
  };
}

/** Sends the verdict, at once when it was decided without waiting (the usual case). */
function verdict(deps: Deps, req: IncomingMessage, res: ServerResponse, asked: VerdictRequest): void {
  try {
    const answer = answerVerdict(deps, req, asked);
    if (answer instanceof Promise) answer.then((settled) => send(res, settled), (error: unknown) => fail(res, error));
    else send(res, answer);
  } catch (error) {
    fail(res, error);
  }
}

/** Header sets as the flat lists writeHead also takes, built once per set: the verdict's sets are shared. */
const flatHeaders = new WeakMap<Readonly<Record<string, string>>, readonly string[]>();

/**
 * With a Content-Length the head and body leave in one write; without one Node frames the body as
 * chunks and sends them with writev, which was a third of the verdict's time under load.
 */
function send(res: ServerResponse, answer: Answer): void {
  let flat = flatHeaders.get(answer.headers);
  if (flat === undefined) flatHeaders.set(answer.headers, (flat = Object.entries(answer.headers).flat()));
  res.writeHead(answer.status, flat.concat("Content-Length", String(Buffer.byteLength(answer.body))));
  res.end(answer.body);
}

function fail(res: ServerResponse, error: unknown): void {
  console.error(error);
  res.writeHead(500, { "Content-Type": "application/json" });
  res.end(JSON.stringify(errorBody("internal", "Something went wrong on the server; it has been logged.")));
}
