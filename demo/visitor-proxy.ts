// The visitor-simulating proxy: forwards every request to the chat server and says who the visitor is
// with X-Forwarded-For and the country header, as a CDN does in production. The chat server trusts
// only this proxy, so the demo runs the real trusted-proxy code path. The visitor is the one chosen
// on the host page (`POST /__demo/visitor`), kept in memory: one QA tester at a time.
//
// A small hand-written reverse proxy over node:http rather than a library: none is installed, and
// all it needs is to pipe requests and responses both ways without buffering (event streams included).

import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { COUNTRY_CODES } from "../policy/country";
import { formatIp, parseIp } from "../policy/ip";
import { DEFAULT_VISITOR, type Visitor } from "./presets";

export const VISITOR_PATH = "/__demo/visitor";
const MAX_VISITOR_BODY_BYTES = 1024;

// RFC 9110 §7.6.1: connection-specific headers are not forwarded by a proxy.
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"];

export interface VisitorProxyOptions {
  /** The chat server, e.g. http://127.0.0.1:8803; null until it has started (requests get 503). */
  target: () => URL | null;
  countryHeader: string;
  /** The source address of the proxy's connections to the chat server: the one address it trusts. */
  localAddress: string | undefined;
  /** Origins whose pages may change the visitor (the demo's own sites). */
  panelOrigins: () => readonly string[];
}

export interface VisitorProxy {
  server: Server;
  visitor(): Visitor;
}

export function createVisitorProxy(options: VisitorProxyOptions): VisitorProxy {
  let visitor: Visitor = { ...DEFAULT_VISITOR };
  const server = createServer((req, res) => {
    if ((req.url ?? "").split("?")[0] === VISITOR_PATH) {
      void visitorRoute(
        req,
        res,
        options.panelOrigins(),
        () => visitor,
        (next) => (visitor = next),
      );
      return;
    }
    const target = options.target();
    if (!target) return sendJson(res, 503, error("starting", "The chat server is still starting: reload in a moment."));
    forward(req, res, target, visitor, options);
  });
  return { server, visitor: () => visitor };
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  visitor: Visitor,
  options: VisitorProxyOptions,
): void {
  const headers = withoutHopByHop(req.headers);
  // Whatever the browser sent, the visitor's address and country are the demo's choice.
  headers["x-forwarded-for"] = visitor.ip;
  delete headers[options.countryHeader];
  if (visitor.country) headers[options.countryHeader] = visitor.country;
  const upstream = request(
    {
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      localAddress: options.localAddress,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      // Send the headers now: an event stream's first bytes may come much later.
      res.flushHeaders();
      answer.pipe(res);
    },
  );
  upstream.on("error", (cause) => {
    if (!res.headersSent)
      sendJson(res, 502, error("bad_gateway", `The demo proxy could not reach the chat server: ${cause.message}`));
    else res.destroy();
  });
  // The browser went away (a closed event stream, a reload): end the upstream request too.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

/** `GET` the current visitor, or `POST {"ip","country"}` to choose another; CORS for the demo's sites only. */
async function visitorRoute(
  req: IncomingMessage,
  res: ServerResponse,
  origins: readonly string[],
  get: () => Visitor,
  set: (v: Visitor) => void,
) {
  const origin = req.headers.origin;
  if (origin && origins.includes(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
  }
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      "Access-Control-Allow-Methods": "GET, POST",
      "Access-Control-Allow-Headers": "Content-Type",
      "Access-Control-Max-Age": "600",
    });
    return res.end();
  }
  if (req.method === "GET") return sendJson(res, 200, get());
  if (req.method !== "POST") return sendJson(res, 405, error("method", "Use GET or POST."));
  // A browser always sends Origin on a cross-origin POST: refuse pages that are not the demo's.
  if (origin !== undefined && !origins.includes(origin))
    return sendJson(res, 403, error("cross_origin", `${origin} may not choose the demo visitor.`));
  const parsed = parseVisitor(await readBody(req));
  if ("error" in parsed) return sendJson(res, 400, parsed);
  set(parsed);
  sendJson(res, 200, parsed);
}

/** Checks `{"ip","country"}`; the country may be empty or null for "unknown, ask the GeoIP database". */
function parseVisitor(body: string | null): Visitor | ReturnType<typeof error> {
  let value: unknown;
  try {
    value = body === null ? null : JSON.parse(body);
  } catch {
    value = null;
  }
  if (typeof value !== "object" || value === null)
    return error("invalid", 'Send JSON like {"ip":"192.0.2.10","country":"DE"}.');
  const { ip, country } = value as Record<string, unknown>;
  const address = typeof ip === "string" ? parseIp(ip.trim()) : null;
  if (!address?.ok)
    return error("invalid", `ip: ${address ? address.error.message : "Enter an IPv4 or IPv6 address."}`);
  const code = typeof country === "string" ? country.trim().toUpperCase() : (country ?? null);
  if (code === null || code === "") return { ip: formatIp(address.address), country: null };
  if (typeof code !== "string" || !COUNTRY_CODES.has(code))
    return error("invalid", "country: Enter a two-letter ISO 3166-1 code such as DE, or leave it empty.");
  return { ip: formatIp(address.address), country: code };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_VISITOR_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= MAX_VISITOR_BODY_BYTES ? Buffer.concat(chunks).toString("utf8") : null));
    req.on("error", () => resolve(null));
  });
}

function error(code: string, message: string) {
  return { error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}
