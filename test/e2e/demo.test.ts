// `npm run demo` in Chromium: each visitor preset gets the verdict the host page promises, the copied
// site gets no chat and cannot read Hatch's answer, and the printed credentials sign in through the proxy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  BLOCKED_IP,
  DEMO_ACCOUNT,
  DEMO_NETWORKS,
  DEMO_USERS,
  HOSTING_AS,
  HOSTING_IP,
  TOR_EXITS,
  VISITOR_PRESETS,
} from "../../demo/presets";
import { sampleFileBytes, SAMPLE_FILES } from "../../demo/sample-files";
import { startDemo, type Demo } from "../../demo/start-demo";
import { detectFile } from "../../policy/file-kind";
import { isHostingAs } from "../../policy/hosting";
import { parseIp } from "../../policy/ip";
import { keepScreenshot, sharedChromium, releaseChromium, loaderSettled, newTab, verdictSettled } from "./browser";

let demo: Demo;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "hatch-demo-"));
  demo = await startDemo({ ports: { proxy: 0, host: 0, copied: 0, chat: 0 }, dataDir });
  browser = await sharedChromium();
}, 30_000);
afterAll(async () => {
  await releaseChromium(browser);
  await demo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the host site and lets `choose` pick a visitor on its panel, which reloads the page. */
async function hostSiteAs(choose: (page: Page) => Promise<void>): Promise<Page> {
  const page = await newTab(browser, { viewport: { width: 1100, height: 900 } });
  const first = verdictSettled(page);
  await page.goto(demo.urls.host);
  await first;
  const again = verdictSettled(page);
  await choose(page);
  await again;
  await loaderSettled(page);
  return page;
}

describe("the host site's visitor presets", () => {
  // A fresh browser each: a preset whose story starts with another step (banning this browser) is
  // walked whole in test/e2e/capabilities/visitor-ban.test.ts.
  it.each(VISITOR_PRESETS.map((preset) => [preset.label, preset] as const))(
    "%s: in a fresh browser, the chat is shown or hidden as the page says",
    async (_label, preset) => {
      const page = await hostSiteAs((p) => p.getByRole("button", { name: preset.label }).click());
      expect(await page.locator("#current-visitor").textContent()).toContain(`IP ${preset.ip}`);
      if (preset.first) {
        expect(await page.locator(".now").textContent()).toContain("once you have done its first step");
        // The printout of npm run demo says what follows the first step, not what a fresh browser sees.
        expect(preset.afterFirst).toMatch(/\S/);
      }
      if (preset.shown) {
        await expect.poll(() => page.getByRole("button", { name: "Open chat" }).isVisible()).toBe(true);
      } else {
        expect(await page.locator("hatch-chat").count()).toBe(0);
      }
      await keepScreenshot(page, `demo-${preset.id}`);
      await page.context().close();
    },
  );

  it("takes any visitor from the free fields, and refuses a malformed address with a reason", async () => {
    const page = await hostSiteAs(async (p) => {
      await p.getByLabel("IP address").fill("01.2.3.4");
      await p.getByRole("button", { name: "Use this visitor" }).click();
      await expect.poll(() => p.getByRole("alert").textContent()).toContain("leading zero");
      await p.getByLabel("IP address").fill("2001:db8::7");
      await p.getByLabel("Country").fill("ru");
      await p.getByRole("button", { name: "Use this visitor" }).click();
    });
    expect(await page.locator("#current-visitor").textContent()).toBe("IP 2001:db8::7, country RU");
    expect(await page.locator("hatch-chat").count()).toBe(0);
    await page.context().close();
  });
});

describe("the copied site", () => {
  it("gets no chat, and cannot read Hatch's answer", async () => {
    await hostSiteAs((p) => p.getByRole("button", { name: "An allowed visitor" }).click()).then((p) =>
      p.context().close(),
    );
    const page = await (await browser.newContext()).newPage();
    const verdict = verdictSettled(page);
    await page.goto(demo.urls.copied);
    await verdict;
    await expect.poll(() => page.locator("#probe").textContent()).toContain("refused to let this page read");
    expect(await page.locator("hatch-chat").count()).toBe(0);
    const read = await page.evaluate(
      (url) =>
        fetch(`${url}?page=${encodeURIComponent(location.href)}`).then(
          () => "read",
          () => "refused",
        ),
      `${demo.urls.proxy}/api/v1/widget/${DEMO_ACCOUNT.id}/verdict`,
    );
    expect(read).toBe("refused");
    await keepScreenshot(page, "demo-copied-site");
    await page.context().close();

    // What the browser was refused: an answer with no Access-Control-Allow-Origin for the copied origin.
    const copiedOrigin = new URL(demo.urls.copied).origin;
    const answer = await fetch(
      `${demo.urls.proxy}/api/v1/widget/${DEMO_ACCOUNT.id}/verdict?page=${encodeURIComponent(demo.urls.copied)}`,
      { headers: { origin: copiedOrigin } },
    );
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(await answer.json()).toEqual({ show: false });
  });
});

/** What the demo puts in place at every start: the account's users, its rules and switches, the Tor list. */
async function expectSeeded(): Promise<void> {
  const { accounts, policies, rules } = demo.server.deps;
  expect((await accounts.listUsers(DEMO_ACCOUNT.id)).map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email));
  expect((await rules.list(DEMO_ACCOUNT.id, {}, Date.now())).map((r) => r.rule)).toEqual([BLOCKED_IP]);
  const document = (await policies.getPolicy(DEMO_ACCOUNT.id))?.document;
  expect(document?.websites.allowed).toEqual([demo.hostPattern]);
  expect(document?.networks).toEqual(DEMO_NETWORKS);
  expect(readFileSync(demo.torExitList, "utf8")).toBe(TOR_EXITS.map((exit) => `${exit}\n`).join(""));
  expect(demo.server.deps.networks.tor).toMatchObject({
    file: basename(demo.torExitList),
    addresses: TOR_EXITS.length,
    error: null,
  });
}

describe("the demo's set-up", () => {
  it("seeds its rules and network switches and writes its Tor exit list", async () => {
    await expectSeeded();
  });

  it("names in its hosting preset an address the bundled ASN data puts in a network the hosting switch hides", async () => {
    const address = parseIp(HOSTING_IP);
    if (!address.ok) throw new Error(address.error.message);
    expect(await demo.server.deps.networks.asOfLoaded(address.address)).toEqual(HOSTING_AS);
    expect(isHostingAs(HOSTING_AS.asn)).toBe(true);
  });

  it.each(DEMO_USERS.map((user) => [user.email, user] as const))(
    "signs %s in through the proxy with the printed password",
    async (_email, user) => {
      const response = await fetch(`${demo.urls.proxy}/api/v1/console/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: demo.urls.proxy },
        body: JSON.stringify({ account: DEMO_ACCOUNT.id, email: user.email, password: user.password }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        account: DEMO_ACCOUNT.id,
        user: { email: user.email, role: user.role },
      });
    },
  );

  it("believes X-Forwarded-For from the proxy only, not from a browser talking to the chat server directly", async (context) => {
    if (demo.trust.trustProxy === "loopback") context.skip();
    const hostOrigin = new URL(demo.urls.host).origin;
    const direct = await fetch(
      `${demo.urls.chat}/api/v1/widget/${DEMO_ACCOUNT.id}/verdict?page=${encodeURIComponent(demo.urls.host)}`,
      {
        headers: { origin: hostOrigin, "x-forwarded-for": BLOCKED_IP },
      },
    );
    // The spoofed address is ignored: the verdict is the socket's (127.0.0.1), which no rule blocks.
    expect(await direct.json()).toMatchObject({ show: true });
  });

  it("starts again on the same data without duplicating the account, users or rules, and writes its Tor list afresh", async () => {
    writeFileSync(demo.torExitList, "");
    await demo.close();
    demo = await startDemo({ ports: { proxy: 0, host: 0, copied: 0, chat: 0 }, dataDir });
    await expectSeeded();
  });

  it.each(SAMPLE_FILES.map((file) => [file.name, file] as const))(
    "offers %s for download, of the category the page names",
    async (name, file) => {
      expect(detectFile(sampleFileBytes(name)!, name).category).toBe(file.category);
      const download = await fetch(`${demo.urls.host}files/${name}`);
      expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(sampleFileBytes(name));
    },
  );
});
