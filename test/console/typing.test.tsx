// @vitest-environment happy-dom
// Typing indicators in the console: the agent's typing told to the server at most once every 3 s, and
// "The visitor is typing…" from the feed, in the chat it is about only, until it times out or the
// visitor's message arrives.
import { act, fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TYPING_EVERY_MS } from "../../policy/chat";
import { TYPING_SHOWN_MS } from "../../console/models/typing-model";
import type { Conversation, Message } from "../../console/types";
import { renderChat } from "./chats-page";
import { conversation, seen, useMockServer } from "./setup";

useMockServer();
afterEach(() => vi.useRealTimers());

const TYPING = "The visitor is typing…";
const POST_TYPING = "POST /api/v1/console/conversations/conv_1/typing";

const message = (over: Partial<Message>): Message => ({
  id: 10,
  conversationId: "conv_1",
  author: "visitor",
  userId: null,
  agentName: null,
  agentAvatar: null,
  text: "hello?",
  file: null,
  createdAt: "2026-01-01T10:03:00.000Z",
  screening: null,
  held: false,
  released: null,
  ...over,
});

/** conv_1 open, once it shows. */
async function openChat(listed: Conversation[] = []) {
  const opened = renderChat({ listed });
  await screen.findByText(/Visitor id v_1/);
  return opened;
}

const status = () => document.querySelector(".typing-status");

describe("the agent typing", () => {
  it("tells the server once however many keys are typed within 3 s, and again after", async () => {
    await openChat();
    const answer = screen.getByLabelText("Your answer");
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 1; i <= 15; i++) {
      fireEvent.input(answer, { target: { value: "x".repeat(i) } });
      vi.advanceTimersByTime(TYPING_EVERY_MS / 15 - 1);
    }
    await waitFor(() => expect(seen).toContain(POST_TYPING));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.filter((line) => line === POST_TYPING)).toHaveLength(1);

    vi.advanceTimersByTime(15);
    fireEvent.input(answer, { target: { value: "x".repeat(16) } });
    await waitFor(() => expect(seen.filter((line) => line === POST_TYPING)).toHaveLength(2));
  });

  it("says nothing for a draft emptied or left blank", async () => {
    await openChat();
    fireEvent.input(screen.getByLabelText("Your answer"), { target: { value: "   " } });
    fireEvent.input(screen.getByLabelText("Your answer"), { target: { value: "" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).not.toContain(POST_TYPING);
  });
});

describe("the visitor typing", () => {
  it("shows in the chat the event is about, in a polite live region, and not for another chat", async () => {
    const { feed } = await openChat();
    const region = status();
    expect(region?.getAttribute("aria-live")).toBe("polite");
    expect(region?.textContent).toBe("");
    await feed.deliver("typing", { conversationId: "conv_2", name: null });
    expect(screen.queryByText(TYPING)).toBeNull();
    await feed.deliver("typing", { conversationId: "conv_1", name: null });
    expect(status()).toBe(region);
    expect(region?.textContent).toBe(TYPING);
  });

  it("marks the chat in its list, and only that one", async () => {
    const other = conversation({ id: "conv_2", visitorIp: "192.0.2.9" });
    const { feed, container } = await openChat([conversation(), other]);
    await screen.findByText("192.0.2.9");
    await feed.deliver("typing", { conversationId: "conv_2", name: null });
    const marked = [...container.querySelectorAll(".chat-list li")].filter((li) => li.textContent?.includes("typing…"));
    expect(marked.map((li) => li.textContent)).toEqual([expect.stringContaining("192.0.2.9")]);
    expect(screen.queryByText(TYPING)).toBeNull();
  });

  it("hides 5 s after the last event, each event starting the wait again", async () => {
    const { feed } = await openChat();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    await feed.deliver("typing", { conversationId: "conv_1", name: null });
    await act(() => void vi.advanceTimersByTime(TYPING_SHOWN_MS - 1_000));
    await feed.deliver("typing", { conversationId: "conv_1", name: null });
    await act(() => void vi.advanceTimersByTime(TYPING_SHOWN_MS - 1));
    expect(status()?.textContent).toBe(TYPING);
    await act(() => void vi.advanceTimersByTime(1));
    expect(status()?.textContent).toBe("");
  });

  it("hides when the visitor's message arrives, not when an agent's does", async () => {
    const { feed } = await openChat();
    await feed.deliver("typing", { conversationId: "conv_1", name: null });
    await feed.send("message", message({ id: 11, author: "agent", userId: "user_1", text: "One moment" }));
    expect(status()?.textContent).toBe(TYPING);
    await feed.send("message", message({ id: 12, text: "Are you there?" }));
    expect(screen.getByText("Are you there?")).toBeTruthy();
    expect(status()?.textContent).toBe("");
  });
});
