// @vitest-environment happy-dom
// Agent names in the console: beside each agent's message who wrote it, and in the chat's header who
// took it, by the name visitors read and the email co-workers know them by.

import { screen } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { Me, Message, TeamMember } from "../../console/types";
import { renderChat, serveChat } from "./chats-page";
import { agent, conversation, owner, policyDoc, server, url, useMockServer } from "./setup";
import { drawApp } from "./draw-app";

useMockServer();

const message = (id: number, over: Partial<Message>): Message => ({
  id,
  conversationId: "conv_1",
  author: "agent",
  userId: "user_2",
  agentName: null,
  agentAvatar: null,
  text: `message ${id}`,
  file: null,
  createdAt: "2026-01-01T10:02:00.000Z",
  screening: null,
  held: false,
  released: null,
  ...over,
});

const EMAILS: Record<string, string> = { user_2: "anna@acme.test", user_3: "bo@acme.test" };

/** Who each message says wrote it, in order. */
const authors = (container: Element) =>
  [...container.querySelectorAll(".message-author")].map((author) => author.textContent);

describe("agent names in a chat", () => {
  it.each([
    ["a name and a known email", { userId: "user_2", agentName: "Anna" }, "Anna (anna@acme.test)"],
    ["no name", { userId: "user_3", agentName: null }, "bo@acme.test"],
    ["an email not known here", { userId: "user_9", agentName: "Cleo" }, "Cleo"],
    ["neither", { userId: "user_9", agentName: null }, "A co-worker"],
  ])("names an agent with %s as %s", async (_, over, label) => {
    const { container } = renderChat({ messages: [message(1, over)], emails: EMAILS });
    await screen.findByText("message 1");
    expect(authors(container)).toEqual([label]);
  });

  it("tells co-workers apart beside their messages, and the visitor and Hatch by what they are", async () => {
    const { container } = renderChat({
      messages: [
        message(1, { author: "visitor", userId: null, text: "hi" }),
        message(2, { userId: "user_2", agentName: "Anna" }),
        message(3, { userId: "user_3", agentName: "Bo" }),
        message(4, { author: "system", userId: null, text: "The visitor left." }),
      ],
      emails: EMAILS,
    });
    await screen.findByText("The visitor left.");
    expect(authors(container)).toEqual(["Visitor", "Anna (anna@acme.test)", "Bo (bo@acme.test)", "Hatch"]);
  });

  it("says in the header who took the chat", async () => {
    const { container } = renderChat({
      chat: conversation({ agentUserId: "user_3", agentName: "Bo" }),
      emails: EMAILS,
    });
    await screen.findByText(/Visitor id/);
    expect(container.querySelector(".toolbar .taken-by")?.textContent).toBe("Taken by Bo (bo@acme.test)");
  });

  it("says no one took a request", async () => {
    const { container } = renderChat({
      chat: conversation({ status: "pending", agentUserId: null, acceptedAt: null }),
      emails: EMAILS,
    });
    await screen.findByText(/Visitor id/);
    expect(container.querySelector(".taken-by")).toBeNull();
  });
});

describe("agent names across the console", () => {
  const team: TeamMember[] = [
    { userId: "user_1", email: "owner@acme.test", displayName: null, role: "owner", status: "online" },
    { userId: "user_2", email: "agent@acme.test", displayName: "Anna", role: "agent", status: "online" },
  ];

  function renderApp(me: Me) {
    serveChat({
      chat: conversation({ agentUserId: "user_2", agentName: "Anna" }),
      messages: [
        message(1, { userId: "user_2", agentName: "Anna" }),
        message(2, { userId: "user_1", agentName: null }),
      ],
    });
    server.use(
      http.get(url("/me"), () => HttpResponse.json(me)),
      http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
      // Owners are told the team with its emails; agents their own status only.
      http.get(url("/presence"), () =>
        HttpResponse.json(me.user.role === "owner" ? { status: "online", team } : { status: "online" }),
      ),
    );
    return drawApp({ page: "chats", id: "conv_1" });
  }

  it("shows an owner each co-worker's email from the team", async () => {
    const { container } = renderApp(owner);
    await screen.findByText("Taken by Anna (agent@acme.test)");
    expect(authors(container)).toEqual(["Anna (agent@acme.test)", "owner@acme.test"]);
  });

  it("shows an agent their own email, and a co-worker with no name as such: agents are not told emails", async () => {
    const { container } = renderApp({ ...agent, options: { ...agent.options, displayName: "Anna" } });
    await screen.findByText("Taken by Anna (agent@acme.test)");
    expect(authors(container)).toEqual(["Anna (agent@acme.test)", "A co-worker"]);
  });
});
