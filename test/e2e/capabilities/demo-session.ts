// The demo, started as `npm run demo` starts it (free ports, a temp data dir), and the moves every
// capability test makes in it: sign in to the console, choose the visitor, load the host site, screenshot.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { Browser, Locator, Page, Request } from "playwright-core";
import type { DURATIONS } from "../../../console/durations";
import { DEMO_ACCOUNT, DEMO_USERS, type Visitor } from "../../../demo/presets";
import { startDemo, type Demo } from "../../../demo/start-demo";
import { TEST_PASSWORD_COST } from "../../server/password";
import { keepScreenshot, loaderSettled, newTab, releaseChromium, sharedChromium, verdictSettled } from "../browser";

export { openConsolePage } from "../console-session";

export interface DemoSession {
  demo: Demo;
  browser: Browser;
  /** The host site's origin, e.g. http://localhost:41234. */
  hostOrigin: string;
  close(): Promise<void>;
}

/** Starts the demo, in the worker's Chromium. */
async function openDemo(): Promise<DemoSession> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-capability-"));
  const demo = await startDemo({
    ports: { proxy: 0, host: 0, copied: 0, chat: 0 },
    dataDir,
    passwordCost: TEST_PASSWORD_COST,
  });
  const browser = await sharedChromium();
  return {
    demo,
    browser,
    hostOrigin: new URL(demo.urls.host).origin,
    async close() {
      await releaseChromium(browser);
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo and Chromium for the test file that calls this at its top: started before its tests,
 * stopped after them. The session is filled in when the tests start.
 */
export function useDemo(): DemoSession {
  const session = {} as DemoSession;
  beforeAll(async () => {
    Object.assign(session, await openDemo());
  }, 30_000);
  afterAll(async () => {
    await session.close?.();
  });
  return session;
}

/** A page in a fresh browser context whose locator waits give up well before a test's timeout. */
async function newPage(s: DemoSession, viewport = { width: 1200, height: 900 }): Promise<Page> {
  const page = await newTab(s.browser, { viewport });
  page.context().setDefaultTimeout(8_000);
  return page;
}

/** The demo console, signed in through its form as the demo's owner or agent. */
export async function signIn(s: DemoSession, role: "owner" | "agent"): Promise<Page> {
  const user = DEMO_USERS.find((u) => u.role === role)!;
  const page = await newPage(s);
  await page.goto(s.demo.urls.console);
  await page.getByLabel("Account").fill(DEMO_ACCOUNT.id);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

/** Saves the policy form of the open console page and waits for "Saved.". */
export async function savePolicy(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved. Visitors get the new rules").waitFor();
}

/** Tells the demo proxy who the visitor is, as the host page's panel does (`POST /__demo/visitor`). */
export async function chooseVisitor(s: DemoSession, visitor: Visitor): Promise<void> {
  const answer = await fetch(`${s.demo.urls.proxy}/__demo/visitor`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    // Only who the visitor is: a preset passed here carries its texts as well.
    body: JSON.stringify({ ip: visitor.ip, country: visitor.country }),
  });
  expect(answer.status, await answer.clone().text()).toBe(200);
}

export interface HostVisit {
  page: Page;
  /**
   * The verdict the loader was given, as the network saw it; null when the browser refused the page
   * the answer (CORS), which Chromium reports as a failed request.
   */
  verdict: { show: boolean } | null;
  /** The visitor id the loader sent with it (the one its browser remembers), or null for none. */
  visitorId: string | null;
}

/** A visitor's fresh browser on `url` (the host site by default), once the loader's verdict request has settled. */
export async function visitHost(s: DemoSession, url = s.demo.urls.host, page?: Page): Promise<HostVisit> {
  const tab = page ?? (await newPage(s, { width: 900, height: 800 }));
  const verdict = verdictSettled(tab);
  await tab.goto(url);
  return settled(tab, await verdict);
}

/**
 * Clicks a preset on the host site's visitor panel, as QA does: the proxy takes the new visitor, the page
 * reloads, and the loader asks again, with the visitor id this browser keeps.
 */
export async function pickPreset(page: Page, label: string): Promise<HostVisit> {
  const verdict = verdictSettled(page);
  await page.getByRole("button", { name: label, exact: true }).click();
  return settled(page, await verdict);
}

async function settled(page: Page, { request, failed }: { request: Request; failed: boolean }): Promise<HostVisit> {
  const visitorId = new URL(request.url()).searchParams.get("visitor");
  if (failed) return { page, verdict: null, visitorId };
  const response = await request.response();
  return { page, verdict: (await response!.json()) as { show: boolean }, visitorId };
}

/** The chat button appears. */
export async function expectChatShown(visit: HostVisit): Promise<void> {
  expect(visit.verdict?.show).toBe(true);
  await visit.page.getByRole("button", { name: "Open chat" }).waitFor();
}

/** No chat: the verdict said so (or could not be read at all), and the loader added nothing to the page. */
export async function expectChatHidden(visit: HostVisit, unreadable = false): Promise<void> {
  expect(visit.verdict).toEqual(unreadable ? null : { show: false });
  await loaderSettled(visit.page);
  expect(await visit.page.locator("hatch-chat").count()).toBe(0);
}

/** Whether `visitor` gets the chat on the host site, in a fresh browser; keeps a screenshot of `capability` as `state`. */
export async function expectVisitor(
  s: DemoSession,
  visitor: Visitor,
  shown: boolean,
  capability: string,
  state: string,
): Promise<void> {
  await chooseVisitor(s, visitor);
  const visit = await visitHost(s);
  if (shown) await expectChatShown(visit);
  else await expectChatHidden(visit);
  await shot(visit.page, capability, state);
  await visit.page.context().close();
}

/** A visitor from `ip` (in Germany) who has opened the chat on the host site and written `text`. */
export async function visitorWrites(s: DemoSession, ip: string, text: string): Promise<Page> {
  await chooseVisitor(s, { ip, country: "DE" });
  const visit = await visitHost(s);
  await expectChatShown(visit);
  await startChat(visit.page, text);
  return visit.page;
}

/** Opens the chat and sends `text`, starting the visitor's conversation. */
export async function startChat(page: Page, text: string): Promise<void> {
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByRole("dialog", { name: "Chat with us" }).waitFor();
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  // A locator wait rather than expect.poll, so it also works in beforeAll.
  await page.getByRole("log").getByText(text).first().waitFor();
}

/** As the agent, accepts the waiting chat of the visitor from `ip` and answers the open chat once `text` shows in it. */
export async function acceptChat(agent: Page, ip: string, text: string): Promise<Locator> {
  const request = agent
    .getByRole("region", { name: /Requests/ })
    .getByRole("listitem")
    .filter({ hasText: ip });
  await request.getByRole("button", { name: "Accept" }).click();
  const chat = agent.getByRole("region", { name: "Chat" });
  // The chat loads after the accept's answer: on a loaded 2-core machine that took over 8 s once.
  await chat.getByText(text).waitFor({ timeout: 15_000 });
  return chat;
}

export interface BlockChoice {
  /** "This browser, whatever address it comes from next" (ticked by default). */
  browser: boolean;
  /** "This address, IP" (ticked by default). */
  address: boolean;
  /** "For how long", as the select offers it: "1 hour" … "forever". */
  duration: (typeof DURATIONS)[number]["label"];
  comment: string;
}

/** Opens "Block visitor…" in an agent's open chat with the visitor from `ip`, and fills it in; the test blocks. */
export async function fillBlockForm(chat: Locator, ip: string, choice: BlockChoice): Promise<void> {
  await chat.getByRole("button", { name: "Block visitor…" }).click();
  await chat
    .getByRole("checkbox", { name: "This browser, whatever address it comes from next" })
    .setChecked(choice.browser);
  await chat.getByRole("checkbox", { name: `This address, ${ip}` }).setChecked(choice.address);
  await chat.getByLabel("For how long").selectOption({ label: choice.duration });
  await chat.getByLabel("Comment", { exact: true }).fill(choice.comment);
}

/** Pastes `text` in Block Visitors → Add rules with `comment` and adds it; answers the list of what was stored. */
export async function addRules(owner: Page, text: string, comment: string): Promise<Locator> {
  await owner.getByLabel("Addresses, networks or AS numbers, one a line").fill(text);
  await owner.getByLabel("Comment", { exact: true }).fill(comment);
  const answered = owner.waitForResponse(
    (r) => r.url().endsWith("/api/v1/console/rules") && r.request().method() === "POST",
  );
  await owner.getByRole("button", { name: "Add rules" }).click();
  expect((await answered).status()).toBe(201);
  const added = owner.getByRole("status", { name: "Added rules" });
  await added.waitFor();
  return added;
}

/**
 * Runs Block Visitors → "Test a visitor" (owners) for `visitor` on the host site, and optionally a
 * browser's visitor id; answers the verdict as the console words it, with every reason.
 */
export async function testVisitor(s: DemoSession, owner: Page, visitor: Visitor, visitorId = ""): Promise<string> {
  await owner.getByLabel("IP address").fill(visitor.ip);
  await owner.getByLabel("Country", { exact: true }).selectOption(visitor.country ?? "");
  await owner.getByLabel("Page URL").fill(s.demo.urls.host);
  await owner.getByLabel("Visitor id (optional)").fill(visitorId);
  const answered = owner.waitForResponse((r) => r.url().endsWith("/api/v1/console/preview"));
  await owner.getByRole("button", { name: "Test", exact: true }).click();
  expect((await answered).status()).toBe(200);
  // The model drops the last result when it asks again, so the verdict shown is this answer's.
  const verdict = owner.locator(".visitor-test [role=status]");
  await verdict.waitFor();
  return verdict.innerText();
}

/** Keeps a screenshot of a capability's state: test-results/capabilities/<capability>-<state>.png. */
export function shot(page: Page, capability: string, state: string): Promise<Buffer> {
  return keepScreenshot(page, `capabilities/${capability}-${state}`);
}

/** A console API client signed in through the proxy, for checking results. */
export async function consoleApi(
  s: DemoSession,
  role: "owner" | "agent",
): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const user = DEMO_USERS.find((u) => u.role === role)!;
  const origin = s.demo.urls.proxy;
  const login = await fetch(`${origin}/api/v1/console/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ account: DEMO_ACCOUNT.id, email: user.email, password: user.password }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return (path, init = {}) =>
    fetch(`${origin}${path}`, {
      ...init,
      headers: { origin, cookie, ...(init.headers as Record<string, string> | undefined) },
    });
}
