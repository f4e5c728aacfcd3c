// Automatic protection against a flood of chats: a visitor chatting from the host site runs a script
// on the page that opens chat after chat, each under a new visitor id, through the widget's own routes
// (ticket, then conversations), as a bot would. Past the account's "Chats per hour" (lowered by the
// owner in Block Visitors to keep it short), Hatch bans by itself the browser whose chat went past
// it; since other browsers share the address, the address is challenged rather than banned: the
// script's next ticket asks for a proof of work, the visitor's own chat goes on, the owner finds the
// rule authored "automatic protection" with the reason, and the agent's console shows the notice.
import { expect, it } from "vitest";
import { DEMO_ACCOUNT, presetById } from "../../../demo/presets";
import {
  expectChatShown,
  openConsolePage,
  useDemo,
  savePolicy,
  shot,
  signIn,
  startChat,
  visitHost,
} from "./demo-session";

const ALLOWED = presetById("allowed");
const CHATS_PER_HOUR = 2;
/** A chat past the limit is refused; a script that does not stop is refused its next ticket too. */
const ATTEMPTS = 6;
/** The visitor's address, as a regular expression matches it. */
const IP = ALLOWED.ip.replaceAll(".", "\\.");
const REASON = new RegExp(
  `^Automatic protection: browsers at ${IP} opened 3 chats in (a minute|\\d+ minutes), the last one theirs\\.$`,
);
const s = useDemo();

it(
  "bans a browser that floods the account with chats from a shared address, challenges the address, and leaves the other chat there open",
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
          const answer = (await ticket.json()) as { show?: boolean; ticket?: string; error?: { code: string } };
          if (!answer.show || !answer.ticket) {
            seen.push(`ticket ${ticket.status} ${answer.error?.code ?? "hidden"}`);
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
    // The second scripted chat is the third of the hour from this address: refused, and its browser
    // banned; the address, shared, is challenged.
    expect(outcomes).toEqual(["chat 201", "chat 403 unavailable", "ticket 403 challenge_required"]);

    // The visitor's own chat goes on: the widget stays and their next message is sent.
    await visit.page.getByRole("textbox", { name: "Message", exact: true }).fill("Are you still there?");
    await visit.page.getByRole("button", { name: "Send" }).click();
    await visit.page.getByRole("log").getByText("Are you still there?").first().waitFor();
    expect(await visit.page.locator("hatch-chat").count()).toBe(1);
    await shot(visit.page, "flood", "visitor-chat-goes-on");

    const notice = agent.getByRole("status").filter({ hasText: "Hatch banned a visitor" });
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      new RegExp(
        `^Hatch banned a visitor for 60 minutes: browsers at ${IP} opened 3 chats in (a minute|\\d+ minutes), the last one theirs\\. ` +
          `Other browsers share ${IP}, so it is not banned: for 60 minutes, new chats from it need a proof of work, 2 an hour at most\\.\\s+Dismiss$`,
      ),
    );
    await shot(agent, "flood", "agent-ban-notice");
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await notice.waitFor({ state: "detached" });

    // The rules list follows rule changes live: the browser's rule appears on the owner's open page.
    await owner.getByLabel("Made by").selectOption({ label: "Automatic protection" });
    const rows = owner.getByRole("table").getByRole("row");
    await expect.poll(() => rows.count()).toBe(2);
    const cells = await rows
      .filter({ has: owner.getByRole("cell", { name: "visitor", exact: true }) })
      .getByRole("cell")
      .allInnerTexts();
    expect(cells[2]).toMatch(REASON);
    expect(cells[3]).toBe("automatic protection");
    // An hour's ban (banMinutes' default), not "never".
    expect(cells[5]).not.toBe("never");
    await shot(owner, "flood", "owner-sees-automatic-rules");
    for (const page of [visit.page, agent, owner]) await page.context().close();
  },
);
