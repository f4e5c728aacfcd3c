// Configuration from environment variables, each with a safe default (DESIGN.md "Configuration").
// The server prints what it resolved at start, so an operator sees what is really in force.

import { createRequire } from "node:module";
import { resolve } from "node:path";

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
}

const require = createRequire(import.meta.url);

/** The bundled country database: @ip-location-db/geo-whois-asn-country-mmdb, CC BY 4.0. */
export function bundledGeoipDb(): string {
  return require.resolve("@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb");
}

/** Reads the configuration; throws with a message naming the variable when one is malformed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const host = env.HOST?.trim() || "127.0.0.1";
  const port = parsePort(env.PORT);
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/+$/, "");
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new Error(`PUBLIC_URL "${publicUrl}" is not an http(s) URL: set it to the origin visitors reach Hatch at, e.g. https://chat.example.com.`);
  }
  return {
    host,
    port,
    dataDir: resolve(env.DATA_DIR?.trim() || "./data"),
    publicUrl,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    countryHeader: env.COUNTRY_HEADER?.trim().toLowerCase() || null,
    geoipDb: env.GEOIP_DB?.trim() || bundledGeoipDb(),
  };
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
  return text.split(",").map((part) => part.trim()).filter((part) => part !== "");
}

/** The lines printed at start. */
export function describeConfig(config: Config): string[] {
  const trust = config.trustProxy === null ? "none" : Array.isArray(config.trustProxy) ? config.trustProxy.join(", ") : `${config.trustProxy} hop(s)`;
  return [
    `HOST=${config.host}  PORT=${config.port}`,
    `DATA_DIR=${config.dataDir}`,
    `PUBLIC_URL=${config.publicUrl}`,
    `TRUST_PROXY=${trust}`,
    `COUNTRY_HEADER=${config.countryHeader ?? "none"}`,
    `GEOIP_DB=${config.geoipDb}`,
  ];
}
