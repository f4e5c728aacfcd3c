// Where an event stream is written: a socket taken from node:http (socket-takeover.ts: an idle
// stream holds a socket and nothing else), or, with HATCH_STREAMS=response or on a Node line that
// lacks what the takeover uses, node:http's own response kept open. Both say the same on the wire:
// `Connection: close` and a body that ends with the connection.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { StreamsMode } from "../config";
import { takeSocket } from "./socket-takeover";

/** What an event stream needs of what it writes to: both a net.Socket and a ServerResponse are one. */
export interface StreamSink {
  readonly writableLength: number;
  readonly writableNeedDrain: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  write(text: string): boolean;
  end(): void;
  destroy(): void;
  setTimeout(ms: number, onTimeout?: () => void): unknown;
  on(event: "close", listener: () => void): unknown;
  once(event: "drain", listener: () => void): unknown;
}

/** Connections whose response is an event stream kept open on node:http: a request behind it ends it. */
const streamingResponses = new WeakSet<Socket>();

/**
 * Whether `socket` carries an event stream on node:http's response. A request pipelined behind it
 * would be queued until the stream ends, holding its memory, so the server ends the connection
 * instead, as the taken socket does for anything its reader sends.
 */
export function carriesStream(socket: Socket): boolean {
  return streamingResponses.has(socket);
}

/**
 * Marks `req`'s connection as about to carry an event stream, before its route has read anything:
 * a request that node:http parsed from the same packet and dispatches next is then refused too. The
 * mark goes when an answer that is not a stream (a refusal, a 401) finishes.
 */
export function expectStream(req: IncomingMessage, res: ServerResponse): void {
  streamingResponses.add(req.socket);
  res.once("finish", () => streamingResponses.delete(req.socket));
}

/** Opens the stream's sink with `headers` sent; null when the reader has already gone or said more than its GET. */
export function openSink(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
  mode: StreamsMode,
): Promise<StreamSink | null> {
  const onResponse = () => keepResponse(req, res, headers);
  return mode === "socket" ? takeSocket(req, headers, onResponse) : Promise.resolve(onResponse());
}

function keepResponse(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
): StreamSink | null {
  if (req.socket.destroyed) return null;
  // Removing it before the head is written is how node:http is told not to frame the body in chunks.
  res.removeHeader("Transfer-Encoding");
  res.writeHead(200, { ...headers, Connection: "close" });
  res.flushHeaders();
  streamingResponses.add(req.socket);
  return res;
}
