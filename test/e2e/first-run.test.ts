// The first run as an owner meets it: the one-time link from `npm start` opens the console's setup page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startInstance, type Harness } from "../server/harness";
import { expectFitsAndAccessible, sharedChromium, releaseChromium } from "./browser";

/** The console's sizes and schemes: a desk in the light, and a phone in the dark. */
const LOOKS = [
  { name: "1280-light", viewport: { width: 1280, height: 800 }, colorScheme: "light" },
  { name: "1280-dark", viewport: { width: 1280, height: 800 }, colorScheme: "dark" },
  { name: "390-light", viewport: { width: 390, height: 844 }, colorScheme: "light" },
  { name: "390-dark", viewport: { width: 390, height: 844 }, colorScheme: "dark" },
] as const;

/**
 * Checks `page` in every look, in its one document: a look is the window's size and the device's scheme,
 * which the console follows as they change (CSS light-dark()), and axe is loaded once a document. A fresh
 * browser for each look cost eight console loads and axe evaluations, a fifth of the file's time.
 */
async function expectEveryLookFits(page: Page, step: string): Promise<void> {
  for (const { name, viewport, colorScheme } of LOOKS) {
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme });
    await expectFitsAndAccessible(page, `first-run-${step}-${name}`);
  }
}

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  // An empty server, as `npm start` finds it on a new data directory.
  h = await startInstance({});
  browser = await sharedChromium();
});
afterAll(async () => {
  await releaseChromium(browser);
  await h?.stop();
});

describe("the first-run link", () => {
  it("creates the account and its owner, signs them in, and works only once", { timeout: 60_000 }, async () => {
    const token = await h.server.deps.accounts.createSetupToken(Date.now());
    const link = `${h.url}/console/#/setup/${token}`;
    const page = await (await browser.newContext()).newPage();
    await page.goto(link);
    await page.getByLabel("Account id").waitFor();
    await expectEveryLookFits(page, "setup");
    await page.getByLabel("Account id").fill("fresh-shop");
    await page.getByLabel("Account name").fill("Fresh Shop");
    await page.getByLabel("Your email").fill("me@fresh.test");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByText("Use at least 10 characters.").isVisible()).toBe(true);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByText("me@fresh.test").first().isVisible()).toBe(true);
    await page.getByRole("heading", { name: "Put the chat on your site" }).waitFor();
    expect(await page.locator(".snippet").innerText()).toContain('data-account="fresh-shop"');
    expect(page.url()).toMatch(/#\/welcome$/);
    await expectEveryLookFits(page, "welcome");
    expect(await h.server.deps.accounts.accountExists("fresh-shop")).toBe(true);

    // The same link again, in a fresh browser, creates nothing.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await again.getByLabel("Account id").fill("second-shop");
    await again.getByLabel("Account name").fill("Second");
    await again.getByLabel("Your email").fill("x@second.test");
    await again.getByLabel("Password").fill("a long enough password");
    await again.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => again.getByText(/no longer works/).isVisible()).toBe(true);
    expect(await h.server.deps.accounts.accountExists("second-shop")).toBe(false);
  });
});
