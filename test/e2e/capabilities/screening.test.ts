// The demo's "A visitor who writes abuse" story in Chromium (issue #28): the agent reads the abuse
// masked (Show reveals it, audited), the card number as its last four, the link as text with its
// host set apart; with holding on, an abusive message waits in the chat's held list until released;
// the visitor's third abusive message within the hour bans them and the chat leaves the page.
import { expect, it } from "vitest";
import { presetById } from "../../../demo/presets";
import {
  acceptChat,
  chooseVisitor,
  openConsolePage,
  savePolicy,
  shot,
  signIn,
  startChat,
  useDemo,
  visitHost,
} from "./demo-session";

const ABUSIVE = presetById("abusive");
const FIRST = "you fucking idiot, answer me";
const CARD_AND_LINK = "my card is 4242 4242 4242 4242, see paypal.com.account-check.info/login";
const s = useDemo();

it("masks, defuses, holds and bans as the owner's screening says", { timeout: 60_000 }, async () => {
  await chooseVisitor(s, ABUSIVE);
  const visit = await visitHost(s);
  await startChat(visit.page, FIRST);
  const panel = visit.page.getByRole("dialog", { name: "Chat with us" });
  await panel.getByRole("textbox", { name: "Message", exact: true }).fill(CARD_AND_LINK);
  await panel.getByRole("button", { name: "Send" }).click();
  // The visitor is told nothing of screening; their own card shows masked to them too.
  await panel.getByRole("log").getByText("my card is •••• 4242", { exact: false }).waitFor();

  const agent = await signIn(s, "agent");
  // The request's preview line is masked like the chat.
  const request = agent
    .getByRole("region", { name: /Requests/ })
    .getByRole("listitem")
    .filter({ hasText: ABUSIVE.ip });
  await request.waitFor();
  expect(await request.innerText()).not.toContain("fucking");
  const chat = await acceptChat(agent, ABUSIVE.ip, "see paypal.com.account-check.info/login");
  const log = chat.getByRole("list").first();
  expect(await log.innerText()).not.toMatch(/fucking|4242 4242/);
  expect(await chat.locator(".link-host strong").innerText()).toBe("account-check.info");
  expect(await chat.locator(".message a").count()).toBe(0);
  await shot(agent, "screening", "agent-masked");
  await chat.getByRole("button", { name: "Show" }).click();
  await chat.getByText(FIRST).waitFor();

  // The owner holds abusive messages from now on.
  const owner = await signIn(s, "owner");
  await openConsolePage(owner, "Block Visitors");
  await owner.getByLabel("Abusive words").selectOption("hold");
  await savePolicy(owner);
  await panel.getByRole("textbox", { name: "Message", exact: true }).fill("shut up you fucking moron");
  await panel.getByRole("button", { name: "Send" }).click();
  const held = chat.getByRole("region", { name: "Held messages" });
  await held.getByText("Held (1)").waitFor({ timeout: 15_000 });
  await shot(agent, "screening", "agent-held");
  await held.getByRole("button", { name: "Release into the chat" }).click();
  await chat.getByText("Held by screening, released by agent@demo.test").waitFor();
  expect(await held.count()).toBe(0);

  // The third abusive message within the hour: banned by automatic protection, and the chat goes.
  await panel.getByRole("textbox", { name: "Message", exact: true }).fill("fuck off");
  await panel.getByRole("button", { name: "Send" }).click();
  await expect.poll(() => visit.page.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);

  // The audit says who looked at and released what.
  await owner.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit" }).click();
  await owner.getByText(/showed the masked words of message/).waitFor();
  await owner.getByText(/released held message/).waitFor();
  await shot(owner, "screening", "owner-audit");
  for (const page of [visit.page, agent, owner]) await page.context().close();
});
