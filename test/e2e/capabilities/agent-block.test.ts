// An agent blocks an abusive visitor from the chat with a comment and a duration: the browser and the
// address ticked by default, the visitor's widget goes away at once, and a co-worker sees both rules,
// their comment, author and expiry in Block Visitors.
import { expect, it } from "vitest";
import {
  acceptChat,
  chooseVisitor,
  expectChatHidden,
  expectChatShown,
  fillBlockForm,
  openConsolePage,
  useDemo,
  shot,
  signIn,
  startChat,
  visitHost,
} from "./demo-session";

const ABUSER = "192.0.2.66";
const COMMENT = "Insulted the agent twice";
const s = useDemo();

it(
  "removes the visitor's widget when an agent blocks them from the chat, and shows the owner the rules with the comment, the agent and the expiry",
  { timeout: 40_000 },
  async () => {
    await chooseVisitor(s, { ip: ABUSER, country: "DE" });
    const visit = await visitHost(s);
    await expectChatShown(visit);
    await startChat(visit.page, "You are all useless");
    await shot(visit.page, "agent-block", "visitor-chatting");

    const agent = await signIn(s, "agent");
    const chat = await acceptChat(agent, ABUSER, "You are all useless");
    // The defaults: this browser and this address, both ticked.
    await fillBlockForm(chat, ABUSER, { browser: true, address: true, duration: "7 days", comment: COMMENT });
    expect(await chat.getByRole("checkbox", { name: "Their network 192.0.2.0/24" }).isChecked()).toBe(false);
    await shot(agent, "agent-block", "agent-block-form");
    await chat.getByRole("button", { name: "Block and close chat" }).click();
    const status = chat.getByRole("status");
    await status.getByText("This visitor no longer sees the chat.").waitFor();
    const blocked = await status.getByRole("listitem").allInnerTexts();
    expect(blocked).toHaveLength(2);
    expect(blocked).toContainEqual(expect.stringMatching(/^Blocked v_\S+ \(visitor, until .+\)$/));
    expect(blocked).toContainEqual(expect.stringMatching(new RegExp(`^Blocked ${ABUSER} \\(address, until .+\\)$`)));
    await shot(agent, "agent-block", "agent-blocked");

    // The widget removes itself on the visitor's open page, without a reload.
    await expect.poll(() => visit.page.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);
    await shot(visit.page, "agent-block", "visitor-widget-gone");
    await expectChatHidden(await visitHost(s, s.demo.urls.host, visit.page));

    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    for (const kind of ["visitor", "address"]) {
      const row = owner
        .getByRole("row")
        .filter({ hasText: COMMENT })
        .filter({ has: owner.getByRole("cell", { name: kind, exact: true }) });
      await row.waitFor();
      const text = await row.innerText();
      expect(text).toContain("agent agent@demo.test");
      // Seven days on: an expiry, not "never".
      expect(text).not.toContain("never");
      await row.getByRole("link", { name: /^chat / }).waitFor();
    }
    await owner.getByRole("cell", { name: ABUSER, exact: true }).waitFor();
    await shot(owner, "agent-block", "owner-sees-rules");
    for (const page of [visit.page, agent, owner]) await page.context().close();
  },
);
