// Away mode "Hide the chat": while no agent is online (no console open, or every one set to Away) a
// visitor gets no chat at all; an agent who signs in brings it back on the next page load, and takes
// it away again by choosing Away.
import { beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  chooseVisitor,
  consoleApi,
  expectChatHidden,
  expectChatShown,
  openConsolePage,
  useDemo,
  savePolicy,
  shot,
  signIn,
  visitHost,
  type HostVisit,
} from "./demo-session";
import { newTab } from "../browser";

const s = useDemo();

beforeAll(async () => {
  await chooseVisitor(s, { ip: "192.0.2.92", country: "DE" });
}, 30_000);

/** Sets the signed-in user's status in the console header, and waits for the server to take it. */
async function chooseStatus(page: Page, status: "online" | "away"): Promise<void> {
  const answered = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/console/presence") && r.request().method() === "PUT",
  );
  await page.getByLabel("Status", { exact: true }).selectOption(status);
  expect((await answered).status()).toBe(200);
}

/**
 * Loads the host page in `page` again until the verdict's show is `show`: presence reaches the verdict
 * at once on a change, or at the next refresh of the server's presence cache (every 10 s).
 */
async function visitUntil(page: Page, show: boolean): Promise<HostVisit> {
  let visit: HostVisit | undefined;
  await expect
    .poll(
      async () => {
        visit = await visitHost(s, s.demo.urls.host, page);
        return visit.verdict?.show;
      },
      { timeout: 20_000 },
    )
    .toBe(show);
  return visit!;
}

it(
  "shows no chat while no agent is online, and shows it once an agent's console is open",
  { timeout: 60_000 },
  async () => {
    // The owner's open console is an agent online; the owner sets themself Away after saving.
    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Live Chat Window");
    const away = owner.getByRole("radiogroup", { name: "When no agent is online" });
    expect(await away.getByRole("radio", { name: /^Take messages/ }).isChecked()).toBe(true);
    await away.getByRole("radio", { name: /^Hide the chat/ }).check();
    await savePolicy(owner);
    const api = await consoleApi(s, "owner");
    expect((await (await api("/api/v1/console/policy")).json()).window).toMatchObject({ away: "hide" });
    await chooseStatus(owner, "away");
    await shot(owner, "away-hide", "owner-away-chat-hidden");

    const visitor = await newTab(s.browser, { viewport: { width: 900, height: 800 } });
    visitor.context().setDefaultTimeout(8_000);
    await expectChatHidden(await visitUntil(visitor, false));
    await shot(visitor, "away-hide", "visitor-no-chat");

    // The agent signs in: their console's event stream makes them online.
    const agent = await signIn(s, "agent");
    await expect.poll(() => agent.getByLabel("Status", { exact: true }).inputValue()).toBe("online");
    await expectChatShown(await visitUntil(visitor, true));
    await shot(visitor, "away-hide", "visitor-chat-back");

    // The agent steps away: the last one online, so the next page load has no chat again.
    await chooseStatus(agent, "away");
    await expectChatHidden(await visitUntil(visitor, false));

    await visitor.context().close();
    await agent.context().close();
    await owner.context().close();
  },
);
