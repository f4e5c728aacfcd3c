// The first run as an owner meets it: the one-time link from `npm start` opens the console's setup page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startInstance, type Harness } from "../server/harness";
import { expectFitsAndAccessible, sharedChromium, releaseChromium } from "./browser";

/** The console's sizes and schemes: a desk in the light, and a phone in the dark. */
const LOOKS = [
  { name: "1280-light", viewport: { width: 1280, height: 800 }, colorScheme: "light" },
  { name: "1280-dark", viewport: { width: 1280, height: 800 }, colorScheme: "dark" },
  { name: "390-light", viewport: { width: 390, height: 844 }, colorScheme: "light" },
  { name: "390-dark", viewport: { width: 390, height: 844 }, colorScheme: "dark" },
] as const;

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
    for (const { name, ...look } of LOOKS) {
      const seen = await (await browser.newContext(look)).newPage();
      await seen.goto(link);
      await seen.getByLabel("Account id").waitFor();
      await expectFitsAndAccessible(seen, `first-run-setup-${name}`);
      await seen.context().close();
    }
    const page = await (await browser.newContext()).newPage();
    await page.goto(link);
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
    // The welcome step in every look: the owner's session, in a context of each.
    const cookies = await page.context().cookies();
    for (const { name, ...look } of LOOKS) {
      const context = await browser.newContext(look);
      await context.addCookies(cookies);
      const seen = await context.newPage();
      await seen.goto(`${h.url}/console/#/welcome`);
      await seen.getByRole("heading", { name: "Put the chat on your site" }).waitFor();
      await expectFitsAndAccessible(seen, `first-run-welcome-${name}`);
      await context.close();
    }
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
