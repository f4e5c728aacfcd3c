// Ignoring a chat request takes it out of the queue and tells the visitor the chat ended; closing an
// active chat tells the visitor "The chat has ended".
import { beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { consoleApi, useDemo, visitorWrites, shot, signIn } from "./demo-session";

const s = useDemo();
let agent: Page;

beforeAll(async () => {
  agent = await signIn(s, "agent");
  const owner = await consoleApi(s, "owner");
  const reply = await owner("/api/v1/console/replies", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ shortcut: "sure", text: "Sure." }),
  });
  expect(reply.status).toBe(201);
}, 30_000);

const requests = () => agent.getByRole("region", { name: /^Requests/ });

it(
  "takes an ignored request out of the queue, and tells the visitor the chat has ended",
  { timeout: 30_000 },
  async () => {
    const visitor = await visitorWrites(s, "192.0.2.81", "Anyone there?");
    const row = requests().getByRole("listitem").filter({ hasText: "192.0.2.81" });
    await row.waitFor();
    await shot(agent, "ignore-close", "request-in-queue");
    await row.getByRole("button", { name: "Ignore" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await agent
      .getByRole("region", { name: /^Closed/ })
      .getByRole("listitem")
      .filter({ hasText: "192.0.2.81" })
      .waitFor();
    await shot(agent, "ignore-close", "request-ignored");
    await expect
      .poll(() => visitor.getByRole("log").textContent(), { timeout: 10_000 })
      .toContain("The chat has ended");
    await shot(visitor, "ignore-close", "visitor-after-ignore");
    await visitor.context().close();
  },
);

it('tells the visitor "The chat has ended" when the agent closes an active chat', { timeout: 30_000 }, async () => {
  const visitor = await visitorWrites(s, "192.0.2.82", "I need help with my order");
  await requests()
    .getByRole("listitem")
    .filter({ hasText: "192.0.2.82" })
    .getByRole("button", { name: "Accept" })
    .click();
  const chat = agent.getByRole("region", { name: "Chat" });
  // Typed as an agent types: a canned reply picked with "/", Shift+Enter to break the line, Enter to send.
  const answer = chat.getByLabel("Your answer");
  await answer.pressSequentially("/sur");
  await chat.getByRole("option", { name: "/sure Sure." }).waitFor();
  await answer.press("Enter");
  expect(await answer.inputValue()).toBe("Sure.");
  await answer.press("Shift+Enter");
  await answer.pressSequentially("What is the order number?");
  await answer.press("Enter");
  await expect
    .poll(() => visitor.getByRole("log").getByText("What is the order number?").innerText())
    .toBe("Sure.\nWhat is the order number?");
  // The box empties when the server answers the agent's send, which may be after the visitor has the message.
  await expect.poll(() => answer.inputValue()).toBe("");
  await shot(visitor, "ignore-close", "visitor-active-chat");
  await chat.getByRole("button", { name: "Close chat" }).click();
  await chat.getByText("This chat is closed").waitFor();
  await shot(agent, "ignore-close", "agent-closed-chat");
  await expect.poll(() => visitor.getByRole("log").textContent(), { timeout: 10_000 }).toContain("The chat has ended");
  await expect
    .poll(() => visitor.getByRole("dialog", { name: "Chat with us" }).textContent())
    .toContain("This chat has ended.");
  await shot(visitor, "ignore-close", "visitor-chat-ended");
  await visitor.context().close();
});
