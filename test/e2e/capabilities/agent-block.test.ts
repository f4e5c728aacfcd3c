// An agent blocks an abusive visitor from the chat with a comment: the visitor's widget goes away at
// once, and a co-worker sees the rule, its comment and its author in Block Visitors.
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  chooseVisitor,
  expectChatHidden,
  expectChatShown,
  openConsolePage,
  openDemo,
  shot,
  signIn,
  startChat,
  visitHost,
  type DemoSession,
} from "./demo-session";

const ABUSER = "192.0.2.66";
const COMMENT = "Insulted the agent twice";
let s: DemoSession;

beforeAll(async () => {
  s = await openDemo();
}, 30_000);
afterAll(async () => {
  await s?.close();
});

it(
  "removes the visitor's widget when an agent blocks them from the chat, and shows the owner the rule with the comment and the agent",
  { timeout: 40_000 },
  async () => {
    await chooseVisitor(s, { ip: ABUSER, country: "DE" });
    const visit = await visitHost(s);
    await expectChatShown(visit);
    await startChat(visit.page, "You are all useless");
    await shot(visit.page, "agent-block", "visitor-chatting");

    const agent = await signIn(s, "agent");
    const request = agent
      .getByRole("region", { name: /Requests/ })
      .getByRole("listitem")
      .filter({ hasText: ABUSER });
    await request.getByRole("button", { name: "Accept" }).click();
    const chat = agent.getByRole("region", { name: "Chat" });
    await chat.getByText("You are all useless").waitFor();
    await chat.getByRole("button", { name: "Block visitor…" }).click();
    await chat.getByRole("radio", { name: `This address (${ABUSER})` }).check();
    await chat.getByLabel("Comment", { exact: true }).fill(COMMENT);
    await shot(agent, "agent-block", "agent-block-form");
    await chat.getByRole("button", { name: "Block and close chat" }).click();
    await chat.getByText("this visitor no longer sees the chat").waitFor();
    await shot(agent, "agent-block", "agent-blocked");

    // The widget removes itself on the visitor's open page, without a reload.
    await expect.poll(() => visit.page.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);
    await shot(visit.page, "agent-block", "visitor-widget-gone");
    await expectChatHidden(await visitHost(s, s.demo.urls.host, visit.page));

    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    const row = owner.getByRole("row").filter({ hasText: ABUSER });
    await row.waitFor();
    expect(await row.textContent()).toContain(COMMENT);
    expect(await row.textContent()).toContain("agent agent@demo.test");
    await row.getByRole("link", { name: /^chat / }).waitFor();
    await shot(owner, "agent-block", "owner-sees-rule");
    for (const page of [visit.page, agent, owner]) await page.context().close();
  },
);
