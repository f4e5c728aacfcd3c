// The demo's load balancer tries another instance only where nginx would: a refused connection, or a
// method that changes nothing. A POST an instance took and died on is answered 502, never done twice.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startRoundRobinProxy, type RoundRobinProxy } from "../../demo/round-robin-proxy";
import { freePort } from "../../demo/services";

interface Target {
  url: string;
  /** The method and body of each request this target read whole. */
  seen: string[];
  server: Server;
}

const open: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** An instance that reads each request whole, then answers with its name or, when `dies`, drops the connection. */
async function target(name: string, dies = false): Promise<Target> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push(`${req.method} ${Buffer.concat(chunks).toString()}`);
      if (dies) res.socket?.destroy();
      else res.end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push({ close: () => server.closeAllConnections() ?? new Promise((done) => server.close(done)) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

async function proxyTo(urls: string[]): Promise<RoundRobinProxy> {
  const proxy = await startRoundRobinProxy(urls);
  open.push(proxy);
  return proxy;
}

describe("the round-robin proxy", () => {
  it("sends a POST to the next instance when the first refuses the connection", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const up = await target("B");
    const proxy = await proxyTo([down, up.url]);
    const answer = await fetch(`${proxy.url}/messages`, { method: "POST", body: "hello" });
    expect([answer.status, await answer.text(), up.seen]).toEqual([200, "B", ["POST hello"]]);
  });

  it("answers 502 to a POST the instance read and died on, and never sends it to another", async () => {
    const dying = await target("A", true);
    const other = await target("B");
    const proxy = await proxyTo([dying.url, other.url]);
    const answer = await fetch(`${proxy.url}/messages`, { method: "POST", body: "once" });
    expect([answer.status, dying.seen, other.seen]).toEqual([502, ["POST once"], []]);
  });

  it("opens a connection per request, so that an instance killed between two is refused, never reset", async () => {
    const only = await target("A");
    let connections = 0;
    only.server.on("connection", () => connections++);
    const proxy = await proxyTo([only.url]);
    for (const text of ["one", "two"])
      await (await fetch(`${proxy.url}/messages`, { method: "POST", body: text })).text();
    expect([connections, only.seen]).toEqual([2, ["POST one", "POST two"]]);
  });

  it("sends a GET the instance died on to the next one", async () => {
    const dying = await target("A", true);
    const other = await target("B");
    const proxy = await proxyTo([dying.url, other.url]);
    const answer = await fetch(`${proxy.url}/healthz`);
    expect([answer.status, await answer.text(), other.seen]).toEqual([200, "B", ["GET "]]);
  });
});
