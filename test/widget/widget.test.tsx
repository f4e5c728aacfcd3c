// @vitest-environment happy-dom
// The widget as the loader mounts it, in a shadow root: button, lazy panel, focus, messages, stream,
// file refusals and self-removal. The network is msw; the event stream a fake the test drives.

import { fireEvent, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { render } from "preact";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { FilePolicy } from "../../policy/schema";
import {
  ACCOUNT,
  API,
  apiError,
  conversationEvent,
  FakeStream,
  fixtureFile,
  MB,
  message,
  named,
  openedStream,
  REMEMBERED,
  SECRET,
  unavailableResponse,
  TICKET_REQUEST,
  TICKET_URL,
  VISITOR,
  visitorApi,
} from "./fakes";
import { chooseFile, mountWidget, type Mounted } from "./mount";

const { server, requests, urls, secrets, reset } = visitorApi();
const FILES_REQUEST = /\/files$/;

let host: HTMLElement;
let root: ShadowRoot;

/** Mounts the widget the way the loader does, taking `categories`, and returns queries scoped to its shadow root. */
function mountWith(categories: FilePolicy["categories"] = ["image"]) {
  let view: Mounted["view"];
  ({ host, root, view } = mountWidget({ files: { categories, maxBytes: 10 * MB } }));
  return view;
}

async function openPanel() {
  const view = mountWith();
  fireEvent.click(view.getByRole("button", { name: "Open chat" }));
  await view.findByRole("dialog", { name: "Chat with us" });
  return view;
}

async function sendMessage(view: ReturnType<typeof within>, text: string) {
  fireEvent.input(view.getByLabelText("Message"), { target: { value: text } });
  fireEvent.click(view.getByRole("button", { name: "Send" }));
  await view.findByText(text, { selector: ".text" });
}

const choose = (view: Mounted["view"], file: File) => chooseFile(view, "Attach a file", file);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  reset();
  localStorage.clear();
});
afterEach(() => {
  render(null, root);
  host.remove();
  server.resetHandlers();
  vi.unstubAllGlobals();
});
afterAll(() => server.close());

describe("widget", () => {
  it("draws only the button at first, with its styles in the shadow root, and remembers the visitor", () => {
    const view = mountWith();
    const button = view.getByRole("button", { name: "Open chat" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(view.queryByRole("dialog")).toBeNull();
    expect(root.querySelector("style")?.textContent).toContain(":host { all: initial !important; }");
    expect(localStorage.getItem(`hatch:${ACCOUNT}:visitor`)).toBe(VISITOR);
    expect(requests).toEqual([]);
  });

  it("opens the panel on click, moves focus into its message field, and back to the button on Escape", async () => {
    const view = mountWith();
    const button = view.getByRole("button", { name: "Open chat" });
    fireEvent.click(button);
    const dialog = await view.findByRole("dialog", { name: "Chat with us" });
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(button.getAttribute("aria-label")).toBe("Close chat");
    await waitFor(() => expect(root.activeElement).toBe(view.getByLabelText("Message")));
    expect(view.getByRole("log").getAttribute("aria-live")).toBe("polite");

    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(view.queryByRole("dialog")).toBeNull();
    expect(root.activeElement).toBe(button);
    expect(button.getAttribute("aria-label")).toBe("Open chat");
    // Opening the panel alone starts no conversation: agents see a request only once the visitor writes.
    expect(requests).toEqual([]);
  });

  it("closes with the button too, keeping the draft", async () => {
    const view = await openPanel();
    fireEvent.input(view.getByLabelText("Message"), { target: { value: "half a thought" } });
    fireEvent.click(view.getByRole("button", { name: "Close chat" }));
    expect(view.queryByRole("dialog")).toBeNull();
    fireEvent.click(view.getByRole("button", { name: "Open chat" }));
    expect((view.getByLabelText("Message") as HTMLTextAreaElement).value).toBe("half a thought");
  });

  it("starts a conversation when the visitor sends a message, and shows it", async () => {
    const view = await openPanel();
    await sendMessage(view, "Do you ship to Norway?");
    expect(requests).toEqual([
      TICKET_REQUEST,
      `POST /api/v1/widget/${ACCOUNT}/conversations`,
      `POST /api/v1/widget/${ACCOUNT}/conversations/conv_1/messages`,
    ]);
    expect((view.getByLabelText("Message") as HTMLTextAreaElement).value).toBe("");
    expect(view.getByText("Waiting for an agent…")).toBeTruthy();
  });

  it("shows streamed messages once, even when they are replayed", async () => {
    const view = await openPanel();
    await sendMessage(view, "Hello");
    const stream = await openedStream();
    await stream.emit("message", message(100, "Hello", "visitor"), 2);
    await stream.emit("conversation", conversationEvent("active"), 3);
    await stream.emit("message", message(101, "Hi! How can I help?"), 4);
    await stream.emit("message", message(101, "Hi! How can I help?"), 4);
    await view.findByText("Hi! How can I help?");
    const log = view.getByRole("log");
    expect(within(log).getAllByText("Hello", { selector: ".text" })).toHaveLength(1);
    expect(within(log).getAllByText("Hi! How can I help?")).toHaveLength(1);
    expect(within(log).getByText("An agent has joined")).toBeTruthy();
  });

  it("adds only the new message when the stream is asked for again after it ended, and replays", async () => {
    const view = await openPanel();
    await sendMessage(view, "Hello");
    const stream = await openedStream();
    await stream.emit("message", message(101, "One moment"), 4);
    await stream.end();
    // The panel waits a second before asking again.
    await waitFor(() => expect(FakeStream.opened).toHaveLength(2), { timeout: 3000 });
    const again = FakeStream.latest;
    expect(again.url).toMatch(/\/events\?after=4$/);
    await again.emit("message", message(101, "One moment"), 4);
    await again.emit("message", message(102, "Here is the answer"), 5);
    await view.findByText("Here is the answer");
    expect(view.getAllByText("One moment")).toHaveLength(1);
  });

  it("keeps the chat's secret in the page's storage beside the visitor id, sends it in headers only, and resumes with it on the next page load", async () => {
    const view = await openPanel();
    await sendMessage(view, "Hello");
    choose(view, fixtureFile("fixture.png", "receipt.png"));
    await view.findByText("receipt.png");
    expect(localStorage.getItem(`hatch:${ACCOUNT}:conversation`)).toBe(REMEMBERED);
    await openedStream();

    // The next page load: the widget follows the remembered chat at once, with its secret.
    render(null, root);
    host.remove();
    mountWith();
    await waitFor(() => expect(FakeStream.opened).toHaveLength(2));
    expect(FakeStream.latest.headers.get("x-chat-secret")).toBe(SECRET);
    expect(secrets.filter((secret) => secret === SECRET)).toHaveLength(4);
    for (const url of urls) expect(url).not.toContain(SECRET);
  });

  it("says when the chat has ended and offers a new one", async () => {
    const view = await openPanel();
    await sendMessage(view, "Thanks, bye");
    await (await openedStream()).emit("conversation", conversationEvent("closed"), 9);
    await view.findByText("The chat has ended");
    expect(view.queryByLabelText("Message")).toBeNull();
    expect(view.getByRole("button", { name: "Start a new chat" })).toBeTruthy();
  });

  it("says the session expired on a 401", async () => {
    const view = await openPanel();
    server.use(
      http.post(API, () =>
        apiError(401, "ticket_invalid", "This chat session has expired: reload the page to continue."),
      ),
    );
    fireEvent.input(view.getByLabelText("Message"), { target: { value: "Hello" } });
    fireEvent.click(view.getByRole("button", { name: "Send" }));
    await view.findByText("This chat session has expired. Reload the page to continue.");
    expect(view.queryByLabelText("Message")).toBeNull();
  });
});

describe("widget attachments", () => {
  it("refuses a PNG-named HTML file before any upload request", async () => {
    const view = await openPanel();
    choose(view, fixtureFile("html-named-as.png"));
    expect((await view.findByRole("alert")).textContent).toBe(
      "\u2068html-named-as.png\u2069 is not an image: it contains a web page. Only images can be sent in this chat.",
    );
    expect(requests.filter((request) => FILES_REQUEST.test(request))).toEqual([]);
  });

  it("refuses a file over the size limit before any upload request", async () => {
    const view = await openPanel();
    choose(view, new File([new Uint8Array(10 * MB + 1)], "holiday.png"));
    await waitFor(() =>
      expect(view.getByRole("alert").textContent).toBe(
        named("holiday.png", "This file is larger than the 10 MB this chat accepts."),
      ),
    );
    expect(requests).toEqual([]);
  });

  it("sends an allowed file and shows its name", async () => {
    const view = await openPanel();
    choose(view, fixtureFile("fixture.png", "receipt.png"));
    await view.findByText("receipt.png");
    expect(requests.filter((request) => FILES_REQUEST.test(request))).toHaveLength(1);
  });

  it("shows the server's 415 the same way", async () => {
    const view = await openPanel();
    server.use(
      http.post(`${API}/:id/files`, () => apiError(415, "file_type", "Only images can be sent in this chat.")),
    );
    choose(view, fixtureFile("fixture.png"));
    await waitFor(() =>
      expect(view.getByRole("alert").textContent).toBe(named("fixture.png", "Only images can be sent in this chat.")),
    );
    expect(requests.filter((request) => FILES_REQUEST.test(request))).toHaveLength(1);
  });
});

describe("widget removal", () => {
  it("removes itself when the chat is hidden by the time the visitor first writes", async () => {
    server.use(http.get(TICKET_URL, () => HttpResponse.json({ show: false })));
    const view = await openPanel();
    fireEvent.input(view.getByLabelText("Message"), { target: { value: "Hello" } });
    fireEvent.click(view.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(host.isConnected).toBe(false));
    expect(requests).toEqual([TICKET_REQUEST]);
  });

  it("removes itself when a message is answered 403 unavailable", async () => {
    const view = await openPanel();
    await sendMessage(view, "Hello");
    const stream = await openedStream();
    server.use(http.post(`${API}/:id/messages`, unavailableResponse));
    fireEvent.input(view.getByLabelText("Message"), { target: { value: "Anyone?" } });
    fireEvent.click(view.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(host.isConnected).toBe(false));
    expect(stream.closed).toBe(true);
  });

  it("removes itself on an unavailable event", async () => {
    const view = await openPanel();
    await sendMessage(view, "Hello");
    await (await openedStream()).emit("unavailable", {});
    expect(host.isConnected).toBe(false);
  });
});
