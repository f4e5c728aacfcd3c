// Virus scanning with ClamAV's daemon (CLAMD_URL): a file's bytes streamed to clamd with INSTREAM,
// and PING for /readyz. The protocol is clamd's documented one (clamd(8), "COMMANDS").
//
// Written by hand rather than with an npm client: the protocol is a few lines (a command, then each
// chunk as a 4-byte big-endian length and its bytes, a zero length to end, one NUL-terminated reply),
// and the clients do more and less than Hatch needs. `clamscan` (2.4.0, maintained) is mostly about
// running the clamscan/clamdscan binaries and reports a stream as `isInfected: true | false | null`,
// where null ("could not tell") is for every caller to remember not to take as clean; `clamdjs`
// (1.0.2) has not had a release since 2018. Here an unexpected answer, a timeout or a closed socket
// is always an Error, never "clean".

import { once } from "node:events";
import { connect, type Socket } from "node:net";

interface ScanResult {
  /** The name of the signature clamd found (e.g. `Win.Test.EICAR_HDB-1`), or null when it found none. */
  found: string | null;
}

export interface VirusScanner {
  /**
   * Streams the bytes to the scanner and answers what it found. Throws when it could not tell
   * (unreachable, too slow, the file past clamd's StreamMaxLength, an answer out of protocol).
   * When it ends early it stops reading `bytes` (for await's return()).
   */
  scan(bytes: AsyncIterable<Uint8Array>): Promise<ScanResult>;
  /** Whether the scanner answers PING in time; never throws. */
  ping(): Promise<boolean>;
}

export interface ClamdOptions {
  /** How long clamd has to accept the connection. */
  connectTimeoutMs?: number;
  /** How long a whole scan may take, sending the bytes included. */
  scanTimeoutMs?: number;
  /** How long a PING may take, connecting included. */
  pingTimeoutMs?: number;
}

/** Where clamd listens: a Unix socket or a TCP address. */
export type ClamdAddress = { path: string } | { host: string; port: number };

/** clamd's StreamMaxLength defaults to 25 MiB; frames this size keep the memory held per scan small. */
const FRAME_BYTES = 64 * 1024;
/** A reply is a line (`stream: <signature> FOUND`): anything longer is not clamd talking. */
const MAX_REPLY_BYTES = 4096;

const INSTREAM = Buffer.from("zINSTREAM\0");
const PING = Buffer.from("zPING\0");
const END_OF_STREAM = Buffer.alloc(4);

/**
 * `tcp://host:port` or `unix:/absolute/path` as an address; throws saying what is wrong, for
 * config.ts to put in its start-up error.
 */
export function clamdAddress(url: string): ClamdAddress {
  if (url.startsWith("unix:")) {
    const path = url.slice("unix:".length);
    if (!path.startsWith("/")) throw new Error("a unix: socket's path must be absolute");
    return { path };
  }
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^\s/:@[\]]+):(\d+)\/?$/.exec(url);
  if (tcp === null) throw new Error("it is neither tcp://host:port nor unix:/absolute/path");
  const port = Number(tcp[2]);
  if (port < 1 || port > 65535) throw new Error(`${tcp[2]} is not a port from 1 to 65535`);
  return { host: (tcp[1] ?? "").replace(/^\[|\]$/g, ""), port };
}

export function clamdScanner(url: string, options: ClamdOptions = {}): VirusScanner {
  const address = clamdAddress(url);
  const { connectTimeoutMs = 2_000, scanTimeoutMs = 60_000, pingTimeoutMs = 2_000 } = options;
  return {
    async scan(bytes) {
      const reply = await converse(address, url, { connectTimeoutMs, timeoutMs: scanTimeoutMs }, async (write) => {
        await write(INSTREAM);
        for await (const chunk of bytes)
          for (let at = 0; at < chunk.length; at += FRAME_BYTES) {
            const frame = chunk.subarray(at, at + FRAME_BYTES);
            await write(lengthOf(frame));
            await write(frame);
          }
        await write(END_OF_STREAM);
      });
      return { found: scanFinding(reply, url) };
    },
    async ping() {
      try {
        const reply = await converse(address, url, { connectTimeoutMs, timeoutMs: pingTimeoutMs }, (write) =>
          write(PING),
        );
        return reply === "PONG";
      } catch {
        return false;
      }
    },
  };
}

function lengthOf(frame: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(frame.length);
  return header;
}

/** INSTREAM's reply as a signature name or null; anything else (an ERROR included) throws. */
function scanFinding(reply: string, url: string): string | null {
  if (reply === "stream: OK") return null;
  const found = /^stream: (.+) FOUND$/.exec(reply);
  if (found?.[1]) return found[1];
  if (reply.endsWith("ERROR")) throw new Error(`clamd at ${url} could not scan the file: ${reply}`);
  throw new Error(`clamd at ${url} answered out of protocol: ${JSON.stringify(reply)}`);
}

type Write = (data: Uint8Array) => Promise<void>;

/**
 * One connection: `send` writes the request while the reply is read, since clamd may answer before
 * the request ends (a stream past its limit). Settles once: with the reply, without its NUL, or with
 * an Error naming clamd's URL.
 */
function converse(
  address: ClamdAddress,
  url: string,
  { connectTimeoutMs, timeoutMs }: { connectTimeoutMs: number; timeoutMs: number },
  send: (write: Write) => Promise<void>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = "path" in address ? connect(address.path) : connect(address.port, address.host);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolveStopped) => (stop = resolveStopped));
    const finish = (error: Error | null, reply = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(overallTimer);
      socket.destroy();
      stop();
      if (error) reject(error);
      else resolve(reply);
    };
    const fail = (why: string) => finish(new Error(`clamd at ${url} ${why}`));
    const connectTimer = setTimeout(
      () => fail(`did not accept a connection within ${connectTimeoutMs} ms`),
      connectTimeoutMs,
    );
    const overallTimer = setTimeout(() => fail(`did not answer within ${timeoutMs} ms`), timeoutMs);

    const write: Write = async (data) => {
      if (settled) throw new Error("clamd's conversation is over");
      if (!socket.write(data)) await Promise.race([once(socket, "drain"), stopped]);
    };
    let sending = false;
    socket.once("connect", () => {
      clearTimeout(connectTimer);
      sending = true;
      // A write failing because clamd answered and closed is settled by the reply or the socket's error.
      send(write).then(
        () => (sending = false),
        (error: Error) => finish(error),
      );
    });
    socket.on("data", (data: Buffer) => {
      const end = data.indexOf(0);
      chunks.push(end === -1 ? data : data.subarray(0, end));
      received += end === -1 ? data.length : end;
      if (received > MAX_REPLY_BYTES) fail(`answered more than ${MAX_REPLY_BYTES} bytes without ending its reply`);
      else if (end !== -1) finish(null, Buffer.concat(chunks).toString("utf8"));
    });
    socket.on("error", (error) =>
      fail(
        sending
          ? // clamd answers a stream past its StreamMaxLength with an ERROR and closes; the reply is
            // often lost to the write that fails first (EPIPE, ECONNRESET).
            `closed the connection while the bytes were being sent, as it does past its StreamMaxLength: ${error.message}`
          : `could not be reached or dropped the connection: ${error.message}`,
      ),
    );
    socket.on("close", () => fail("closed the connection without a complete reply"));
  });
}
