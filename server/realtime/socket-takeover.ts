// Answers a GET with a head written straight to its socket, then takes the socket away from
// node:http, so a long-lived event stream keeps a socket and nothing else: no HTTP parser, request,
// response or Hono adapter state per waiting reader (bench/streams.ts: a response node:http holds
// open costs ~10 KiB RSS, Hatch's stream on a taken socket 3–5). Node offers this only for `Connection:
// Upgrade` requests, so the detaching repeats what its own upgrade path does (lib/_http_server.js,
// onParserExecuteCommon, Node 20): internals, pinned by test/server/realtime/socket-takeover.test.ts;
// the guard and its fallback to a response kept open, by stream-sink.test.ts, on every line CI runs.

import { createRequire } from "node:module";
import { validateHeaderName, validateHeaderValue, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/** The part of node:http's per-connection parser that the detaching touches. */
interface HttpParser {
  _consumed?: boolean;
  /** The request whose head it read last. */
  incoming?: IncomingMessage | null;
  unconsume(): void;
  /** An Error when it holds part of a message. */
  finish(): Error | undefined;
}

type HttpSocket = Socket & { parser?: HttpParser | null; _httpMessage?: unknown };

/**
 * node:http's own release of a parser (takes it off the server's connection list and frees it), or
 * null on a Node line without it: `_http_common` is internal (DEP0199), and then streams stay on the
 * response node:http keeps open (stream-sink.ts), as fastify falls back where Node lacks a feature.
 */
const freeParser = loadFreeParser();

type FreeParser = (parser: HttpParser, req: IncomingMessage, socket: Socket) => void;

/**
 * Finds freeParser through `load` (node's require; a test passes a Node line that lacks it): null when
 * absent, unloadable, or deprecated at run time on this line (a warning as it loads), so that the
 * fallback is what runs on a line that warns, as on one that lacks it. The warning still reaches the log.
 */
export function loadFreeParser(load: (id: string) => unknown = createRequire(import.meta.url)): FreeParser | null {
  const emitWarning = process.emitWarning;
  let warned = false;
  process.emitWarning = ((...args: Parameters<typeof emitWarning>) => {
    warned = true;
    emitWarning.apply(process, args);
  }) as typeof emitWarning;
  try {
    const common = load("_http_common") as { freeParser?: unknown } | null;
    return !warned && typeof common?.freeParser === "function" ? (common.freeParser as FreeParser) : null;
  } catch {
    return null;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Whether this Node has what the takeover uses; each socket is checked again before it is taken. */
export const takeoverAvailable = freeParser !== null;

/**
 * The listeners node:http puts on a connection (lib/_http_server.js, connectionListenerInternal, the
 * same on Node 20 to 26), by event and function name: the detaching removes these and no others, so
 * what an APM agent listens with stays. (pause and resume are gone once anyone listens for data:
 * node:http then unconsumes the parser itself.)
 */
const HTTP_LISTENERS: Readonly<Record<string, readonly string[]>> = {
  data: ["bound socketOnData"],
  end: ["bound socketOnEnd"],
  close: ["bound socketOnClose", "onServerResponseClose"],
  drain: ["bound socketOnDrain"],
  error: ["socketOnError"],
  timeout: ["socketOnTimeout"],
  pause: ["onSocketPause"],
  resume: ["onSocketResume"],
};

/** Without these a socket is not node:http's as this module knows it, and is not taken. */
const REQUIRED_LISTENERS = [
  ["data", "bound socketOnData"],
  ["end", "bound socketOnEnd"],
  ["close", "bound socketOnClose"],
  ["error", "socketOnError"],
] as const;

/** Whether `socket` carries node:http's parser and listeners as the detaching expects them. */
function takeable(socket: HttpSocket): boolean {
  const parser = socket.parser;
  if (!parser || typeof parser.unconsume !== "function" || typeof parser.finish !== "function") return false;
  return REQUIRED_LISTENERS.every(([event, name]) =>
    socket.listeners(event).some((listener) => listener.name === name),
  );
}

function removeHttpListeners(socket: HttpSocket): void {
  for (const [event, names] of Object.entries(HTTP_LISTENERS))
    for (const listener of socket.listeners(event))
      if (names.includes(listener.name)) socket.removeListener(event, listener as (...args: unknown[]) => void);
}

/**
 * Writes `200 OK` with `headers` on the request's socket and hands the socket over once node:http has
 * let go of it; null when the client left first, or sent anything after the GET's head (see saidMore);
 * what `otherwise` answers when the socket is not node:http's as this module knows it.
 * The body is delimited by the connection's close, hence `Connection: close` and no chunked framing.
 * Throws, writing nothing, on a header Node would refuse. `release` is node:http's freeParser, found at
 * start; null (a Node line without it, or a test's) answers `otherwise` for every socket.
 */
export function takeSocket<T>(
  req: IncomingMessage,
  headers: Readonly<Record<string, string>>,
  otherwise: () => T,
  release: FreeParser | null = freeParser,
): Promise<Socket | null | T> {
  const text = head(headers);
  // Not now: this runs inside the parser's execute(), which must return before the parser is freed.
  return new Promise((resolve) =>
    setImmediate(() => {
      const socket = req.socket as HttpSocket;
      resolve(release === null || !takeable(socket) ? otherwise() : detach(socket, req, text, release));
    }),
  );
}

function head(headers: Readonly<Record<string, string>>): string {
  let text = `HTTP/1.1 200 OK\r\nDate: ${new Date().toUTCString()}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    text += `${name}: ${value}\r\n`;
  }
  return `${text}\r\n`;
}

/**
 * Whether the reader sent anything after the GET's head: a body, a pipelined request (whose answer
 * node:http queues behind the stream's, which never ends) or part of one. A browser's EventSource
 * never does. Such a connection is refused while node:http still listens to it, so its own close
 * cleanup frees what it queued; taken over, the queue would be held until the process ends.
 */
function saidMore(socket: HttpSocket, req: IncomingMessage, parser: HttpParser): boolean {
  return (
    parser.incoming !== req ||
    !req.complete ||
    req.readableLength > 0 ||
    socket.readableLength > 0 ||
    parser.finish() !== undefined
  );
}

/** Null when the reader has already gone (or hung up its side, whose `end` node:http heard, not us). */
function detach(socket: HttpSocket, req: IncomingMessage, text: string, release: FreeParser): Socket | null {
  const parser = socket.parser;
  if (socket.destroyed || !parser || saidMore(socket, req, parser)) {
    socket.destroy();
    return null;
  }
  removeHttpListeners(socket);
  // oxlint-disable-next-line no-underscore-dangle -- node:http's name for it
  if (parser._consumed) parser.unconsume();
  release(parser, req, socket);
  // oxlint-disable-next-line no-underscore-dangle -- node:http's name for it
  socket._httpMessage = null;
  if (socket.readableEnded) {
    socket.destroy();
    return null;
  }
  socket.write(text);
  socket.setTimeout(0);
  // A reader of an event stream has nothing more to say: anything it sends ends the stream.
  socket.on("data", () => socket.destroy());
  // node:http's sockets are half-open capable: the reader's end must close ours too.
  socket.on("end", () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.resume();
  return socket;
}
