// What the console's end-to-end files share: a server with an owner, an agent and a canned reply, a host
// site carrying the snippet, pages in fresh contexts whose uncaught errors fail the test, and the top
// navigation. A file calls useConsoleSession() once, at its top.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { Browser, Page } from "playwright-core";
import { PASSWORD, signInAll, startHarness, type ConsoleClient, type Harness } from "../server/harness";
import { sharedChromium, releaseChromium, snippetPage, startHostSite, type HostSite } from "./browser";

export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 768, height: 1024 };
export const PHONE = { width: 390, height: 844 };

type Viewport = { width: number; height: number };

class ConsoleSession {
  h!: Harness;
  api!: { owner: ConsoleClient; agent: ConsoleClient };
  site!: HostSite;
  browser!: Browser;
  /** The agent's user id, whose reset link the walks open. */
  agentId!: string;
  /** Uncaught errors of every console page, which fail the test that caused them. */
  readonly pageErrors: string[] = [];

  async start(): Promise<void> {
    this.h = await startHarness({ TRUST_PROXY: "loopback", COUNTRY_HEADER: "cf-ipcountry" });
    this.api = await signInAll(this.h);
    this.agentId = (await (await this.api.agent.fetch("/api/v1/console/me")).json()).user.id;
    // A canned reply for the walks to offer.
    const reply = await this.api.owner.fetch("/api/v1/console/replies", {
      method: "POST",
      json: { shortcut: "eta", text: "Parcels leave the warehouse within two days." },
    });
    expect(reply.status).toBe(201);
    this.site = await startHostSite(() => snippetPage(this.h.url, "acme"));
    this.browser = await sharedChromium();
  }

  async stop(): Promise<void> {
    await releaseChromium(this.browser);
    await this.site?.close();
    await this.h?.stop();
  }

  /** A page in a fresh browser context; locator waits give up well before the test's own timeout. */
  async newPage(viewport: Viewport, colorScheme: "light" | "dark" = "light"): Promise<Page> {
    const context = await this.browser.newContext({ viewport, colorScheme });
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    page.on("pageerror", (error) => this.pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  /** A fresh browser context on the console, signed in through the form as `email` of acme. */
  async signIn(email: string, viewport = WIDE): Promise<Page> {
    const page = await this.newPage(viewport);
    await page.goto(`${this.h.url}/console/`);
    await page.getByLabel("Account").fill("acme");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    return page;
  }
}

/** The file's session: started before its tests, checked for page errors after each, stopped after all. */
export function useConsoleSession(): ConsoleSession {
  const session = new ConsoleSession();
  beforeAll(() => session.start());
  afterEach(() => {
    expect(session.pageErrors.splice(0)).toEqual([]);
  });
  afterAll(() => session.stop());
  return session;
}

/** Follows a link of the console's top navigation and waits for the page's heading (the Chats page's is its Requests). */
export async function openConsolePage(
  page: Page,
  link: string,
  heading: string | RegExp = link === "Chats" ? /^Requests/ : link,
): Promise<void> {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: link }).click();
  await page.getByRole("heading", { name: heading }).first().waitFor();
}
