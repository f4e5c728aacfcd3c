// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { renderChat, type OpenChat } from "./chats-page";
import { conversation, imageMessage, seen, server, url, useMockServer } from "./setup";

useMockServer();

/** conv_1 open with an image in it, its previews shown or not. */
const openChat = (previews: boolean, over: OpenChat = {}) =>
  renderChat({ previews, messages: [imageMessage], ...over });

describe("chats page", () => {
  it("says what to do when no one is waiting", async () => {
    openChat(false);
    expect(await screen.findByText(/No one is waiting/)).toBeTruthy();
  });

  it("sends the answer with Enter, and breaks its line with Shift+Enter", async () => {
    const sent: unknown[] = [];
    server.use(
      http.post(url("/conversations/conv_1/messages"), async ({ request }) => {
        const body = (await request.json()) as { text: string };
        sent.push(body);
        return HttpResponse.json(
          { ...imageMessage, id: 99, author: "agent", file: null, text: body.text },
          { status: 201 },
        );
      }),
    );
    openChat(false);
    const answer = (await screen.findByLabelText("Your answer")) as HTMLTextAreaElement;
    expect(answer.tagName).toBe("TEXTAREA");
    fireEvent.input(answer, { target: { value: "Line one" } });
    fireEvent.keyDown(answer, { key: "Enter", shiftKey: true });
    fireEvent.keyDown(answer, { key: "Enter", isComposing: true });
    fireEvent.input(answer, { target: { value: "Line one\nLine two" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
    fireEvent.keyDown(answer, { key: "Enter" });
    await waitFor(() => expect(sent).toEqual([{ text: "Line one\nLine two" }]));
  });

  it("keeps the draft as an internal note with 'Add as note', shown as the team's only", async () => {
    const sent: unknown[] = [];
    server.use(
      http.post(url("/conversations/conv_1/notes"), async ({ request }) => {
        const body = (await request.json()) as { text: string };
        sent.push(body);
        return HttpResponse.json(
          { ...imageMessage, id: 98, author: "note", userId: "user_1", file: null, text: body.text },
          { status: 201 },
        );
      }),
    );
    const { container } = openChat(false);
    fireEvent.input(await screen.findByLabelText("Your answer"), { target: { value: "Refund fraud last week" } });
    fireEvent.click(screen.getByRole("button", { name: "Add as note" }));
    await waitFor(() => expect(sent).toEqual([{ text: "Refund fraud last week" }]));
    const written = await screen.findByText("Refund fraud last week");
    expect(written.closest(".message")?.classList.contains("message-note")).toBe(true);
    expect(container.querySelector(".message-note .message-author")?.textContent).toBe(
      "Note by A co-worker, not shown to the visitor",
    );
    expect(seen).not.toContain("POST /api/v1/console/conversations/conv_1/messages");
  });

  it("passes the chat to a co-worker online, chosen by name, and says when nobody is", async () => {
    let sent: unknown;
    let online = [
      { userId: "user_3", name: "Bo", email: "bo@acme.test" },
      { userId: "user_4", name: null, email: "cy@acme.test" },
    ];
    server.use(
      http.get(url("/conversations/conv_1/transfer"), () => HttpResponse.json({ candidates: online })),
      http.post(url("/conversations/conv_1/transfer"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(conversation({ agentUserId: "user_4", agentName: null }));
      }),
    );
    openChat(false);
    fireEvent.click(await screen.findByRole("button", { name: "Pass to…" }));
    const to = (await screen.findByLabelText("Pass this chat to")) as HTMLSelectElement;
    expect([...to.options].map((option) => option.textContent)).toEqual(["Bo (bo@acme.test)", "cy@acme.test"]);
    fireEvent.change(to, { target: { value: "user_4" } });
    fireEvent.click(screen.getByRole("button", { name: "Pass the chat" }));
    await waitFor(() => expect(sent).toEqual({ userId: "user_4" }));
    await waitFor(() => expect(screen.queryByLabelText("Pass this chat to")).toBeNull());
    online = [];
    fireEvent.click(screen.getByRole("button", { name: "Pass to…" }));
    expect(await screen.findByText("No co-worker is online to take this chat.")).toBeTruthy();
  });

  it("shows a hidden image as its name, size and kind and fetches nothing of it", async () => {
    const { container } = openChat(false);
    await screen.findByText(/preview hidden/);
    expect(container.querySelector(".file-hidden")?.textContent).toMatch(/cat\.png · 2 KB · PNG image/);
    expect(container.querySelector("img")).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.filter((line) => line.includes("/files/"))).toEqual([]);
  });

  it("shows the image once previews are toggled on in the toolbar", async () => {
    const { container } = openChat(false);
    fireEvent.click(await screen.findByRole("button", { name: "Show image previews" }));
    await waitFor(() => expect(container.querySelector("img")?.getAttribute("src")).toBe(url("/files/file_1")));
    expect(seen).toContain("PUT /api/v1/console/conversations/conv_1/previews");
  });

  it("blocks the visitor (browser and address ticked by default) plus what is ticked, for 24 hours by default", async () => {
    let sent: unknown;
    server.use(
      http.post(url("/conversations/conv_1/block"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          {
            rules: [
              {
                id: "rule_1",
                kind: "network",
                rule: "203.0.113.0/24",
                label: null,
                comment: "spam",
                createdBy: { kind: "agent", userId: "u", email: "a@b", conversationId: "conv_1" },
                conversationId: "conv_1",
                createdAt: "2026-01-01T00:00:00Z",
                expiresAt: null,
                created: true,
              },
            ],
            conversation: conversation({ status: "closed", closedReason: "blocked" }),
          },
          { status: 201 },
        );
      }),
    );
    openChat(true);
    fireEvent.click(await screen.findByRole("button", { name: "Block visitor…" }));
    expect((screen.getByLabelText(/This browser/) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/This address/) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/Their network/) as HTMLInputElement).checked).toBe(false);
    // A day unless chosen otherwise.
    expect((screen.getByLabelText("For how long") as HTMLSelectElement).value).toBe("24h");
    fireEvent.click(screen.getByLabelText(/Their network/));
    fireEvent.input(screen.getByLabelText("Comment"), { target: { value: "spam" } });
    const before = Date.now();
    fireEvent.click(screen.getByRole("button", { name: "Block and close chat" }));
    expect(await screen.findByText("203.0.113.0/24")).toBeTruthy();
    const { expiresAt, ...rest } = sent as { expiresAt: string };
    expect(rest).toEqual({ scope: ["visitor", "address", "network"], comment: "spam" });
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(24 * 3_600_000 - 1000);
    expect(Date.parse(expiresAt) - before).toBeLessThan(24 * 3_600_000 + 5000);
    expect(await screen.findByText(/This chat is closed \(blocked\)/)).toBeTruthy();
  });

  it("names the visitor's network operator in the header and offers to block it, unticked", async () => {
    const chat = conversation({ visitorIp: "192.0.2.66", visitorCountry: "DE" });
    const { container } = openChat(false, { chat, visitorAs: { asn: 3320, name: "Deutsche Telekom AG" } });
    await screen.findByText("192.0.2.66");
    expect(container.querySelector(".toolbar")?.textContent).toContain(
      "192.0.2.66 · Germany · AS3320 Deutsche Telekom AG",
    );
    fireEvent.click(screen.getByRole("button", { name: "Block visitor…" }));
    const as = screen.getByLabelText("Their provider AS3320 Deutsche Telekom AG") as HTMLInputElement;
    expect(as.checked).toBe(false);
    expect(screen.getByLabelText("Their network 192.0.2.0/24")).toBeTruthy();
  });

  it("shows the address the visitor writes from now, and the earlier ones of this chat", async () => {
    const moved = conversation({
      visitorIp: "198.51.100.9",
      visitorCountry: "FR",
      visitorAddresses: [
        { ip: "203.0.113.7", country: "DE", since: "2026-01-01T10:00:00.000Z" },
        { ip: "198.51.100.9", country: "FR", since: "2026-01-01T10:05:00.000Z" },
      ],
    });
    const { container } = openChat(false, { chat: moved });
    await screen.findByText("198.51.100.9");
    expect(container.querySelector(".earlier-addresses")?.textContent).toBe(
      "Earlier in this chat from 203.0.113.7 (Germany)",
    );
    fireEvent.click(screen.getByRole("button", { name: "Block visitor…" }));
    expect(screen.getByLabelText(/This address/).closest("label")?.textContent).toContain("198.51.100.9");
  });

  it("closes a chat as spam, sending the flag, and then says it was closed as spam", async () => {
    let sent: unknown;
    server.use(
      http.post(url("/conversations/conv_1/close"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(conversation({ status: "closed", closedReason: "spam" }));
      }),
    );
    openChat(false);
    expect(await screen.findByRole("button", { name: "Close chat" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Close as spam" }));
    expect(await screen.findByText("This chat is closed as spam.")).toBeTruthy();
    expect(sent).toEqual({ spam: true });
    expect(screen.queryByRole("button", { name: "Close as spam" })).toBeNull();
  });

  it("offers Close as spam beside Ignore on a request", async () => {
    openChat(false, { chat: conversation({ status: "pending", agentUserId: null, acceptedAt: null }) });
    const ignore = await screen.findByRole("button", { name: "Ignore" });
    expect(ignore.nextElementSibling?.textContent).toBe("Close as spam");
  });

  it("narrows the closed chats to those closed as spam, and back to all", async () => {
    const asked: string[] = [];
    openChat(false);
    const show = await screen.findByLabelText("Show");
    server.use(
      http.get(url("/conversations"), ({ request }) => {
        const query = new URL(request.url).search;
        asked.push(query);
        const spam = conversation({ id: "conv_2", status: "closed", closedReason: "spam", visitorIp: "192.0.2.9" });
        return HttpResponse.json({
          conversations: query.includes("spam=true") ? [{ ...spam, lastMessage: null }] : [],
        });
      }),
    );
    fireEvent.change(show, { target: { value: "true" } });
    const item = (await screen.findByText("192.0.2.9")).closest("li");
    expect(item?.textContent).toContain("closed as spam");
    expect(asked).toEqual(["?status=closed&spam=true"]);
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "false" } });
    expect(await screen.findByText("No closed chats match.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "" } });
    await waitFor(() =>
      expect(asked).toEqual(["?status=closed&spam=true", "?status=closed&spam=false", "?status=closed"]),
    );
    expect(await screen.findByText("No closed chats yet.")).toBeTruthy();
  });

  it("labels an offline message in its list and in the chat's header, saying when the visitor reads the answer", async () => {
    const offline = conversation({ offline: true });
    const { container } = openChat(false, {
      chat: offline,
      listed: [offline, conversation({ id: "conv_2", visitorIp: "192.0.2.9" })],
    });
    const header = (await screen.findByText(/Written while no agent was online/)).closest(".toolbar");
    expect(header?.textContent).toContain(
      "Offline message Written while no agent was online: the visitor reads your answer on their next visit.",
    );
    await screen.findByText("192.0.2.9");
    const items = [...container.querySelectorAll(".chat-list li")].map((li) => li.textContent ?? "");
    expect(items.filter((text) => text.includes("Offline message"))).toEqual([expect.stringContaining("203.0.113.7")]);
  });

  it("labels no chat written while an agent was online", async () => {
    openChat(false);
    await screen.findByText(/Visitor id v_1/);
    expect(screen.queryByText("Offline message")).toBeNull();
  });

  it("shows a refused answer next to the answer box", async () => {
    server.use(
      http.post(url("/conversations/conv_1/messages"), () =>
        HttpResponse.json(
          {
            error: {
              code: "invalid",
              message: "text: too long",
              fields: { text: "A message is at most 4000 characters." },
            },
          },
          { status: 400 },
        ),
      ),
    );
    openChat(false);
    fireEvent.input(await screen.findByLabelText("Your answer"), { target: { value: "hi" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(await screen.findByText("A message is at most 4000 characters.")).toBeTruthy();
  });
});
