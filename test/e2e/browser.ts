// End-to-end plumbing: Debian's Chromium driven by playwright-core (no browser download), and a
// host site on its own loopback origin that embeds the real snippet of a real Hatch server.

import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import {
  chromium,
  type Browser,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type Request,
} from "playwright-core";
import { HEADLESS_SHELL } from "./headless-shell";

/** axe-core's source, evaluated as a script by the driver: a script tag would meet the console's Trusted Types. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let launched: Promise<Browser> | undefined;

/**
 * The worker's Chromium, launched by the first end-to-end file that asks and shared by the files after
 * it (the e2e project shares its workers' module graph): a launch costs about a second of CPU on 2 cores,
 * 30 times a run. A file gives it back with releaseChromium(); playwright kills it when the worker exits.
 */
export async function sharedChromium(): Promise<Browser> {
  if (launched && (await launched).isConnected()) return launched;
  launched = launchChromium();
  return launched;
}

/** A Chromium of its own, with `extra` flags after the ones every end-to-end test runs with. */
export function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: HEADLESS_SHELL,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      // Caddy offers HTTP/3; the tests stay on the TCP path every proxy shares.
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extra,
    ],
  });
}

/** Ends what a file opened in the shared Chromium (every context: files run one after another in a worker). */
export async function releaseChromium(browser: Browser | undefined): Promise<void> {
  await Promise.all(browser?.contexts().map((context) => context.close()) ?? []);
}

// Counts, in the page, the verdict requests asked and those the loader has acted on. A request counts
// as acted on in a task queued once its answer (or failure) reached the loader: the loader decides in
// the microtasks before that task, so by then it has mounted the chat or has stopped for good. Runs
// before any page script, so the loader's fetch is the wrapped one.
function countVerdicts(): void {
  const counts = { asked: 0, handled: 0 };
  Object.defineProperty(window, "hatchTestVerdicts", { value: counts });
  const fetchOriginal = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const answer = fetchOriginal.call(this, input, init);
    if (!String(input instanceof Request ? input.url : input).includes("/verdict")) return answer;
    counts.asked++;
    const handled = () => setTimeout(() => counts.handled++);
    return answer.then(
      (response) => {
        const json = response.json.bind(response);
        response.json = () => {
          const body = json();
          body.then(handled, handled);
          return body;
        };
        if (!response.ok) handled();
        return response;
      },
      (error: unknown) => {
        handled();
        throw error;
      },
    );
  };
}

/** A fresh browser (a context of its own) with one tab, in which loaderSettled() can be awaited. */
export async function newTab(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  await context.addInitScript(countVerdicts);
  return context.newPage();
}

/**
 * Settles once the page has loaded (every async script run, so every loader has asked or stopped) and
 * the loader has acted on every verdict it asked for: a chat it would mount is in the page by then, so
 * "no chat" can be asserted without waiting a while for one that might still come. Needs newTab().
 */
export async function loaderSettled(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  await page.waitForFunction(() => {
    const counts = (window as unknown as { hatchTestVerdicts?: { asked: number; handled: number } }).hatchTestVerdicts;
    if (counts === undefined) throw new Error("loaderSettled needs a tab from newTab()");
    return counts.handled === counts.asked;
  });
}

export interface HostSite {
  /** e.g. http://localhost:41234 — "localhost", so its origin differs from the chat host's 127.0.0.1. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `html(path)` for every path: the page that embeds the snippet. Host name `localhost`
 * keeps it on another origin than the chat server on 127.0.0.1, as on a real site.
 */
export async function startHostSite(html: (path: string) => string): Promise<HostSite> {
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html(req.url ?? "/"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A host page with the snippet, plus whatever the test wants around it. */
export function snippetPage(chatUrl: string, account: string, extraHead = "", extraBody = ""): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host site</title>${extraHead}</head>
<body><h1>A shop</h1>${extraBody}
<script async src="${chatUrl}/loader.js" data-account="${account}"></script></body></html>`;
}

/**
 * Settles when the page's next verdict request has finished, or failed (a refused CORS read fails it);
 * call it before the navigation that asks.
 */
export function verdictSettled(page: Page): Promise<{ request: Request; failed: boolean }> {
  const isVerdict = (request: Request) => request.url().includes("/verdict");
  const finished = page.waitForEvent("requestfinished", isVerdict);
  const failed = page.waitForEvent("requestfailed", isVerdict);
  // The waiter that loses the race rejects when the page closes; that is not an error.
  for (const waiter of [finished, failed]) waiter.catch(() => undefined);
  return Promise.race([
    finished.then((request) => ({ request, failed: false })),
    failed.then((request) => ({ request, failed: true })),
  ]);
}

/** Records every request the page makes to the chat host. */
export function recordRequests(page: Page, chatUrl: string): Request[] {
  const seen: Request[] = [];
  page.on("request", (request) => {
    if (request.url().startsWith(chatUrl)) seen.push(request);
  });
  return seen;
}

/** What axe-core finds wrong in the page as it stands (or in `within`), of any impact: `rule: selector, …` lines, none when clean. */
export async function accessibilityViolations(page: Page, within?: string): Promise<string[]> {
  // Once per document: Chromium takes half a second to evaluate axe's 550 KB, and the console's pages
  // are one document (its routes change the hash), walked a dozen times per look.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  return page.evaluate(async (selector) => {
    // A panel fading in is judged once it is drawn: mid-fade its text is paler than it will be.
    const roots = [document, ...[...document.querySelectorAll("*")].flatMap((el) => el.shadowRoot ?? [])];
    const running = roots.flatMap((root) => root.getAnimations());
    const ending = running.filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(ending.map((a) => a.finished.catch(() => undefined)));
    const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
    // `within`: one element and its shadow tree (the widget on a host page that is not ours to judge).
    const context = selector === undefined ? document : { include: [[selector]] };
    const { violations } = await axe.run(context, { resultTypes: ["violations"] });
    return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  }, within);
}

/** Whether the page, or a table in it, is wider than its room: a sideways scrollbar. */
const overflowsSideways = (page: Page) =>
  page.evaluate(
    () =>
      document.documentElement.scrollWidth > window.innerWidth ||
      [...document.querySelectorAll(".table-wrap")].some((wrap) => wrap.scrollWidth > wrap.clientWidth),
  );

/**
 * Fits the window and passes axe once nothing is loading, the promise of every console page at every
 * size in both schemes; a page that fails is kept as test-results/<name>.png, to see why.
 */
export async function expectFitsAndAccessible(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.locator("[aria-busy=true]").count()).toBe(0);
  const overflows = await overflowsSideways(page);
  const violations = await accessibilityViolations(page);
  // Only a failing page is drawn: drawing every page full length took a seventh of the console's walks.
  if (overflows || violations.length > 0) await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
  expect(overflows, name).toBe(false);
  expect(violations, name).toEqual([]);
}

/**
 * Keeps a screenshot of a state the test walked to, as test-results/<name>.png: the window as the user
 * sees it, where the test's last click or fill was scrolled into view. Not the whole page: a full-length
 * capture costs ten times as much (767 ms against 75 ms for a long page here), a third of a capability
 * test's time.
 */
export function keepScreenshot(target: Page | Locator, name: string): Promise<Buffer> {
  return target.screenshot({ path: `test-results/${name}.png` });
}

/** The README's pictures are retaken by the tests that reach each state, so they show the console as it is. */
export function readmeScreenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: new URL(`../../docs/screenshots/${name}.png`, import.meta.url).pathname });
}
