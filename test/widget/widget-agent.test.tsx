// @vitest-environment happy-dom
// What the visitor sees of the agent in the mounted widget: that nobody is online (away mode) and that
// a message left then waits, the agent's name when they join and beside their messages (or "An agent"
// without one), their "typing…" and the visitor's own typing told to them, when each message was
// written, in the visitor's language, and the agent's files, which the visitor downloads.

import { fireEvent, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from "vitest";
import { en } from "../../widget/i18n/en";
import {
  API,
  CONVERSATION,
  conversationEvent,
  message,
  openedStream,
  SECRET,
  startedResponse,
  TICKET,
  visitorApi,
} from "./fakes";
import { mountWidget, type Mounted } from "./mount";

const { server, requests, reset } = visitorApi();
const TYPING = `POST /api/v1/widget/acme/conversations/${CONVERSATION}/typing`;

let widget: Mounted;

/** Mounts the widget (with the verdict's `away`, in the browser's `languages`), opens it and says "Hi". */
async function chatting({ away = false, languages = ["en"] } = {}) {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(languages);
  widget = mountWidget(away ? { away } : {});
  const { view } = widget;
  fireEvent.click(await view.findByRole("button", { name: /./ }));
  await view.findByRole("dialog");
  fireEvent.input(view.getByRole("textbox"), { target: { value: "Hi" } });
  fireEvent.submit(view.getByRole("textbox").closest("form")!);
  await view.findByText("Hi", { selector: ".text" });
  return { view, stream: await openedStream() };
}

/** The polite live region of the agent's "typing…". */
const typingLine = () => widget.root.querySelector(".typing")!;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  reset();
  localStorage.clear();
});
afterEach(() => {
  widget.unmount();
  server.resetHandlers();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe("away mode", () => {
  // Without the email the owner may ask for then (test/widget/widget-intake.test.tsx has it).
  it("says nobody is online and a message may be left, then that it waits for an agent", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["en"]);
    widget = mountWidget({ away: true, offlineEmail: "off" });
    fireEvent.click(widget.view.getByRole("button", { name: "Open chat" }));
    const dialog = await widget.view.findByRole("dialog");
    expect(dialog.querySelector(".subtitle")?.textContent).toBe(en["status.away"]);
    server.use(http.post(API, () => startedResponse(conversationEvent("pending", { offline: true }))));
    fireEvent.input(widget.view.getByLabelText("Message"), { target: { value: "Do you ship to Norway?" } });
    fireEvent.click(widget.view.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(dialog.querySelector(".subtitle")?.textContent).toBe(en["status.offline"]));
  });

  it("says so in the visitor's language", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["de-DE"]);
    widget = mountWidget({ away: true, offlineEmail: "off" });
    fireEvent.click(await widget.view.findByRole("button", { name: "Chat öffnen" }));
    const dialog = await widget.view.findByRole("dialog");
    expect(dialog.querySelector(".subtitle")?.textContent).toBe(
      "Gerade ist niemand online: Hinterlassen Sie eine Nachricht, die Antwort finden Sie bei Ihrem nächsten Besuch hier.",
    );
    widget.unmount();
    // With the email asked (the default), the answer is said to come by email, and the field is in German.
    widget = mountWidget({ away: true });
    fireEvent.click(await widget.view.findByRole("button", { name: "Chat öffnen" }));
    expect((await widget.view.findByRole("dialog")).querySelector(".subtitle")?.textContent).toBe(
      "Gerade ist niemand online: Hinterlassen Sie eine Nachricht und Ihre E-Mail-Adresse, die Antwort kommt per E-Mail.",
    );
    expect(widget.view.getByLabelText("Ihre E-Mail-Adresse für unsere Antwort (optional)")).toBeTruthy();
  });

  it("says an agent will answer when one is online", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["en"]);
    widget = mountWidget();
    fireEvent.click(widget.view.getByRole("button", { name: "Open chat" }));
    expect((await widget.view.findByRole("dialog")).querySelector(".subtitle")?.textContent).toBe(en["status.none"]);
  });
});

describe("the agent's name", () => {
  it("says who joined and shows their name beside their messages", async () => {
    const { view, stream } = await chatting();
    await stream.emit("conversation", conversationEvent("active", { agentName: "Anna" }), 3);
    await stream.emit("message", message(101, "Hi! How can I help?", "agent", "Anna"), 4);
    await view.findByText("\u2068Anna\u2069 has joined");
    const bubble = (await view.findByText("Hi! How can I help?")).closest(".message")!;
    // Shown, and spoken as "Anna: Hi! How can I help?".
    expect(bubble.querySelector(".name bdi")?.textContent).toBe("Anna");
    expect(bubble.querySelector(".name")?.textContent).toBe("Anna: ");
    // The visitor's own message names nobody visibly.
    expect(view.getByText("Hi", { selector: ".text" }).closest(".message")?.querySelector(".name")).toBeNull();
  });

  it("says an agent joined, and speaks 'Agent' before their messages, when they set no name", async () => {
    const { view, stream } = await chatting();
    await stream.emit("conversation", conversationEvent("active"), 3);
    await stream.emit("message", message(101, "Hello"), 4);
    await view.findByText("An agent has joined");
    const bubble = (await view.findByText("Hello")).closest(".message")!;
    expect(bubble.querySelector(".name")).toBeNull();
    expect(bubble.querySelector(".sr")?.textContent).toBe("Agent: ");
  });

  it("writes the name in the visitor's sentence", async () => {
    const { view, stream } = await chatting({ languages: ["de"] });
    await stream.emit("conversation", conversationEvent("active", { agentName: "Anna" }), 3);
    await view.findByText("\u2068Anna\u2069 ist dem Chat beigetreten");
  });
});

describe("typing", () => {
  it("shows the agent typing in a polite live region, hidden about 5 s after the last event", async () => {
    const { stream } = await chatting();
    expect(typingLine().getAttribute("aria-live")).toBe("polite");
    expect(typingLine().textContent).toBe("");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    await stream.emit("typing", { conversationId: CONVERSATION, name: "Anna" });
    await vi.waitFor(() => expect(typingLine().textContent).toBe("\u2068Anna\u2069 is typing…"));
    vi.advanceTimersByTime(5_000);
    await vi.waitFor(() => expect(typingLine().textContent).toBe(""));
  });

  it("says an agent is typing when they set no name, and hides it when their message comes", async () => {
    const { view, stream } = await chatting();
    await stream.emit("typing", { conversationId: CONVERSATION, name: null });
    await waitFor(() => expect(typingLine().textContent).toBe("An agent is typing…"));
    await stream.emit("message", message(101, "Here you go"), 4);
    await view.findByText("Here you go");
    expect(typingLine().textContent).toBe("");
  });

  it("leaves the line untouched while the agent goes on typing, so that it is announced once", async () => {
    const { stream } = await chatting();
    await stream.emit("typing", { conversationId: CONVERSATION, name: "Anna" });
    await waitFor(() => expect(typingLine().textContent).not.toBe(""));
    const changes: MutationRecord[] = [];
    const watcher = new MutationObserver((records) => changes.push(...records));
    watcher.observe(typingLine(), { subtree: true, childList: true, characterData: true });
    await stream.emit("typing", { conversationId: CONVERSATION, name: "Anna" });
    await stream.emit("typing", { conversationId: CONVERSATION, name: "Anna" });
    await new Promise((settle) => setTimeout(settle, 20));
    watcher.disconnect();
    expect(changes).toEqual([]);
  });

  it("tells the agent the visitor is typing, once for a burst of keystrokes", async () => {
    const { view } = await chatting();
    vi.useFakeTimers({ toFake: ["Date"] });
    const field = view.getByLabelText("Message");
    for (const draft of ["W", "Wh", "Whe", "When"]) fireEvent.input(field, { target: { value: draft } });
    await waitFor(() => expect(requests).toContain(TYPING));
    vi.advanceTimersByTime(3_000);
    fireEvent.input(field, { target: { value: "When do" } });
    await waitFor(() => expect(requests.filter((request) => request === TYPING)).toHaveLength(2));
    // Sent after: a typing signal too many would be listed before it.
    fireEvent.click(view.getByRole("button", { name: "Send" }));
    await view.findByText("When do", { selector: ".text" });
    expect(requests.filter((request) => request === TYPING)).toHaveLength(2);
  });
});

describe("times", () => {
  const TODAY_AT_1405 = new Date(2026, 0, 1, 14, 5).toISOString();
  const NEW_YEARS_EVE_AT_2350 = new Date(2025, 11, 31, 23, 50).toISOString();

  test.each([
    [["en-GB"], "14:05", "31 Dec 2025, 23:50"],
    [["de-DE"], "14:05", "31.12.2025, 23:50"],
    [["ja"], "14:05", "2025/12/31 23:50"],
  ])("shows when each message was written, for %j: today %s, before %s", async (languages, today, before) => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(2026, 0, 1, 18, 0) });
    const { view, stream } = await chatting({ languages });
    await stream.emit("message", { ...message(90, "Earlier"), createdAt: NEW_YEARS_EVE_AT_2350 }, 2);
    await stream.emit("message", { ...message(91, "Now"), createdAt: TODAY_AT_1405 }, 3);
    const time = async (text: string) => (await view.findByText(text)).closest(".message")!.querySelector("time")!;
    expect((await time("Earlier")).textContent).toBe(before);
    expect((await time("Earlier")).getAttribute("datetime")).toBe(NEW_YEARS_EVE_AT_2350);
    expect((await time("Now")).textContent).toBe(today);
  });
});

describe("an agent's file", () => {
  const PRICES = { id: "file_7", name: "prices.pdf", size: 2048, kind: "pdf", category: "document" };

  it("offers a Download button that fetches the file with the ticket and saves it from a blob", async () => {
    const fetched: { auth: string | null; secret: string | null }[] = [];
    server.use(
      http.get(`${API}/:id/files/:fileId`, ({ request, params }) => {
        fetched.push({ auth: request.headers.get("authorization"), secret: request.headers.get("x-chat-secret") });
        return params.fileId === PRICES.id
          ? HttpResponse.arrayBuffer(new Uint8Array([37, 80, 68, 70]).buffer)
          : undefined;
      }),
    );
    const saved: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ download: this.download, href: this.href });
    });
    const { view, stream } = await chatting();
    await stream.emit("message", { ...message(101, "", "agent", "Anna"), file: PRICES }, 3);
    const button = await view.findByRole("button", { name: "Download" });
    // Said with the file it saves: "Download, prices.pdf".
    expect(widget.root.getElementById(button.getAttribute("aria-describedby")!)?.textContent).toBe("prices.pdf");
    fireEvent.click(button);
    await waitFor(() => expect(saved).toEqual([{ download: "prices.pdf", href: expect.stringMatching(/^blob:/) }]));
    expect(fetched).toEqual([{ auth: `Bearer ${TICKET}`, secret: SECRET }]);
  });

  it("says so in the visitor's language, and offers none for the visitor's own file", async () => {
    const { view, stream } = await chatting({ languages: ["de"] });
    await stream.emit("message", { ...message(101, "", "agent"), file: PRICES }, 3);
    await stream.emit(
      "message",
      { ...message(102, "", "visitor"), file: { ...PRICES, id: "file_8", name: "mine.png" } },
      4,
    );
    await view.findByText("mine.png");
    expect(view.getAllByRole("button", { name: "Herunterladen" })).toHaveLength(1);
  });
});
