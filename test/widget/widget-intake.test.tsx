// @vitest-environment happy-dom
// The form before the chat in the mounted widget: the owner's pre-chat fields and the email asked while
// nobody is online, checked before anything is sent (what is missing said under its field, which gets
// the focus), sent with the new chat, then the first message; none for a chat already under way.

import { fireEvent, waitFor } from "@testing-library/preact";
import { http } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PrechatField } from "../../policy/prechat";
import { ACCOUNT, API, conversationEvent, openedStream, REMEMBERED, startedResponse, visitorApi } from "./fakes";
import { mountWidget, type Mounted } from "./mount";

const { server, requests, reset } = visitorApi();
const FORM: PrechatField[] = [
  { kind: "name", required: true },
  { kind: "email", required: false },
  { kind: "choice", label: "Topic", required: true, options: ["Billing", "Delivery"] },
  { kind: "text", label: "Order number", required: false },
];

let widget: Mounted;
/** The bodies of the starts the widget sent, parsed ("" for none). */
let starts: unknown[];

/** Answers a start as the server would, offline when nobody is online, and keeps what was sent. */
function startAnswered({ offline = false } = {}) {
  server.use(
    http.post(API, async ({ request }) => {
      const text = await request.text();
      starts.push(text === "" ? "" : JSON.parse(text));
      return startedResponse(conversationEvent("pending", { offline }));
    }),
  );
}

async function openPanel(config: Parameters<typeof mountWidget>[0]) {
  widget = mountWidget(config);
  fireEvent.click(await widget.view.findByRole("button", { name: "Open chat" }));
  return widget.view.findByRole("dialog");
}

const type = (label: string, value: string) =>
  fireEvent.input(widget.view.getByLabelText(label), { target: { value } });
const submit = (name: string) => fireEvent.click(widget.view.getByRole("button", { name }));
/** The problem said under a field, by its label. */
const problemOf = (label: string) => {
  const field = widget.view.getByLabelText(label);
  const id = field.getAttribute("aria-describedby");
  return id === null ? null : (widget.root.getElementById(id)?.textContent ?? null);
};

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["en"]);
  reset();
  localStorage.clear();
  starts = [];
});
afterEach(() => {
  widget.unmount();
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe("the pre-chat form", () => {
  it("asks the owner's fields before the first message, optional ones marked, the first one focused", async () => {
    await openPanel({ prechat: FORM });
    const labels = [...widget.root.querySelectorAll(".intake label")].map((label) => label.textContent);
    expect(labels).toEqual(["Name", "Email (optional)", "Topic", "Order number (optional)", "Message"]);
    await waitFor(() => expect(widget.root.activeElement).toBe(widget.view.getByLabelText("Name")));
    const topic = widget.view.getByLabelText("Topic") as HTMLSelectElement;
    expect([...topic.options].map((option) => option.text)).toEqual(["Choose…", "Billing", "Delivery"]);
    expect(widget.view.queryByPlaceholderText("Write a message…")).toBeNull();
  });

  it.each([
    ["a required name left empty", {}, "Name", "Answer this to start the chat."],
    [
      "an email that is not an address",
      { Name: "Ada", "Email (optional)": "ada at example" },
      "Email (optional)",
      "Enter an email address like name@example.com.",
    ],
    ["a required choice left on Choose…", { Name: "Ada" }, "Topic", "Answer this to start the chat."],
    ["no message", { Name: "Ada", Topic: "Billing" }, "Message", "Write a message first."],
  ])("says what is wrong with %s under it, focuses it, and sends nothing", async (_case, answers, label, problem) => {
    await openPanel({ prechat: FORM });
    for (const [field, value] of Object.entries(answers)) type(field, value);
    submit("Start chat");
    await waitFor(() => expect(problemOf(label)).toBe(problem));
    expect(widget.view.getByLabelText(label).getAttribute("aria-invalid")).toBe("true");
    expect(widget.root.activeElement).toBe(widget.view.getByLabelText(label));
    expect(requests).toEqual([]);
  });

  it("sends the answers with the new chat, one per field, then the message, and gives way to the composer", async () => {
    startAnswered();
    await openPanel({ prechat: FORM });
    type("Name", "Ada Lovelace");
    type("Topic", "Billing");
    type("Message", "Where is my parcel?");
    submit("Start chat");
    await widget.view.findByText("Where is my parcel?", { selector: ".text" });
    expect(starts).toEqual([{ prechat: { answers: ["Ada Lovelace", "", "Billing", ""] } }]);
    expect(requests.filter((request) => request.startsWith("POST"))).toEqual([
      `POST /api/v1/widget/${ACCOUNT}/conversations`,
      `POST /api/v1/widget/${ACCOUNT}/conversations/conv_1/messages`,
    ]);
    expect(widget.root.querySelector(".intake")).toBeNull();
    expect(widget.view.getByPlaceholderText("Write a message…")).toBeTruthy();
  });

  it("is not asked again of a chat this browser has under way", async () => {
    localStorage.setItem(`hatch:${ACCOUNT}:conversation`, REMEMBERED);
    await openPanel({ prechat: FORM });
    expect(widget.root.querySelector(".intake")).toBeNull();
    expect(widget.view.getByPlaceholderText("Write a message…")).toBeTruthy();
  });

  it("comes back, empty of the last chat, when the visitor starts a new chat after one ended", async () => {
    startAnswered();
    await openPanel({ prechat: [{ kind: "name", required: true }] });
    type("Name", "Ada");
    type("Message", "Hello");
    submit("Start chat");
    await widget.view.findByText("Hello", { selector: ".text" });
    await (await openedStream()).emit("conversation", conversationEvent("closed"), 3);
    fireEvent.click(await widget.view.findByRole("button", { name: "Start a new chat" }));
    expect(await widget.view.findByLabelText("Name")).toBeTruthy();
    expect(widget.root.querySelector(".log")?.textContent).not.toContain("Hello");
  });
});

describe("the email asked while nobody is online", () => {
  it("is asked, optional by default, with the message; the visitor is told the answer comes by email", async () => {
    startAnswered({ offline: true });
    const dialog = await openPanel({ away: true });
    expect(dialog.querySelector(".subtitle")?.textContent).toBe(
      "Nobody is online right now: leave a message and your email, and the answer will come by email.",
    );
    type("Your email, for our answer (optional)", "Ada@Example.com");
    type("Message", "Call me back");
    submit("Send");
    await widget.view.findByText("Call me back", { selector: ".text" });
    expect(starts).toEqual([{ email: "Ada@Example.com" }]);
    expect(dialog.querySelector(".log")?.textContent).toContain(
      "We will answer by email at \u2068ada@example.com\u2069.",
    );
  });

  it("may be left out when optional: the chat starts without it, and no email notice", async () => {
    startAnswered({ offline: true });
    const dialog = await openPanel({ away: true });
    type("Message", "Just a note");
    submit("Send");
    await widget.view.findByText("Just a note", { selector: ".text" });
    expect(starts).toEqual([{}]);
    expect(dialog.querySelector(".log")?.textContent).not.toContain("by email");
  });

  it("is demanded when the owner requires it", async () => {
    await openPanel({ away: true, offlineEmail: "required" });
    type("Message", "Hello?");
    submit("Send");
    await waitFor(() => expect(problemOf("Your email, for our answer")).toBe("Answer this to start the chat."));
    expect(requests).toEqual([]);
  });

  it.each([
    ["the owner turned it off", { away: true, offlineEmail: "off" as const }],
    ["an agent is online", { offlineEmail: "required" as const }],
  ])("is not asked when %s: the composer starts the chat as before", async (_case, config) => {
    await openPanel(config);
    expect(widget.root.querySelector(".intake")).toBeNull();
    expect(widget.view.getByPlaceholderText("Write a message…")).toBeTruthy();
  });

  it("is not asked twice when the pre-chat form asks for the email itself", async () => {
    await openPanel({ away: true, prechat: [{ kind: "email", required: true }] });
    const labels = [...widget.root.querySelectorAll(".intake label")].map((label) => label.textContent);
    expect(labels).toEqual(["Email", "Message"]);
  });
});

describe("the privacy notice", () => {
  const NOTICE = { text: "We keep chats for 90 days.", url: "https://shop.example/privacy", version: 3 };

  it("shows the owner's words and their policy's link before the first message, and not after", async () => {
    startAnswered();
    await openPanel({ privacy: NOTICE });
    const notice = widget.root.querySelector(".privacy");
    expect(notice?.textContent).toBe("We keep chats for 90 days. Privacy policy");
    const link = widget.view.getByRole("link", { name: "Privacy policy" });
    expect(link.getAttribute("href")).toBe("https://shop.example/privacy");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer");
    // No agreement asked: the composer as ever, and the start carries none.
    fireEvent.input(widget.view.getByPlaceholderText("Write a message…"), { target: { value: "Hello" } });
    submit("Send");
    await widget.view.findByText("Hello", { selector: ".text" });
    expect(starts).toEqual([""]);
    expect(widget.root.querySelector(".privacy")).toBeNull();
  });

  it("asks the box ticked before a chat starts when agreement is required, then sends the notice's version", async () => {
    startAnswered();
    await openPanel({ privacy: { ...NOTICE, requireConsent: true } });
    type("Message", "Hello");
    submit("Start chat");
    await waitFor(() =>
      expect(problemOf("I agree to the privacy notice")).toBe("Tick the box to agree, then start the chat."),
    );
    expect(widget.root.activeElement).toBe(widget.view.getByLabelText("I agree to the privacy notice"));
    expect(requests).toEqual([]);
    fireEvent.click(widget.view.getByLabelText("I agree to the privacy notice"));
    submit("Start chat");
    await widget.view.findByText("Hello", { selector: ".text" });
    expect(starts).toEqual([{ consent: { version: 3 } }]);
  });

  it("words the box and the link in the visitor's language, the owner's text as written", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["de"]);
    widget = mountWidget({ privacy: { ...NOTICE, requireConsent: true } });
    fireEvent.click(await widget.view.findByRole("button", { name: "Chat öffnen" }));
    await widget.view.findByRole("dialog");
    expect(widget.view.getByLabelText("Ich stimme dem Datenschutzhinweis zu")).toBeTruthy();
    expect(widget.view.getByRole("link", { name: "Datenschutzerklärung" })).toBeTruthy();
    expect(widget.root.querySelector(".privacy")?.textContent).toContain("We keep chats for 90 days.");
  });
});
