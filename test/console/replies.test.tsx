// @vitest-environment happy-dom
// Canned replies in the console: "/" in the answer box offers the account's replies, narrowed as the
// agent types and picked by keyboard or click (never sent by the Enter that picks); owners keep the list.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { RepliesSection } from "../../console/RepliesSection";
import { matchingReplies } from "../../console/reply-match";
import type { CannedReply } from "../../console/types";
import { renderChat } from "./chats-page";
import { api, apiError, imageMessage, seen, server, url, useMockServer } from "./setup";

useMockServer();

const REPLIES: CannedReply[] = [
  { id: "reply_1", shortcut: "hello", text: "Hello! How can I help?" },
  { id: "reply_2", shortcut: "refund", text: "Refunds take 5 days.\nAnything else?" },
  { id: "reply_3", shortcut: "prefs", text: "Your preferences are under Account." },
];

describe("the replies offered for what is typed", () => {
  it.each([
    ["/", ["hello", "refund", "prefs"]],
    ["/re", ["refund", "prefs"]],
    ["/REFU", ["refund"]],
    ["/ref", ["refund", "prefs"]],
    ["/nothing", []],
    ["hello", []],
    ["/re fund", []],
    ["/re\n", []],
  ])("offers for %j: %j", (draft, shortcuts) => {
    expect(matchingReplies(REPLIES, draft).map((reply) => reply.shortcut)).toEqual(shortcuts);
  });
});

/** The open chat's answer box, with the account's replies, and the messages it sent. */
async function answerBox() {
  const sent: unknown[] = [];
  server.use(
    http.post(url("/conversations/conv_1/messages"), async ({ request }) => {
      const body = (await request.json()) as { text: string };
      sent.push(body.text);
      return HttpResponse.json(
        { ...imageMessage, id: 99, author: "agent", file: null, text: body.text },
        { status: 201 },
      );
    }),
  );
  renderChat({ replies: REPLIES });
  const box = (await screen.findByLabelText("Your answer")) as HTMLTextAreaElement;
  await waitFor(() => expect(seen).toContain("GET /api/v1/console/replies"));
  const type = (text: string) => fireEvent.input(box, { target: { value: text } });
  // Found by id: hidden while empty, it has no accessible name to find it by.
  const list = () => document.getElementById("canned-replies")!;
  const options = () =>
    within(list())
      .queryAllByRole("option", { hidden: true })
      .map((option) => option.textContent);
  return { box, sent, type, options, list };
}

describe("the answer box", () => {
  it("offers the replies on '/', narrows them, and inserts the one picked with the arrows and Enter", async () => {
    const { box, sent, type, options, list } = await answerBox();
    type("/");
    await waitFor(() => expect(options()).toHaveLength(3));
    type("/re");
    expect(options()).toEqual([
      "/refund Refunds take 5 days.\nAnything else?",
      "/prefs Your preferences are under Account.",
    ]);
    expect(box.getAttribute("aria-activedescendant")).toBe("canned-reply-0");
    fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(within(list()).getAllByRole("option")[1]!.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(box, { key: "Enter" });
    expect(box.value).toBe("Your preferences are under Account.");
    expect(options()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toEqual([]);
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(sent).toEqual(["Your preferences are under Account."]));
  });

  it("inserts a reply clicked, and sends a '/' nothing matches as written", async () => {
    const { box, sent, type, options } = await answerBox();
    type("/hel");
    await waitFor(() => expect(options()).toHaveLength(1));
    fireEvent.click(within(screen.getByRole("listbox", { name: "Canned replies" })).getByRole("option"));
    expect(box.value).toBe("Hello! How can I help?");
    type("/usr/bin is the folder");
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(sent).toEqual(["/usr/bin is the folder"]));
  });

  it("closes the list on Escape, so Enter sends what is typed", async () => {
    const { box, sent, type, options } = await answerBox();
    type("/refund");
    await waitFor(() => expect(options()).toHaveLength(1));
    fireEvent.keyDown(box, { key: "Escape" });
    expect(options()).toEqual([]);
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(sent).toEqual(["/refund"]));
  });
});

describe("the owners' list of canned replies", () => {
  it("adds a reply, shows a refused shortcut beside its field, and removes one", async () => {
    const held = [...REPLIES];
    server.use(
      http.get(url("/replies"), () => HttpResponse.json({ replies: held })),
      http.post(url("/replies"), async ({ request }) => {
        const body = (await request.json()) as { shortcut: string; text: string };
        if (body.shortcut === "hello")
          return HttpResponse.json(
            apiError("shortcut_taken", "shortcut: taken", {
              shortcut: "Another reply has that shortcut: choose another.",
            }),
            { status: 409 },
          );
        return HttpResponse.json({ id: "reply_9", ...body }, { status: 201 });
      }),
      http.delete(url("/replies/reply_1"), () => new HttpResponse(null, { status: 204 })),
    );
    render(<RepliesSection api={api} />);
    await screen.findByText("/refund");
    fireEvent.input(screen.getByLabelText("Shortcut"), { target: { value: "hello" } });
    fireEvent.input(screen.getByLabelText("Reply"), { target: { value: "Hi again" } });
    fireEvent.click(screen.getByRole("button", { name: "Add reply" }));
    expect(await screen.findByText("Another reply has that shortcut: choose another.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("Shortcut"), { target: { value: "bye" } });
    fireEvent.click(screen.getByRole("button", { name: "Add reply" }));
    expect(await screen.findByText("/bye")).toBeTruthy();
    expect((screen.getByLabelText("Shortcut") as HTMLInputElement).value).toBe("");
    fireEvent.click(screen.getByRole("button", { name: "Remove /hello" }));
    await waitFor(() => expect(screen.queryByText("/hello")).toBeNull());
    expect(screen.getAllByRole("listitem").map((item) => item.querySelector("code")?.textContent)).toEqual([
      "/bye",
      "/prefs",
      "/refund",
    ]);
  });
});
