// A small load balancer for `npm run cluster`, its end-to-end test and bench: each request goes to
// the next instance in turn (another one when that one refuses the connection, as nginx's
// proxy_next_upstream does), with the client's address in X-Forwarded-For as a trusted proxy sends it.
// Bodies and answers, event streams included, are piped through, never held.

import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) are the proxy's own, not passed on. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

function forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  const client = req.socket.remoteAddress ?? "";
  headers["x-forwarded-for"] = req.headers["x-forwarded-for"]
    ? `${String(req.headers["x-forwarded-for"])}, ${client}`
    : client;
  return headers;
}

/** Bodies up to this size are read first, so a request can go to another instance when the first is down. */
const RETRYABLE_BODY_BYTES = 1024 * 1024;

/** Methods that change nothing (RFC 9110 §9.2.1): sent again to another instance when one fails them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function smallBody(req: IncomingMessage): Promise<Buffer | null> {
  const declared = Number(
    req.headers["content-length"] ?? (req.method === "GET" || req.method === "HEAD" ? 0 : Number.NaN),
  );
  if (!(declared <= RETRYABLE_BODY_BYTES)) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the proxy on `port` (0: any free one) in front of `targets` (base URLs). */
export async function startRoundRobinProxy(
  targets: readonly string[],
  port = 0,
  host = "127.0.0.1",
): Promise<RoundRobinProxy> {
  let next = 0;
  // `first` is the instance this request was dealt; a retry takes the ones after it, whatever other requests took meanwhile.
  const send = (req: IncomingMessage, res: ServerResponse, body: Buffer | null, first: number, tried: number) => {
    const target = new URL(targets[(first + tried) % targets.length]!);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: forwardHeaders(req),
        // A connection per request, none kept: a dead instance then refuses the next one, which goes to
        // another, rather than resetting a kept socket, where a POST could not be told from one it took.
        agent: false,
      },
      (answer) => {
        const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
        res.writeHead(answer.statusCode ?? 502, headers as Record<string, string | string[]>);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      // A request read whole can go to the next instance; a streamed body cannot be sent twice. A POST
      // an instance received may have been done before it died (a message stored, its answer lost), so
      // as nginx does, only a refused connection or a safe method is tried again.
      const retryable = error.code === "ECONNREFUSED" || SAFE_METHODS.has(req.method ?? "");
      if (!res.headersSent && body !== null && retryable && tried + 1 < targets.length)
        return send(req, res, body, first, tried + 1);
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end("No instance answered.");
      else res.destroy();
    });
    res.on("close", () => upstream.destroy());
    if (body !== null) upstream.end(body);
    else req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    const first = next++;
    smallBody(req).then(
      (body) => send(req, res, body, first, 0),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
