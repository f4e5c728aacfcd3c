// Away mode "Take messages" (the default): a visitor who writes while no agent is online leaves an
// offline message, with an email for the answer (asked, optional, by default); the agent who opens the
// console finds it labelled so, with the address to write to, and answers, and the visitor reads the
// answer in the resumed chat on their next visit.
import { beforeAll, expect, it } from "vitest";
import { acceptChat, chooseVisitor, useDemo, shot, signIn, visitHost, type HostVisit } from "./demo-session";
import { DEMO_ACCOUNT } from "../../../demo/presets";
import { en } from "../../../widget/i18n/en";
import { enPanel } from "../../../widget/i18n/en-panel";
import { newTab } from "../browser";

const IP = "192.0.2.93";
const QUESTION = "Do you ship to Austria?";
const ANSWER = "Yes, within three working days.";
const EMAIL = "visitor@example.com";

const s = useDemo();

beforeAll(async () => {
  await chooseVisitor(s, { ip: IP, country: "DE" });
}, 30_000);

/** Whether the verdict told the widget that no agent is online. */
const away = (visit: HostVisit) => (visit.verdict as { config?: { away?: boolean } } | null)?.config?.away === true;

it(
  "takes a visitor's message while no agent is online, and shows the agent's answer on the next visit",
  { timeout: 60_000 },
  async () => {
    const tab = await newTab(s.browser, { viewport: { width: 900, height: 800 } });
    const context = tab.context();
    context.setDefaultTimeout(8_000);
    // No console is open: the server's presence cache learns it on the first verdict, which asks the store.
    await expect
      .poll(
        async () => {
          const visit = await visitHost(s, s.demo.urls.host, tab);
          return visit.verdict?.show === true && away(visit);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    // The widget says nobody is online before the visitor writes, and asks for an email with the
    // message; once sent, that the answer comes by email and that the message waits.
    await tab.getByRole("button", { name: "Open chat" }).click();
    const panel = tab.getByRole("dialog", { name: "Chat with us" });
    await panel.getByText(enPanel["status.awayEmail"]).waitFor();
    await panel.getByLabel("Your email, for our answer (optional)").fill(EMAIL);
    await panel.getByRole("textbox", { name: "Message", exact: true }).fill(QUESTION);
    await panel.getByRole("button", { name: "Send" }).click();
    await panel.getByRole("log").getByText(QUESTION).waitFor();
    await panel.getByText(`We will answer by email at \u2068${EMAIL}\u2069.`).waitFor();
    await tab.getByText(en["status.offline"]).waitFor();
    await shot(tab, "away-messages", "visitor-writes-while-away");
    // The id this browser keeps (the widget stores the verdict's). Not the one the last verdict request
    // sent: when the first visit already found no agent online, that request had none yet.
    const firstVisitor = await tab.evaluate((key) => localStorage.getItem(key), `hatch:${DEMO_ACCOUNT.id}:visitor`);
    expect(firstVisitor).toMatch(/^v_/);
    await tab.close();

    // An agent opens the console later: the chat waits among the requests, marked as an offline message.
    const agent = await signIn(s, "agent");
    const request = agent
      .getByRole("region", { name: /^Requests/ })
      .getByRole("listitem")
      .filter({ hasText: IP });
    await request.getByText("Offline message", { exact: true }).waitFor();
    await shot(agent, "away-messages", "agent-sees-offline-message");
    const chat = await acceptChat(agent, IP, QUESTION);
    await chat.getByText("Left an address for the answer").waitFor();
    expect(await chat.getByRole("link", { name: EMAIL }).getAttribute("href")).toBe(`mailto:${EMAIL}`);
    await chat.getByLabel("Your answer").fill(ANSWER);
    await chat.getByRole("button", { name: "Send" }).click();
    await chat.getByText(ANSWER).waitFor();
    await shot(agent, "away-messages", "agent-answers");

    // The visitor's next visit, in the same browser: the widget resumes the chat it remembers.
    const next = await visitHost(s, s.demo.urls.host, await context.newPage());
    expect(next.verdict?.show).toBe(true);
    expect(next.visitorId).toBe(firstVisitor);
    await next.page.getByRole("button", { name: "Open chat" }).click();
    const log = next.page.getByRole("dialog", { name: "Chat with us" }).getByRole("log");
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain(ANSWER);
    expect(await log.textContent()).toContain(QUESTION);
    await shot(next.page, "away-messages", "visitor-reads-answer-next-visit");
    await context.close();
    await agent.context().close();
  },
);
