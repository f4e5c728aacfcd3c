// Starts the whole demo on loopback: the chat server, the visitor proxy in front of it, the host site
// and the copied site, the demo account, and the demo's Tor exit list. `npm run demo` (demo/main.ts)
// and the e2e tests use it.

import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../server/config";
import type { ScryptParams } from "../server/auth/passwords";
import { startServer, type RunningServer } from "../server/server";
import { copiedPage } from "./copied-page";
import { hostPage, type DemoPageInfo } from "./host-page";
import { DEMO_COUNTRY_HEADER, TOR_EXITS } from "./presets";
import { sampleFileBytes } from "./sample-files";
import { seedDemoAccount } from "./seed";
import { createVisitorProxy, type VisitorProxy } from "./visitor-proxy";

export interface DemoPorts {
  proxy: number;
  host: number;
  copied: number;
  chat: number;
}

export interface DemoOptions {
  /** 0 picks a free port. Default: portsFrom(8800). */
  ports?: DemoPorts;
  /** The chat server's DATA_DIR. Default ./data-demo, so the demo never touches ./data. */
  dataDir?: string;
  /** Where GEOIP_DB and ASN_DB come from, if set. */
  env?: Record<string, string | undefined>;
  /** scrypt's cost for the demo users' passwords: OWASP's unless the tests lower it (Config's passwordCost). */
  passwordCost?: ScryptParams;
}

export interface Demo {
  urls: { host: string; copied: string; proxy: string; console: string; chat: string };
  /** The website pattern the account allows: the host site. */
  hostPattern: string;
  /** The demo's Tor exit list, in the data directory: what TOR_EXIT_LIST names. */
  torExitList: string;
  /** What the chat server trusts as its proxy (TRUST_PROXY), and why, for the printout. */
  trust: { trustProxy: string; note: string };
  server: RunningServer;
  proxy: VisitorProxy;
  close(): Promise<void>;
}

/** Proxy at `base`, host site at base+1, copied site at base+2, chat server at base+3. */
export function portsFrom(base: number): DemoPorts {
  return { proxy: base, host: base + 1, copied: base + 2, chat: base + 3 };
}

// The chat server trusts exactly the proxy. All four servers are on loopback, and so is QA's browser,
// so trusting "loopback" would also believe an X-Forwarded-For that a browser sends straight to the
// chat server. Instead the proxy connects from its own source address, 127.0.0.2 (Linux routes all of
// 127.0.0.0/8 to lo), and TRUST_PROXY names only that address; everything else comes from 127.0.0.1.
const PROXY_SOURCE = "127.0.0.2";

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const ports = options.ports ?? portsFrom(8800);
  const sourceOk = await canBind(PROXY_SOURCE);
  const trust = sourceOk
    ? { trustProxy: PROXY_SOURCE, note: `only the demo proxy, which connects from ${PROXY_SOURCE}` }
    : {
        trustProxy: "loopback",
        note: `every loopback address: ${PROXY_SOURCE} is not usable here (e.g. macOS), so a browser talking to the chat server directly could set its own X-Forwarded-For`,
      };

  const dataDir = resolve(options.dataDir ?? "./data-demo");
  const torExitList = join(dataDir, "tor-exits.txt");
  let chat: RunningServer | null = null;
  const started: Server[] = [];
  const pageInfo = (): DemoPageInfo => ({
    hostOrigin,
    copiedOrigin,
    proxyOrigin,
    hostPattern,
    torExitList,
    visitor: proxy.visitor(),
  });
  const proxy = createVisitorProxy({
    target: () => (chat ? new URL(chat.url) : null),
    countryHeader: DEMO_COUNTRY_HEADER,
    localAddress: sourceOk ? PROXY_SOURCE : undefined,
    panelOrigins: () => [hostOrigin, copiedOrigin],
  });
  let proxyOrigin = "";
  let hostOrigin = "";
  let copiedOrigin = "";
  let hostPattern = "";
  const close = async () => {
    for (const server of started) server.closeAllConnections();
    await Promise.all(started.map((server) => new Promise((done) => server.close(done))));
    await chat?.close();
  };

  try {
    proxyOrigin = `http://127.0.0.1:${await listen(proxy.server, ports.proxy, started)}`;
    // "localhost" and "127.0.0.1" are different origins: the host and copied sites are two sites.
    const hostPort = await listen(
      siteServer(() => hostPage(pageInfo()), true),
      ports.host,
      started,
    );
    hostOrigin = `http://localhost:${hostPort}`;
    hostPattern = `localhost:${hostPort}`;
    copiedOrigin = `http://127.0.0.1:${await listen(
      siteServer(() => copiedPage(pageInfo()), false),
      ports.copied,
      started,
    )}`;

    // startServer does not report a port in use; say so here rather than crash on its "error" event.
    if (ports.chat !== 0 && !(await canBind("127.0.0.1", ports.chat))) {
      throw new Error(`Port ${ports.chat} is in use: set DEMO_PORT_BASE to start the demo's four ports elsewhere.`);
    }
    writeTorExitList(torExitList);
    const config = loadConfig({
      GEOIP_DB: options.env?.GEOIP_DB,
      ASN_DB: options.env?.ASN_DB,
      HOST: "127.0.0.1",
      PORT: String(ports.chat),
      DATA_DIR: dataDir,
      // Browsers reach Hatch through the proxy, so the snippet and the console name the proxy.
      PUBLIC_URL: proxyOrigin,
      TRUST_PROXY: trust.trustProxy,
      COUNTRY_HEADER: DEMO_COUNTRY_HEADER,
      TOR_EXIT_LIST: torExitList,
    });
    chat = await startServer({ ...config, passwordCost: options.passwordCost ?? config.passwordCost });
    await seedDemoAccount(chat, hostPattern);
    await networksReady(chat);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    urls: {
      host: `${hostOrigin}/`,
      copied: `${copiedOrigin}/`,
      proxy: proxyOrigin,
      console: `${proxyOrigin}/console/`,
      chat: chat.url,
    },
    hostPattern,
    torExitList,
    trust,
    server: chat,
    proxy,
    close,
  };
}

/**
 * The demo's Tor exit list, in the format of https://check.torproject.org/torbulkexitlist (one address a
 * line), written afresh at every start so the "A Tor exit" and "A challenged visitor" presets always have
 * their addresses listed.
 */
function writeTorExitList(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, TOR_EXITS.map((exit) => `${exit}\n`).join(""));
}

// The ASN data takes a second or two to load, and the Tor list a moment to read. Until then a page
// view's verdict shows the chat to the hosting and Tor presets (Hatch never makes a page view wait for
// them), so the demo is ready only once both are in.
const TOR_LIST_WAIT_MS = 5_000;

async function networksReady(chat: RunningServer): Promise<void> {
  const { networks } = chat.deps;
  await networks.ready();
  const deadline = Date.now() + TOR_LIST_WAIT_MS;
  while (networks.tor.loadedAt === null) {
    if (Date.now() > deadline)
      throw new Error(`The demo's Tor exit list ${chat.deps.config.torExitList} was not read in time.`);
    await sleep(10);
  }
  if (networks.tor.error) throw new Error(networks.tor.error);
}

/** A demo site: its page at every path (so QA can try path rules such as `/blocked`), and the sample files at `/files/NAME` when `files`. */
function siteServer(page: () => string, files: boolean): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://demo").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") return text(res, 405, "Only GET here.");
    if (!path.startsWith("/files/")) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      return res.end(page());
    }
    const name = files && path.startsWith("/files/") ? path.slice("/files/".length) : "";
    // Sample names are plain ASCII, so the path holds them as they are.
    const bytes = sampleFileBytes(name);
    if (!bytes) return text(res, 404, "There is no such sample file.");
    // Downloaded, never rendered here: some of these files are hostile on purpose.
    res.writeHead(200, {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="${name}"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Length": bytes.length,
    });
    res.end(bytes);
  });
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(body);
}

/** Listens on 127.0.0.1 and returns the port; names the port when it is taken. */
function listen(server: Server, port: number, started: Server[]): Promise<number> {
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      fail(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} is in use: set DEMO_PORT_BASE to start the demo's four ports elsewhere.`)
          : error,
      );
    });
    server.listen(port, "127.0.0.1", () => {
      started.push(server);
      done((server.address() as AddressInfo).port);
    });
  });
}

/** Whether this machine can listen on `address` and `port` (0: any port, so whether the address is usable). */
function canBind(address: string, port = 0): Promise<boolean> {
  return new Promise((done) => {
    const probe = createNetServer();
    probe.once("error", () => done(false));
    probe.listen(port, address, () => probe.close(() => done(true)));
  });
}
