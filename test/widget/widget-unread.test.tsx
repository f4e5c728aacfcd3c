// @vitest-environment happy-dom
// The agent's unread messages in the mounted widget: counted on the chat button and in the tab title
// while the panel is closed or the tab in the background, cleared when read; a chat this browser has
// open is followed from the page's load, so the answer to a message left earlier is counted at once.

import { fireEvent, waitFor } from "@testing-library/preact";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ACCOUNT,
  CONVERSATION,
  conversationEvent,
  FakeStream,
  openedStream,
  REMEMBERED,
  message,
  TICKET_REQUEST,
  visitorApi,
} from "./fakes";
import { mountWidget, type Mounted } from "./mount";

const { server, requests, reset } = visitorApi();
const CONVERSATION_KEY = `hatch:${ACCOUNT}:conversation`;
const READ_KEY = `hatch:${ACCOUNT}:read`;

let widget: Mounted;

/** Mounts the widget, opens it, says "Hi" and closes it again. */
async function chatThenClose() {
  widget = mountWidget();
  const { view } = widget;
  fireEvent.click(view.getByRole("button", { name: "Open chat" }));
  await view.findByRole("dialog");
  fireEvent.input(view.getByLabelText("Message"), { target: { value: "Hi" } });
  fireEvent.click(view.getByRole("button", { name: "Send" }));
  await view.findByText("Hi", { selector: ".text" });
  fireEvent.click(view.getByRole("button", { name: "Close chat" }));
  return { view, stream: await openedStream() };
}

const badge = () => widget.root.querySelector(".badge")?.textContent ?? null;

/** The page's tab is shown or not, as the browser says with visibilitychange. */
function tabShown(shown: boolean) {
  vi.spyOn(document, "visibilityState", "get").mockReturnValue(shown ? "visible" : "hidden");
  document.dispatchEvent(new Event("visibilitychange"));
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["en"]);
  reset();
  localStorage.clear();
  document.title = "Shop";
});
afterEach(() => {
  widget.unmount();
  server.resetHandlers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe("unread messages", () => {
  it("are counted on the button while the panel is closed, and cleared when it opens", async () => {
    const { view, stream } = await chatThenClose();
    expect(badge()).toBeNull();
    await stream.emit("message", message(101, "Hello"), 3);
    const button = await view.findByRole("button", { name: "Open chat: 1 new message" });
    expect(badge()).toBe("1");
    await stream.emit("message", message(102, "Are you there?"), 4);
    // The visitor's own words, from another tab, are not news to them.
    await stream.emit("message", message(103, "Yes", "visitor"), 5);
    await view.findByRole("button", { name: "Open chat: 2 new messages" });
    expect(badge()).toBe("2");

    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute("aria-label")).toBe("Close chat"));
    expect(badge()).toBeNull();
    fireEvent.click(button);
    expect(button.getAttribute("aria-label")).toBe("Open chat");
    expect(badge()).toBeNull();
  });

  it("are counted in the tab's title, which is put back once they are read", async () => {
    const { view, stream } = await chatThenClose();
    await stream.emit("message", message(101, "Hello"), 3);
    await waitFor(() => expect(document.title).toBe("(1) Shop"));
    await stream.emit("message", message(102, "Still there?"), 4);
    await waitFor(() => expect(document.title).toBe("(2) Shop"));
    fireEvent.click(view.getByRole("button", { name: /^Open chat/ }));
    await waitFor(() => expect(document.title).toBe("Shop"));
  });

  it("are counted while the tab is in the background, even with the panel open, until it is shown", async () => {
    const { view, stream } = await chatThenClose();
    fireEvent.click(view.getByRole("button", { name: "Open chat" }));
    tabShown(false);
    await stream.emit("message", message(101, "Hello"), 3);
    await waitFor(() => expect(document.title).toBe("(1) Shop"));
    tabShown(true);
    await waitFor(() => expect(document.title).toBe("Shop"));
    expect(localStorage.getItem(READ_KEY)).toBe("101");
  });

  it("are read in another tab of the site: this one's count follows", async () => {
    const { view, stream } = await chatThenClose();
    await stream.emit("message", message(101, "Hello"), 3);
    await view.findByRole("button", { name: "Open chat: 1 new message" });
    localStorage.setItem(READ_KEY, "101");
    window.dispatchEvent(new StorageEvent("storage", { key: READ_KEY, newValue: "101" }));
    await view.findByRole("button", { name: "Open chat" });
    expect(document.title).toBe("Shop");
  });
});

describe("a chat this browser has open", () => {
  /** What the stream replays of a message left while nobody was online, and Anna's answer to it. */
  async function replay(stream: FakeStream) {
    await stream.emit("conversation", conversationEvent("pending", { offline: true }), 1);
    await stream.emit("message", message(100, "Do you ship to Norway?", "visitor"), 2);
    await stream.emit("conversation", conversationEvent("active", { agentName: "Anna" }), 3);
    await stream.emit("message", message(101, "Yes, we do!", "agent", "Anna"), 4);
  }

  it("is followed from the page's load, the panel closed, and the answer counted", async () => {
    localStorage.setItem(CONVERSATION_KEY, REMEMBERED);
    widget = mountWidget();
    const stream = await openedStream();
    expect(stream.url).toMatch(new RegExp(`/conversations/${CONVERSATION}/events\\?after=0$`));
    expect(requests).toEqual([TICKET_REQUEST]);
    await replay(stream);
    const button = await widget.view.findByRole("button", { name: "Open chat: 1 new message" });
    expect(document.title).toBe("(1) Shop");

    fireEvent.click(button);
    const answer = await widget.view.findByText("Yes, we do!");
    expect(answer.closest(".message")?.querySelector(".name bdi")?.textContent).toBe("Anna");
    expect(widget.view.getByText("\u2068Anna\u2069 has joined")).toBeTruthy();
    await waitFor(() => expect(document.title).toBe("Shop"));
    expect(localStorage.getItem(READ_KEY)).toBe("101");
  });

  it("counts on the next page load only what came since it was read", async () => {
    localStorage.setItem(CONVERSATION_KEY, REMEMBERED);
    localStorage.setItem(READ_KEY, "101");
    widget = mountWidget();
    await replay(await openedStream());
    await widget.view.findByText("Yes, we do!");
    expect(widget.view.getByRole("button", { name: "Open chat" })).toBeTruthy();
    expect(badge()).toBeNull();
    expect(document.title).toBe("Shop");

    await (await openedStream()).emit("message", message(104, "Anything else?", "agent", "Anna"), 7);
    await widget.view.findByRole("button", { name: "Open chat: 1 new message" });
  });

  it("is left alone when there is none: nothing is fetched before the visitor comes near", async () => {
    widget = mountWidget();
    await new Promise((settle) => setTimeout(settle, 20));
    expect(requests).toEqual([]);
    expect(FakeStream.opened).toEqual([]);
    expect(widget.view.queryByRole("dialog", { hidden: true })).toBeNull();
  });
});
