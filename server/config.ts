// Configuration from environment variables, each with a safe default (DESIGN.md "Configuration").
// The server prints what it resolved at start, so an operator sees what is really in force.

import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SCRYPT_PARAMS, type ScryptParams } from "./auth/passwords";
import { LIMITS, type Limits } from "./limits";
import { clamdAddress } from "./files/clamd";
import { descriptorLimit } from "./http/descriptors";
import { visitorStreamCap } from "./realtime/open-streams";
import { takeoverAvailable } from "./realtime/socket-takeover";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  publicUrl: string;
  /** As Express's `trust proxy`: a hop count, or addresses/CIDRs/`loopback` names for proxy-addr. */
  trustProxy: number | string[] | null;
  /** Lower-cased header name; honoured only from a trusted proxy. */
  countryHeader: string | null;
  geoipDb: string;
  /** A fresher ASN database (CSV of @ip-location-db/asn's layout, or a GeoLite2-ASN MMDB); null: the bundled one. */
  asnDb: string | null;
  /** The Tor Project's bulk exit list, kept fresh by the operator; null: the Tor switch has no list. */
  torExitList: string | null;
  /** postgres://…: the store (files included) is PostgreSQL; null: SQLite in dataDir. */
  databaseUrl: string | null;
  /** redis://…: limits, event fan-out and policy-cache invalidation shared with other instances. */
  redisUrl: string | null;
  /** When set, GET /metrics answers to `Authorization: Bearer <token>`; otherwise it is a 404. */
  metricsToken: string | null;
  /** smtp://…  or smtps://…: mail for offline messages and answers to them; null: no mail. */
  smtpUrl: string | null;
  /** The From of every mail: MAIL_FROM, else hatch@ the public URL's host. */
  mailFrom: string;
  /** tcp://host:port or unix:/path of a clamd that scans every upload; null: uploads are not scanned for viruses. */
  clamdUrl: string | null;
  /** CLAMD_OPTIONAL=1: clamd not answering lets uploads through unscanned and /readyz stay ready; otherwise it refuses them. */
  clamdOptional: boolean;
  /** WEBHOOKS_ALLOW_PRIVATE=1: webhooks may reach loopback and private addresses (tests, a trusted network). */
  webhooksAllowPrivate: boolean;
  /** pino's level for the log on standard error: info by default, `silent` for none. */
  logLevel: string;
  /** The process's soft limit on open files, read at start (descriptors.ts): the caps below stay under it. */
  descriptorLimit: number;
  /** Connections held at once; past it a new one is closed unanswered, and past busyAt() of it only the essentials are answered. */
  maxConnections: number;
  /** Event streams held at once, the console's feeds included; past it a stream is answered 503 with Retry-After. */
  maxStreams: number;
  /** How long a client has to send a request's head (not its body: an upload on a slow link takes longer). */
  headersTimeoutMs: number;
  /**
   * `socket`: event streams on sockets taken from node:http (the default; where the Node line lacks
   * what the takeover uses, a stream falls back by itself); `response`: on node:http's response kept open.
   */
  streams: StreamsMode;
  /**
   * scrypt's parameters for new hashes (passwords.ts): OWASP's, always, from loadConfig. Not an
   * environment variable; the tests pass a cheaper one to servers whose subject is not the hash.
   */
  passwordCost: ScryptParams;
  /** Every shared limit (limits.ts's LIMITS), from loadConfig; a test server may lower one it must exceed. */
  limits: Limits;
}

export type StreamsMode = "socket" | "response";

const require = createRequire(import.meta.url);

/**
 * The built browser files. Relative to this module because server/config.ts and the compiled
 * build/hatch.js sit at the same depth below the package, so one URL serves the source and the release.
 */
export const DIST_DIR = fileURLToPath(new URL("../dist", import.meta.url));

/** The bundled country database: @ip-location-db/geo-whois-asn-country-mmdb, CC BY 4.0. */
function bundledGeoipDb(): string {
  return require.resolve("@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb");
}

/**
 * Reads the configuration; throws with a message naming the variable when one is malformed.
 * `descriptors`: the process's limit on open files, which the connection and stream caps stay under.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  descriptors = descriptorLimit(),
): Config {
  const host = env.HOST?.trim() || "127.0.0.1";
  const port = parsePort(env.PORT);
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(
    /\/+$/,
    "",
  );
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new Error(
      `PUBLIC_URL "${publicUrl}" is not an http(s) URL: set it to the origin visitors reach Hatch at, e.g. https://chat.example.com.`,
    );
  }
  return {
    host,
    port,
    dataDir: resolve(env.DATA_DIR?.trim() || "./data"),
    publicUrl,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    countryHeader: env.COUNTRY_HEADER?.trim().toLowerCase() || null,
    geoipDb: env.GEOIP_DB?.trim() || bundledGeoipDb(),
    asnDb: env.ASN_DB?.trim() || null,
    torExitList: env.TOR_EXIT_LIST?.trim() || null,
    ...sharedServices(env),
    metricsToken: env.METRICS_TOKEN?.trim() || null,
    ...mailOf(env, publicUrl),
    ...clamdOf(env),
    webhooksAllowPrivate: env.WEBHOOKS_ALLOW_PRIVATE?.trim() === "1",
    logLevel: parseLogLevel(env.LOG_LEVEL),
    ...connectionLimits(env, descriptors),
    streams: parseStreamsMode(env.HATCH_STREAMS),
    passwordCost: SCRYPT_PARAMS,
    limits: LIMITS,
  };
}

/** SMTP_URL and MAIL_FROM, each checked so that a typo stops the start rather than every mail. */
function mailOf(env: NodeJS.ProcessEnv, publicUrl: string): { smtpUrl: string | null; mailFrom: string } {
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^\s/]+/.test(smtpUrl))
    throw new Error(
      `SMTP_URL is not an SMTP URL: set it like smtp://user:pass@host:587 or smtps://user:pass@host:465.`,
    );
  const mailFrom = env.MAIL_FROM?.trim() || `hatch@${new URL(publicUrl).hostname}`;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom) && !/^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(mailFrom))
    throw new Error(
      `MAIL_FROM "${mailFrom}" is not an address: set it like hatch@example.com or "Acme support <hatch@example.com>".`,
    );
  return { smtpUrl, mailFrom };
}

/** CLAMD_URL and CLAMD_OPTIONAL: an address clamd cannot be at stops the start rather than every upload. */
function clamdOf(env: Record<string, string | undefined>): Pick<Config, "clamdUrl" | "clamdOptional"> {
  const clamdUrl = env.CLAMD_URL?.trim() || null;
  if (clamdUrl !== null) {
    try {
      clamdAddress(clamdUrl);
    } catch (error) {
      throw new Error(
        `CLAMD_URL "${clamdUrl}" is not clamd's address (${(error as Error).message}): set it like tcp://127.0.0.1:3310 or unix:/run/clamav/clamd.ctl, or unset it to store uploads unscanned.`,
        { cause: error },
      );
    }
  }
  const optional = env.CLAMD_OPTIONAL?.trim().toLowerCase() || "0";
  if (!["0", "1", "false", "true"].includes(optional))
    throw new Error(
      `CLAMD_OPTIONAL "${env.CLAMD_OPTIONAL}" is not a switch: set 1 (uploads go unscanned while clamd is down) or 0 (they are refused; the default).`,
    );
  const clamdOptional = optional === "1" || optional === "true";
  if (clamdOptional && clamdUrl === null)
    throw new Error(
      "CLAMD_OPTIONAL is set but CLAMD_URL is not: there is no clamd to be optional. Set CLAMD_URL, or unset CLAMD_OPTIONAL.",
    );
  return { clamdUrl, clamdOptional };
}

function parseStreamsMode(raw: string | undefined): StreamsMode {
  const mode = raw?.trim() || "socket";
  if (mode === "socket" || mode === "response") return mode;
  throw new Error(
    `HATCH_STREAMS "${mode}" is not a mode: set socket (the default) or response (streams on node:http's response).`,
  );
}

/** Descriptors kept for the store, the log, Redis and files being written: a tenth of the limit, at least 64. */
const reservedDescriptors = (limit: number) => Math.max(64, Math.floor(limit / 10));
/** Fewer connections than this leave no room for the essentials beside anything else. */
const MIN_CONNECTIONS = 10;

/**
 * Connections past which only /healthz, /readyz, /metrics and the console are answered (the others
 * get 503 and a closed connection): the last tenth of the cap, at least 2, is kept for them.
 */
export function busyAt(maxConnections: number): number {
  return maxConnections - Math.max(2, Math.floor(maxConnections / 10));
}

/**
 * The caps that keep clients from taking every descriptor: connections below the process's limit,
 * event streams below the busy level (80 % of the connections by default), and a short wait for a
 * request's head, so a slow one holds its descriptor seconds rather than Node's minute and more.
 */
function connectionLimits(
  env: Record<string, string | undefined>,
  descriptors: number,
): Pick<Config, "descriptorLimit" | "maxConnections" | "maxStreams" | "headersTimeoutMs"> {
  const maxConnections = parseWhole(
    env.HATCH_MAX_CONNECTIONS,
    "HATCH_MAX_CONNECTIONS",
    Math.max(MIN_CONNECTIONS, descriptors - reservedDescriptors(descriptors)),
    [MIN_CONNECTIONS, descriptors],
    `this process may open ${descriptors} files: raise that with ulimit -n first`,
  );
  const maxStreams = parseWhole(
    env.HATCH_MAX_STREAMS,
    "HATCH_MAX_STREAMS",
    Math.floor(maxConnections * 0.8),
    [1, busyAt(maxConnections)],
    `the rest of HATCH_MAX_CONNECTIONS (${maxConnections}) is kept for /healthz, /readyz and the console`,
  );
  const headersTimeoutMs = parseWhole(
    env.HATCH_HEADERS_TIMEOUT_MS,
    "HATCH_HEADERS_TIMEOUT_MS",
    10_000,
    [100, 60_000],
    "a request's head is a few hundred bytes",
  );
  return { descriptorLimit: descriptors, maxConnections, maxStreams, headersTimeoutMs };
}

/** A whole number from `min` to `max`, or `fallback` when unset; `why` says why the bounds are what they are. */
function parseWhole(
  raw: string | undefined,
  name: string,
  fallback: number,
  [min, max]: readonly [number, number],
  why: string,
): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || value < min || value > max)
    throw new Error(
      `${name} "${raw}" is not a whole number from ${min} to ${max} (${why}): set one, or unset it for ${fallback}.`,
    );
  return value;
}

/**
 * PostgreSQL and Redis go together: instances that share a database share their limits, events and
 * cache invalidation through Redis, or a block made on one would not reach the others. One process on
 * PostgreSQL alone could work, but nothing would stop a second one joining it half-blind, so
 * DATABASE_URL without REDIS_URL is refused at start.
 */
function sharedServices(env: Record<string, string | undefined>): Pick<Config, "databaseUrl" | "redisUrl"> {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      `DATABASE_URL must be a postgres:// URL, e.g. postgres://hatch:secret@db.internal:5432/hatch; leave it unset for SQLite in DATA_DIR.`,
    );
  }
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    throw new Error(`REDIS_URL must be a redis:// (or rediss://) URL, e.g. redis://cache.internal:6379.`);
  }
  if (databaseUrl !== null && redisUrl === null) {
    throw new Error(
      "DATABASE_URL is set but REDIS_URL is not: instances on one PostgreSQL share their limits, events and caches through Redis. Set REDIS_URL, or unset DATABASE_URL for one process on SQLite.",
    );
  }
  if (redisUrl !== null && databaseUrl === null) {
    throw new Error(
      "REDIS_URL is set but DATABASE_URL is not: SQLite serves one process, which needs no Redis. Set DATABASE_URL to run several instances, or unset REDIS_URL.",
    );
  }
  return { databaseUrl, redisUrl };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function parseLogLevel(raw: string | undefined): string {
  const level = raw?.trim().toLowerCase() || "info";
  if (!LOG_LEVELS.includes(level))
    throw new Error(`LOG_LEVEL "${raw}" is not a level: use one of ${LOG_LEVELS.join(", ")}.`);
  return level;
}

/** A URL as it may be printed: without its password. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 8787;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT "${raw}" is not a port number: use a whole number from 0 to 65535 (0 picks a free port).`);
  }
  return port;
}

function parseTrustProxy(raw: string | undefined): Config["trustProxy"] {
  const text = raw?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function clamdLine({ clamdUrl, clamdOptional }: Config): string {
  if (clamdUrl === null) return "CLAMD_URL=none (uploads are not scanned for viruses)";
  const optional = clamdOptional
    ? "1 (clamd down: uploads go unscanned)"
    : "0 (clamd down: uploads are refused, /readyz is 503)";
  return `CLAMD_URL=${clamdUrl}  CLAMD_OPTIONAL=${optional}`;
}

/** The lines printed at start. */
export function describeConfig(config: Config): string[] {
  const trust =
    config.trustProxy === null
      ? "none"
      : Array.isArray(config.trustProxy)
        ? config.trustProxy.join(", ")
        : `${config.trustProxy} hop(s)`;
  return [
    `HOST=${config.host}  PORT=${config.port}`,
    `DATA_DIR=${config.dataDir}`,
    `PUBLIC_URL=${config.publicUrl}`,
    `TRUST_PROXY=${trust}`,
    `COUNTRY_HEADER=${config.countryHeader ?? "none"}`,
    `GEOIP_DB=${config.geoipDb}`,
    `ASN_DB=${config.asnDb ?? "the bundled @ip-location-db/asn data (loaded once a policy needs it)"}`,
    `TOR_EXIT_LIST=${config.torExitList ?? "none (the Tor switch has no list)"}`,
    `DATABASE_URL=${config.databaseUrl === null ? "none (SQLite in DATA_DIR)" : withoutPassword(config.databaseUrl)}`,
    `REDIS_URL=${config.redisUrl === null ? "none (one process)" : withoutPassword(config.redisUrl)}`,
    `METRICS_TOKEN=${config.metricsToken === null ? "none (GET /metrics is off)" : "set"}`,
    `SMTP_URL=${config.smtpUrl === null ? "none (no mail: the console says so in Options)" : withoutPassword(config.smtpUrl)}  MAIL_FROM=${config.mailFrom}`,
    clamdLine(config),
    `WEBHOOKS_ALLOW_PRIVATE=${config.webhooksAllowPrivate ? "1 (webhooks may reach private addresses)" : "0"}`,
    `HATCH_MAX_CONNECTIONS=${config.maxConnections} (${config.descriptorLimit} open files allowed; past ${busyAt(config.maxConnections)} connections only /healthz, /readyz, /metrics and the console are answered)`,
    `HATCH_MAX_STREAMS=${config.maxStreams} (${visitorStreamCap(config.maxStreams)} for visitors, the rest for the console)`,
    `HATCH_HEADERS_TIMEOUT_MS=${config.headersTimeoutMs}`,
    `HATCH_STREAMS=${config.streams}${config.streams === "socket" && !takeoverAvailable ? " (this Node lacks what the takeover uses: streams stay on the response)" : ""}`,
  ];
}
