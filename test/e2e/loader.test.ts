// The loader is safe on any host page: defer as well as async, no globals, no console noise,
// a failed verdict shows nothing and is not retried, and prototype tampering does not fool it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../server/harness";
import {
  sharedChromium,
  releaseChromium,
  loaderSettled,
  newTab,
  recordRequests,
  startHostSite,
  type HostSite,
} from "./browser";

let h: Harness;
let owner: ConsoleClient;
let browser: Browser;
let broken: Server;
let brokenUrl: string;

function page(chatUrl: string, { attribute = "async", before = "" } = {}) {
  return `<!doctype html><html><head><title>Host</title><script>${before}</script></head><body><h1>Shop</h1>
<script>window.hatchTestBefore = Object.keys(window);</script>
<script ${attribute} src="${chatUrl}/loader.js" data-account="acme"></script></body></html>`;
}

async function visit(site: HostSite, chatUrl: string) {
  const tab = await newTab(browser);
  const context = tab.context();
  const logs: string[] = [];
  tab.on("console", (message) => logs.push(message.text()));
  tab.on("pageerror", (error) => logs.push(error.message));
  const requests = recordRequests(tab, chatUrl);
  await tab.goto(site.origin);
  // Idle for half a second: a retry of a failed verdict would have been asked by then.
  await tab.waitForLoadState("networkidle");
  await loaderSettled(tab);
  const hosts = await tab.locator("hatch-chat").count();
  const newGlobals = await tab.evaluate(() => {
    const before = (window as unknown as { hatchTestBefore: string[] }).hatchTestBefore;
    return Object.keys(window).filter((key) => key !== "hatchTestBefore" && !before.includes(key));
  });
  await context.close();
  return { hosts, logs, newGlobals, requests: requests.map((r) => new URL(r.url()).pathname) };
}

beforeAll(async () => {
  h = await startHarness();
  ({ owner } = await signInAll(h));
  browser = await sharedChromium();
  // A chat host whose loader works but whose API fails: the verdict answers 500.
  broken = createServer((req, res) => {
    if (req.url === "/loader.js") {
      void fetch(`${h.url}/loader.js`).then(async (r) => {
        res.writeHead(200, { "content-type": "text/javascript", "access-control-allow-origin": "*" });
        res.end(await r.text());
      });
      return;
    }
    res.writeHead(500, { "access-control-allow-origin": "*" });
    res.end("down");
  });
  await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await releaseChromium(browser);
  broken?.close();
  await h?.stop();
});

describe("the loader on a host page", () => {
  it("works with defer and leaves no global names behind", async () => {
    const site = await startHostSite(() => page(h.url, { attribute: "defer" }));
    try {
      const result = await visit(site, h.url);
      expect(result.hosts).toBe(1);
      expect(result.newGlobals).toEqual([]);
      expect(result.logs).toEqual([]);
    } finally {
      await site.close();
    }
  });

  it("shows nothing, logs nothing and does not retry when the verdict fails", async () => {
    const site = await startHostSite(() => page(brokenUrl));
    try {
      const result = await visit(site, brokenUrl);
      expect(result.hosts).toBe(0);
      expect(result.requests).toEqual(["/loader.js", "/api/v1/widget/acme/verdict"]);
      // Chromium itself reports the failed fetch's status; the loader adds nothing of its own.
      expect(result.logs.filter((line) => !line.includes("500"))).toEqual([]);
    } finally {
      await site.close();
    }
  });

  it("is not fooled into showing by a page that adds show, ticket and config to Object.prototype", async () => {
    await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "127.0.0.1", comment: "e2e tamper" },
    });
    const tamper =
      "Object.prototype.show = true; Object.prototype.ticket = 'x'; Object.prototype.config = { widget: '/evil.js' };";
    const site = await startHostSite(() => page(h.url, { before: tamper }));
    try {
      const result = await visit(site, h.url);
      expect(result.hosts).toBe(0);
      expect(result.requests).toEqual(["/loader.js", "/api/v1/widget/acme/verdict"]);
    } finally {
      await site.close();
      const { rules } = await (await owner.fetch("/api/v1/console/ip-rules")).json();
      for (const rule of rules) await owner.fetch(`/api/v1/console/ip-rules/${rule.id}`, { method: "DELETE" });
      await editPolicy(owner, () => undefined);
    }
  });
});

describe("the widget across page loads", () => {
  it("resumes the conversation on the next page load", async () => {
    const site = await startHostSite(() => page(h.url));
    try {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(site.origin);
      await tab.getByRole("button", { name: "Open chat" }).click();
      await tab.getByRole("textbox", { name: "Message", exact: true }).fill("Remember me");
      await tab.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => tab.getByRole("log").textContent()).toContain("Remember me");
      await tab.reload();
      await tab.getByRole("button", { name: "Open chat" }).click();
      await expect.poll(() => tab.getByRole("log").textContent()).toContain("Remember me");
      await context.close();
    } finally {
      await site.close();
    }
  });
});
