// HTTP on raw sockets, for what fetch cannot do: pipelined requests, half-sent heads, a reader that
// stops reading, a connection that is nobody's but this request's.

import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import type { Harness } from "./harness";

export interface RawStream {
  socket: Socket;
  /** The head's lines, lower-cased names: `content-type: …`. */
  head: string[];
  /** All the body read so far. */
  body(): string;
  closed: Promise<void>;
}

/** A connection to the harness's server on loopback; resolves once connected. */
export function rawConnection(
  target: Pick<Harness, "url">,
  options: { allowHalfOpen?: boolean } = {},
): Promise<Socket> {
  const { port } = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: "127.0.0.1", allowHalfOpen: options.allowHalfOpen ?? false });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** The console's event stream on a raw socket, so the bytes are seen as sent; resolves once the head is read. */
export async function openRaw(
  target: Pick<Harness, "url">,
  cookie: string,
  options: { allowHalfOpen?: boolean; headers?: Record<string, string> } = {},
): Promise<RawStream> {
  const socket = await rawConnection(target, options);
  const closed = new Promise<void>((done) => socket.on("close", () => done()));
  const extra = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return new Promise((resolve, reject) => {
    let text = "";
    let head: string[] | null = null;
    socket.setEncoding("utf8");
    socket.write(`GET /api/v1/console/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n${extra}\r\n`);
    socket.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\r\n\r\n");
      if (head !== null || end < 0) return;
      head = text.slice(0, end).split("\r\n");
      text = text.slice(end + 4);
      resolve({ socket, head: head.map(lowerName), body: () => text, closed });
    });
    socket.on("error", reject);
    void closed.then(() => reject(new Error(`closed before a head: ${JSON.stringify(text)}`)));
  });
}

const lowerName = (line: string) => line.replace(/^[^:]+(?=:)/, (name) => name.toLowerCase());

/**
 * Sends `bytes` on a connection of its own and resolves with what came back once the server closed it;
 * `drip` is sent again every 200 ms meanwhile, so the connection is never idle.
 */
export async function sendUntilClosed(
  target: Pick<Harness, "url">,
  bytes: string,
  options: { drip?: string } = {},
): Promise<string> {
  const socket = await rawConnection(target);
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (received += chunk));
  // A reset is a close too: what matters is that the server let go.
  socket.on("error", () => undefined);
  const closed = new Promise<void>((done) => socket.once("close", () => done()));
  socket.write(bytes);
  const { drip } = options;
  const dripping = drip === undefined ? undefined : setInterval(() => socket.writable && socket.write(drip), 200);
  await closed;
  clearInterval(dripping);
  return received;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request on a connection of its own, closed after the answer: it counts as one connection, no pool in between. */
export function requestAlone(
  target: Pick<Harness, "url">,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${target.url}${path}`, {
      agent: false,
      method: init.method ?? "GET",
      headers: init.headers,
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The events of a raw Server-Sent Events body that arrived whole, in the shape the server writes them. */
export function rawEvents(body: string): { id: number; event: string; data: string }[] {
  return [...body.matchAll(/id: (\d+)\nevent: (\w+)\ndata: (.*)\n\n/g)].map(([, id, event, data]) => ({
    id: Number(id),
    event: event!,
    data: data!,
  }));
}
