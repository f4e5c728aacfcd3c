// Automatic protection against a flood of chats: a visitor chatting from the host site runs a script
// on the page that opens chat after chat, each under a new visitor id, through the widget's own routes
// (ticket, then conversations), as a bot would. Past the account's "Chats per hour" (lowered by the
// owner in Block Visitors to keep it short), Hatch bans the browser and the address by itself: the
// widget leaves the open page, the next load gets no chat, the owner finds the rules authored
// "automatic protection" with the reason, and the agent's console shows the notice.
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_ACCOUNT, presetById } from "../../../demo/presets";
import {
  expectChatHidden,
  expectChatShown,
  openConsolePage,
  openDemo,
  savePolicy,
  shot,
  signIn,
  startChat,
  visitHost,
  type DemoSession,
} from "./demo-session";

const ALLOWED = presetById("allowed");
const CHATS_PER_HOUR = 2;
/** A chat past the limit is refused; a script that does not stop is refused its next ticket too. */
const ATTEMPTS = 6;
const REASON = /^Automatic protection: opened 3 chats in (a minute|\d+ minutes)\.$/;
let s: DemoSession;

beforeAll(async () => {
  s = await openDemo();
}, 30_000);
afterAll(async () => {
  await s?.close();
});

it(
  "bans a browser that floods the account with chats, by rules of its own, and removes its widget",
  { timeout: 50_000 },
  async () => {
    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    await owner.getByLabel("Chats per hour").fill(String(CHATS_PER_HOUR));
    await savePolicy(owner);
    await shot(owner, "flood", "console-limit-lowered");
    // Signed in before the flood: a console hears of the bans made while it is open.
    const agent = await signIn(s, "agent");

    const visit = await visitHost(s);
    expect(await visit.page.locator("#current-visitor").textContent()).toContain(`IP ${ALLOWED.ip}`);
    await expectChatShown(visit);
    // The visitor's own chat is their first of the hour.
    await startChat(visit.page, "Hello, I have a question");

    const outcomes = await visit.page.evaluate(
      async ({ api, attempts }) => {
        const seen: string[] = [];
        for (let i = 0; i < attempts; i++) {
          // No visitor id: the ticket route makes a new one each time, so no chat is resumed.
          const ticket = await fetch(`${api}/ticket?page=${encodeURIComponent(location.href)}`, {
            credentials: "omit",
          });
          const answer = (await ticket.json()) as { show: boolean; ticket?: string };
          if (!answer.show || !answer.ticket) {
            seen.push(`ticket ${ticket.status} hidden`);
            break;
          }
          const started = await fetch(`${api}/conversations`, {
            method: "POST",
            credentials: "omit",
            headers: { Authorization: `Bearer ${answer.ticket}` },
          });
          const body = (await started.json()) as { error?: { code: string } };
          seen.push(`chat ${started.status}${body.error ? ` ${body.error.code}` : ""}`);
        }
        return seen;
      },
      { api: `${s.demo.urls.proxy}/api/v1/widget/${DEMO_ACCOUNT.id}`, attempts: ATTEMPTS },
    );
    // The second scripted chat is the third of the hour from this address: refused, and banned.
    expect(outcomes).toEqual(["chat 201", "chat 403 unavailable", "ticket 200 hidden"]);

    // The ban covers the address, so the visitor's open chat ends and the widget leaves the page.
    await expect.poll(() => visit.page.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);
    await shot(visit.page, "flood", "visitor-widget-gone");
    await expectChatHidden(await visitHost(s, s.demo.urls.host, visit.page));

    const notice = agent.getByRole("status").filter({ hasText: "Hatch banned a visitor" });
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /^Hatch banned a visitor for 60 minutes: they opened 3 chats in (a minute|\d+ minutes)\.\s+Dismiss$/,
    );
    await shot(agent, "flood", "agent-ban-notice");
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await notice.waitFor({ state: "detached" });

    // The rules list follows rule changes live: the two rules appear on the owner's open page.
    await owner.getByLabel("Made by").selectOption({ label: "Automatic protection" });
    const rows = owner.getByRole("table").getByRole("row");
    await expect.poll(() => rows.count()).toBe(3);
    for (const kind of ["visitor", "address"]) {
      const row = rows.filter({ has: owner.getByRole("cell", { name: kind, exact: true }) });
      const cells = await row.getByRole("cell").allInnerTexts();
      expect(cells[2]).toMatch(REASON);
      expect(cells[3]).toBe("automatic protection");
      // An hour's ban (banMinutes' default), not "never".
      expect(cells[5]).not.toBe("never");
    }
    await owner.getByRole("cell", { name: ALLOWED.ip, exact: true }).waitFor();
    await shot(owner, "flood", "owner-sees-automatic-rules");
    for (const page of [visit.page, agent, owner]) await page.context().close();
  },
);
