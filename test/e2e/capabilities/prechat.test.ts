// The form before the chat, end to end: the owner asks for the visitor's name, one question of their
// own and agreement to their privacy notice in Live Chat Window; a visitor on a phone-sized screen reads
// the notice, is told what is missing, then answers, agrees and writes; the agent reads the name in the
// requests, and the answers and the agreement beside the chat.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  acceptChat,
  chooseVisitor,
  openConsolePage,
  savePolicy,
  shot,
  signIn,
  useDemo,
  visitHost,
} from "./demo-session";
import { accessibilityViolations, newTab } from "../browser";

const IP = "192.0.2.94";
const NAME = "Ada Lovelace";
const QUESTION = "My parcel has not arrived.";
const NOTICE = "We keep this chat for 90 days to answer you.";

const s = useDemo();
let owner: Page;

beforeAll(async () => {
  await chooseVisitor(s, { ip: IP, country: "DE" });
  owner = await signIn(s, "owner");
}, 30_000);
afterAll(() => owner.context().close());

it(
  "asks the owner's form before the first message, and shows the answers to the agent",
  { timeout: 60_000 },
  async () => {
    await openConsolePage(owner, "Live Chat Window");
    const form = owner.getByRole("group", { name: "Before the chat" });
    await form.getByRole("checkbox", { name: "Ask for the visitor's name" }).check();
    await form.getByRole("group", { name: "Name" }).getByRole("checkbox", { name: "Required" }).check();
    await form.getByRole("button", { name: "Add a question" }).click();
    const question = form.getByRole("group", { name: "Question 1" });
    await question.getByRole("textbox", { name: "Question", exact: true }).fill("Topic");
    await question.getByRole("radio", { name: /^Choice/ }).check();
    await question.getByLabel("Options").fill("Billing\nDelivery");
    await question.getByRole("checkbox", { name: "Required" }).check();
    const privacy = owner.getByRole("group", { name: "Privacy" });
    await privacy.getByLabel("Privacy notice text").fill(NOTICE);
    await privacy.getByLabel("Privacy policy link").fill("https://shop.example/privacy");
    await privacy.getByRole("checkbox", { name: /Visitors must agree before chatting/ }).check();
    await savePolicy(owner);
    await shot(owner, "prechat", "owner-sets-the-form");

    // The visitor, on a phone-sized screen: the form takes the composer's place, and says what is missing.
    const tab = await newTab(s.browser, { viewport: { width: 390, height: 800 } });
    tab.context().setDefaultTimeout(8_000);
    await expect
      .poll(async () => {
        const visit = await visitHost(s, s.demo.urls.host, tab);
        return (visit.verdict as { config?: { prechat?: unknown[] } } | null)?.config?.prechat?.length;
      })
      .toBe(2);
    await tab.getByRole("button", { name: "Open chat" }).click();
    const panel = tab.getByRole("dialog", { name: "Chat with us" });
    await panel.getByText(NOTICE).waitFor();
    expect(await panel.getByRole("link", { name: "Privacy policy" }).getAttribute("href")).toBe(
      "https://shop.example/privacy",
    );
    const start = panel.getByRole("button", { name: /^(Start chat|Send)$/ });
    await panel.getByRole("textbox", { name: "Message", exact: true }).fill(QUESTION);
    await start.click();
    await panel.getByText("Answer this to start the chat.").waitFor();
    expect(await panel.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await accessibilityViolations(tab, "hatch-chat"), "the form, with a problem said").toEqual([]);
    await shot(tab, "prechat", "visitor-told-what-is-missing");
    await panel.getByLabel("Name", { exact: true }).fill(NAME);
    await panel.getByLabel("Topic").selectOption("Delivery");
    await start.click();
    await panel.getByText("Tick the box to agree, then start the chat.").waitFor();
    await panel.getByLabel("I agree to the privacy notice").check();
    await start.click();
    await panel.getByRole("log").getByText(QUESTION).waitFor();
    expect(await panel.getByText(NOTICE).count()).toBe(0);
    expect(await panel.getByLabel("Name", { exact: true }).count()).toBe(0);
    await shot(tab, "prechat", "visitor-chats-after-the-form");

    // The agent: the request is named, and the chat shows what the visitor answered.
    const agent = await signIn(s, "agent");
    await agent
      .getByRole("region", { name: /^Requests/ })
      .getByText(NAME)
      .waitFor();
    const chat = await acceptChat(agent, IP, QUESTION);
    const told = chat.locator("dl.visitor-intake");
    await told.getByText(NAME).waitFor();
    expect(await told.textContent()).toContain("TopicDelivery");
    expect(await told.textContent()).toMatch(/Privacy noticeAgreed to version 1 on /);
    await shot(agent, "prechat", "agent-reads-the-answers");
    await tab.context().close();
    await agent.context().close();
  },
);
