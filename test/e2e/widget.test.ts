// The widget in a real browser against a real server: chatting, refusing a disguised file before
// any upload, disappearing when blocked mid-chat, and surviving hostile host CSS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInAll, startHarness, type ConsoleClient, type Harness } from "../server/harness";
import { readFixture } from "../fixtures/read";
import {
  sharedChromium,
  releaseChromium,
  keepScreenshot,
  loaderSettled,
  newTab,
  recordRequests,
  snippetPage,
  startHostSite,
  type HostSite,
} from "./browser";

const HOSTILE_CSS =
  "<style>* { all: unset } div { display: none !important } button { display: none !important }</style>";

let h: Harness;
let agent: ConsoleClient;
let owner: ConsoleClient;
let site: HostSite;
let browser: Browser;

/** A fresh visitor on the host page, from `ip` (set by the trusted proxy header). */
async function visitor(ip: string, path = "/shop"): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.route(`${h.url}/**`, (route) =>
    route.continue({ headers: { ...route.request().headers(), "x-forwarded-for": ip } }),
  );
  await page.goto(`${site.origin}${path}`);
  return page;
}

async function openChat(page: Page) {
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect.poll(() => page.getByRole("dialog", { name: "Chat with us" }).isVisible()).toBe(true);
}

async function sendMessage(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** The pending chat request from `ip`, as the agent's API sees it, once it exists. */
async function requestFrom(ip: string): Promise<{ id: string; visitorIp: string }> {
  let found: { id: string; visitorIp: string } | undefined;
  await expect
    .poll(async () => {
      const { conversations } = await (await agent.fetch("/api/v1/console/conversations?status=pending")).json();
      found = (conversations as { id: string; visitorIp: string }[]).find((c) => c.visitorIp === ip);
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback", COUNTRY_HEADER: "cf-ipcountry" });
  ({ owner, agent } = await signInAll(h));
  site = await startHostSite((path) => snippetPage(h.url, "acme", path.startsWith("/hostile") ? HOSTILE_CSS : ""));
  browser = await sharedChromium();
});
afterAll(async () => {
  await releaseChromium(browser);
  await site?.close();
  await h?.stop();
});

describe("the widget", () => {
  it("carries a message from the visitor to the agent and the answer back", async () => {
    const page = await visitor("192.0.2.10");
    await openChat(page);
    await sendMessage(page, "Hello, is anyone there?");
    const request = await requestFrom("192.0.2.10");
    await expect
      .poll(async () => {
        const { messages } = await (await agent.fetch(`/api/v1/console/conversations/${request.id}`)).json();
        return messages.map((m: { text: string }) => m.text);
      })
      .toContain("Hello, is anyone there?");
    await agent.fetch(`/api/v1/console/conversations/${request.id}/accept`, { method: "POST" });
    await agent.fetch(`/api/v1/console/conversations/${request.id}/messages`, {
      method: "POST",
      json: { text: "Hi! How can I help?" },
    });
    await expect.poll(() => page.getByRole("log").textContent()).toContain("Hi! How can I help?");
    await page.context().close();
  });

  it("asks for no ticket on a page view, and for one when the visitor first writes", async () => {
    const page = await visitor("192.0.2.13");
    // Resource timing lists every fetch the page made, the loader's and the widget's.
    const paths = () =>
      page.evaluate(() => performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname));
    await openChat(page);
    expect(await paths()).toContain("/api/v1/widget/acme/verdict");
    expect((await paths()).filter((path) => path.endsWith("/ticket"))).toEqual([]);
    await sendMessage(page, "First words");
    await requestFrom("192.0.2.13");
    await sendMessage(page, "Second words");
    await expect.poll(() => page.getByRole("log").textContent()).toContain("Second words");
    expect((await paths()).filter((path) => path.endsWith("/ticket"))).toEqual(["/api/v1/widget/acme/ticket"]);
    await page.context().close();
  });

  it("resumes the chat after a reload and from a new address with the secret it keeps, which is in no URL", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    let ip = "192.0.2.14";
    await page.route(`${h.url}/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), "x-forwarded-for": ip } }),
    );
    const requests = recordRequests(page, h.url);
    await page.goto(`${site.origin}/shop`);
    await openChat(page);
    await sendMessage(page, "My card ends 4242");
    const request = await requestFrom(ip);
    await agent.fetch(`/api/v1/console/conversations/${request.id}/accept`, { method: "POST" });
    await agent.fetch(`/api/v1/console/conversations/${request.id}/messages`, {
      method: "POST",
      json: { text: "Thanks, checking" },
    });
    await expect.poll(() => page.getByRole("log").textContent()).toContain("Thanks, checking");
    const kept = await page.evaluate(() => localStorage.getItem("hatch:acme:conversation"));
    const { id, secret } = JSON.parse(kept ?? "{}") as { id?: string; secret?: string };
    expect([id, secret?.length]).toEqual([request.id, 43]);

    // The visitor's network changes, and the page reloads: the chat is read again, and goes on.
    ip = "192.0.2.15";
    await page.reload();
    await openChat(page);
    await expect.poll(() => page.getByRole("log").textContent()).toContain("Thanks, checking");
    expect(await page.getByRole("log").textContent()).toContain("My card ends 4242");
    await sendMessage(page, "Still me");
    await expect
      .poll(async () => {
        const { conversation, messages } = await (
          await agent.fetch(`/api/v1/console/conversations/${request.id}`)
        ).json();
        return [conversation.visitorIp, messages.at(-1)?.text];
      })
      .toEqual(["192.0.2.15", "Still me"]);

    const onTheChat = requests.filter((r) => r.url().includes(`/conversations/${request.id}/`));
    expect(onTheChat.some((r) => r.url().includes("/events"))).toBe(true);
    for (const r of onTheChat) expect(r.headers()["x-chat-secret"]).toBe(secret);
    for (const r of requests) expect(r.url()).not.toContain(secret);
    await context.close();
  });

  it("refuses a PNG-named HTML file in the browser, before any upload request", async () => {
    const page = await visitor("192.0.2.11");
    const requests = recordRequests(page, h.url);
    await openChat(page);
    await sendMessage(page, "Here is a picture");
    await expect.poll(() => page.getByRole("log").textContent()).toContain("Here is a picture");
    await page
      .getByLabel("Attach a file")
      .setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: Buffer.from(readFixture("html-named-as.png")) });
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe(
        "\u2068cat.png\u2069 is not an image: it contains a web page. Only images, audio files, videos and text files can be sent in this chat.",
      );
    expect(requests.filter((r) => r.url().includes("/files"))).toEqual([]);
    // A real image of an allowed kind goes through.
    await page
      .getByLabel("Attach a file")
      .setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: Buffer.from(readFixture("fixture.png")) });
    await expect.poll(() => requests.filter((r) => r.url().includes("/files")).length).toBe(1);
    await page.context().close();
  });

  it("removes itself when an agent blocks the visitor mid-chat", async () => {
    const page = await visitor("198.51.100.23");
    await openChat(page);
    await sendMessage(page, "I will be rude");
    const request = await requestFrom("198.51.100.23");
    await agent.fetch(`/api/v1/console/conversations/${request.id}/accept`, { method: "POST" });
    const block = await agent.fetch(`/api/v1/console/conversations/${request.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: "abusive language" },
    });
    expect(block.status).toBe(201);
    await expect.poll(() => page.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);
    await page.context().close();
  });

  it("is not broken by the host page's CSS, and its own CSS does not leak out", async () => {
    const page = await visitor("192.0.2.12", "/hostile");
    const button = page.getByRole("button", { name: "Open chat" });
    await expect.poll(() => button.isVisible()).toBe(true);
    const box = await button.boundingBox();
    expect(box!.width).toBeGreaterThan(30);
    await openChat(page);
    const dialog = await page.getByRole("dialog", { name: "Chat with us" }).boundingBox();
    expect(dialog!.x).toBeGreaterThanOrEqual(0);
    expect(dialog!.x + dialog!.width).toBeLessThanOrEqual(320);
    // The host's own heading keeps the host's styles: nothing of the widget's reached it.
    const headingFont = await page.locator("h1").evaluate((el) => getComputedStyle(el).fontFamily);
    expect(headingFont).not.toContain("system-ui");
    await keepScreenshot(page, "widget-hostile-css");
    await page.context().close();
  });

  it("mounts once when the snippet is pasted twice", async () => {
    const twice = await startHostSite(() =>
      snippetPage(h.url, "acme", "", `<script async src="${h.url}/loader.js" data-account="acme"></script>`),
    );
    try {
      const page = await newTab(browser);
      const context = page.context();
      const requests = recordRequests(page, h.url);
      await page.goto(`${twice.origin}/`);
      await expect.poll(() => page.getByRole("button", { name: "Open chat" }).count()).toBe(1);
      await loaderSettled(page);
      expect(await page.locator("hatch-chat").count()).toBe(1);
      expect(requests.filter((r) => r.url().includes("/verdict"))).toHaveLength(1);
      await context.close();
    } finally {
      await twice.close();
    }
  });
});

it("keeps the owner's rule from the block for co-workers to see", async () => {
  const { rules } = await (await owner.fetch("/api/v1/console/ip-rules")).json();
  expect(rules.find((r: { network: string }) => r.network === "198.51.100.23")).toMatchObject({
    comment: "abusive language",
    createdBy: { kind: "agent" },
  });
});

describe("an answer while the panel is closed", () => {
  it("shows on the chat button and in the tab's title, named by the agent's display name, until read", async () => {
    const page = await visitor("192.0.2.31");
    const title = await page.title();
    await openChat(page);
    await sendMessage(page, "Are you open on Sunday?");
    const request = await requestFrom("192.0.2.31");
    await page.getByRole("button", { name: "Close chat" }).first().click();
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: "Anna" } });
    await agent.fetch(`/api/v1/console/conversations/${request.id}/accept`, { method: "POST" });
    await agent.fetch(`/api/v1/console/conversations/${request.id}/messages`, {
      method: "POST",
      json: { text: "Yes, from ten." },
    });
    const badged = page.getByRole("button", { name: "Open chat: 1 new message" });
    await expect.poll(() => badged.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.title()).toBe(`(1) ${title}`);
    await badged.click();
    await expect.poll(() => page.getByText(/Anna\W* has joined/).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Yes, from ten.").isVisible()).toBe(true);
    await expect.poll(() => page.title()).toBe(title);
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: null } });
    await page.context().close();
  });
});
