// The loader in a real browser: hidden means nothing added and exactly one request after the loader.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { editPolicy, startHarness, type ConsoleClient, type Harness } from "../server/harness";
import {
  sharedChromium,
  releaseChromium,
  loaderSettled,
  newTab,
  recordRequests,
  snippetPage,
  startHostSite,
  verdictSettled,
  type HostSite,
} from "./browser";

let h: Harness;
let owner: ConsoleClient;
let site: HostSite;
let browser: Browser;

/** Opens the host page with optional proxy headers and waits for the verdict to be answered. */
async function visit(path: string, headers: Record<string, string> = {}) {
  const page = await newTab(browser);
  const context = page.context();
  // What a CDN in front of the chat host adds; set below the page, so no CORS preflight is caused.
  await page.route(`${h.url}/**`, (route) => route.continue({ headers: { ...route.request().headers(), ...headers } }));
  const requests = recordRequests(page, h.url);
  const verdict = verdictSettled(page);
  await page.goto(`${site.origin}${path}`);
  await verdict;
  await loaderSettled(page);
  // A shown chat has its host element now; the widget it imports draws the button.
  if ((await page.locator("hatch-chat").count()) > 0) await page.getByRole("button", { name: "Open chat" }).waitFor();
  const hosts = await page.locator("hatch-chat").count();
  await context.close();
  return { hosts, requests: requests.map((r) => new URL(r.url()).pathname) };
}

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback", COUNTRY_HEADER: "cf-ipcountry" });
  owner = await h.login("acme", "owner@acme.test");
  site = await startHostSite(() => snippetPage(h.url, "acme"));
  browser = await sharedChromium();
});
afterAll(async () => {
  await releaseChromium(browser);
  await site?.close();
  await h?.stop();
});

describe("the loader decides before anything is drawn", () => {
  it("shows the chat on an allowed page", async () => {
    const { hosts, requests } = await visit("/shop");
    expect(hosts).toBe(1);
    expect(requests[0]).toBe("/loader.js");
    expect(requests[1]).toBe("/api/v1/widget/acme/verdict");
    expect(requests.some((path) => path.startsWith("/widget/"))).toBe(true);
  });

  it.each([
    ["a blocked IP", { "x-forwarded-for": "203.0.113.9" }],
    ["a blocked country", { "x-forwarded-for": "192.0.2.1", "cf-ipcountry": "RU" }],
  ])("adds nothing and asks nothing more for %s", async (_name, headers) => {
    await owner.fetch("/api/v1/console/ip-rules", { method: "POST", json: { text: "203.0.113.0/24", comment: "e2e" } });
    await editPolicy(owner, (doc) => {
      doc.countries = { mode: "block", list: ["RU"] };
    });
    const { hosts, requests } = await visit("/shop", headers);
    expect(hosts).toBe(0);
    expect(requests).toEqual(["/loader.js", "/api/v1/widget/acme/verdict"]);
  });

  it.each([
    ["a blocked page", ["localhost"], ["localhost/admin"], "/admin/users"],
    ["an unlisted site", ["shop.example"], [], "/shop"],
  ])("adds nothing and asks nothing more on %s", async (_name, allowed, blocked, path) => {
    await editPolicy(owner, (doc) => {
      doc.countries = { mode: "off", list: [] };
      doc.websites = { allowed, blocked };
    });
    const { hosts, requests } = await visit(path);
    expect(hosts).toBe(0);
    expect(requests).toEqual(["/loader.js", "/api/v1/widget/acme/verdict"]);
    await editPolicy(owner, (doc) => {
      doc.websites = { allowed: [], blocked: [] };
    });
  });
});
