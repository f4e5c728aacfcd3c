// A banned browser stays banned on a new address: the demo's "A banned visitor on a new address" story.
// A visitor chats as "An allowed visitor", the agent blocks only "This browser" (not the address), and
// when the proxy gives the same browser a new address it still gets no chat, while a fresh browser on
// that address, or on the old one, does. The owner sees the visitor rule with a link to its chat.
import { expect, it } from "vitest";
import { presetById } from "../../../demo/presets";
import {
  acceptChat,
  chooseVisitor,
  expectChatHidden,
  expectChatShown,
  fillBlockForm,
  openConsolePage,
  useDemo,
  pickPreset,
  shot,
  signIn,
  startChat,
  testVisitor,
  visitHost,
} from "./demo-session";

const ALLOWED = presetById("allowed");
const BANNED = presetById("banned-visitor");
const FIRST_WORDS = "Hello from my first address";
const COMMENT = "Came back under three addresses";
const s = useDemo();

it(
  "keeps the chat hidden from a browser banned from a chat after the proxy gives it a new address, and only from that browser",
  { timeout: 50_000 },
  async () => {
    // The story as the host page tells it: chat as "An allowed visitor" first.
    const visit = await visitHost(s);
    const allowed = await pickPreset(visit.page, ALLOWED.label);
    await expectChatShown(allowed);
    await startChat(visit.page, FIRST_WORDS);
    await shot(visit.page, "visitor-ban", "visitor-chatting");

    const agent = await signIn(s, "agent");
    const chat = await acceptChat(agent, ALLOWED.ip, FIRST_WORDS);
    await fillBlockForm(chat, ALLOWED.ip, { browser: true, address: false, duration: "30 days", comment: COMMENT });
    await shot(agent, "visitor-ban", "agent-block-form");
    await chat.getByRole("button", { name: "Block and close chat" }).click();
    const status = chat.getByRole("status");
    await status.getByText("This visitor no longer sees the chat.").waitFor();
    // One rule, for the browser: the address was left out.
    const blocked = await status.getByRole("listitem").allInnerTexts();
    expect(blocked).toEqual([expect.stringMatching(/^Blocked v_\S+ \(visitor, until .+\)$/)]);
    const visitorId = /^Blocked (v_\S+) /.exec(blocked[0]!)![1]!;
    await shot(agent, "visitor-ban", "agent-blocked");
    await expect.poll(() => visit.page.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);

    // The same browser on a new address: the loader sends the id it kept, and the verdict hides the chat.
    const moved = await pickPreset(visit.page, BANNED.label);
    expect(await visit.page.locator("#current-visitor").textContent()).toContain(`IP ${BANNED.ip}`);
    expect(moved.visitorId).toBe(visitorId);
    await expectChatHidden(moved);
    await shot(visit.page, "visitor-ban", "same-browser-new-address-hidden");

    // A fresh browser on the new address has no id yet, and gets the chat: the address is not banned.
    const fresh = await visitHost(s);
    expect(fresh.visitorId).toBeNull();
    await expectChatShown(fresh);
    await shot(fresh.page, "visitor-ban", "fresh-browser-new-address-shown");
    // Nor is the old one, since the agent unticked it.
    await chooseVisitor(s, ALLOWED);
    const old = await visitHost(s);
    await expectChatShown(old);
    for (const page of [visit.page, fresh.page, old.page, agent]) await page.context().close();

    // The owner finds the visitor rule among the rules, linked to the chat it came from.
    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    await owner.getByLabel("Kind", { exact: true }).selectOption({ label: "Visitors" });
    const rows = owner.getByRole("table").getByRole("row");
    // The header and the one visitor rule: the demo's address rule is filtered out.
    await expect.poll(() => rows.count()).toBe(2);
    const row = rows.filter({ hasText: visitorId });
    expect(await row.innerText()).toMatch(
      new RegExp(`visitor\\s+${visitorId}\\s+${COMMENT}\\s+agent agent@demo\\.test from chat`),
    );
    await shot(owner, "visitor-ban", "owner-sees-visitor-rule");
    const verdict = await testVisitor(s, owner, BANNED, visitorId);
    expect(verdict).toContain(
      `Hides (visitor rules): The visitor ${visitorId} is blocked, whatever address it comes from.`,
    );
    await row.getByRole("link", { name: /^chat / }).click();
    await owner.getByRole("region", { name: "Chat" }).getByText(FIRST_WORDS).waitFor();
    await shot(owner, "visitor-ban", "owner-follows-link-to-chat");
    await owner.context().close();
  },
);
