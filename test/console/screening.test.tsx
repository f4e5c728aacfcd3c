// @vitest-environment happy-dom
// Screening in an open chat: masked words show as ••• until the agent asks (the server records it),
// links are text with their host set apart and a copy button (clickable only when allowed), and held
// messages wait in their own list until an agent releases them into the chat.
import { act, fireEvent, screen, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { Message } from "../../console/types";
import { renderChat } from "./chats-page";
import { server, url, useMockServer } from "./setup";

useMockServer();

const visitorMessage = (id: number, over: Partial<Message>): Message => ({
  id,
  conversationId: "conv_1",
  author: "visitor",
  userId: null,
  agentName: null,
  agentAvatar: null,
  text: "",
  file: null,
  createdAt: "2026-01-01T10:02:00.000Z",
  screening: null,
  held: false,
  released: null,
  ...over,
});

const ABUSIVE = visitorMessage(1, { text: "you idiot, help", screening: { abuse: [[4, 9]], links: [] } });
const LINKED = visitorMessage(2, {
  text: "pay at paypal.com.evil.info/x",
  screening: { abuse: [], links: [[7, 29, "evil.info"]] },
});

describe("a screened message", () => {
  it("shows masked words only once the server has recorded the agent asking", async () => {
    const reveals: string[] = [];
    server.use(
      http.post(url("/conversations/conv_1/messages/1/reveal"), ({ request }) => {
        reveals.push(request.url);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    renderChat({ messages: [ABUSIVE] });
    await screen.findByText("•••");
    expect(screen.queryByText(/idiot/)).toBeNull();
    await act(() => {
      fireEvent.click(screen.getByRole("button", { name: "Show" }));
    });
    await screen.findByText(/you idiot, help/);
    expect(reveals).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Show" })).toBeNull();
  });

  it("keeps the words masked when the server refuses, and says why", async () => {
    server.use(
      http.post(url("/conversations/conv_1/messages/1/reveal"), () =>
        HttpResponse.json({ error: { code: "not_found", message: "This chat has no such message." } }, { status: 404 }),
      ),
    );
    renderChat({ messages: [ABUSIVE] });
    const show = await screen.findByRole("button", { name: "Show" });
    await act(() => {
      fireEvent.click(show);
    });
    await screen.findByText("This chat has no such message.");
    expect(screen.queryByText(/idiot/)).toBeNull();
  });

  it("shows a link as text with the host it goes to, not as a link", async () => {
    const { container } = renderChat({ messages: [LINKED] });
    await screen.findByText("paypal.com.evil.info/x");
    expect(container.querySelector(".message a")).toBeNull();
    expect(container.querySelector(".link-host strong")?.textContent).toBe("evil.info");
    expect(screen.getByRole("button", { name: "Copy the link to evil.info" })).toBeTruthy();
  });

  it("draws a link isolated and without the bidi overrides a visitor typed into it", async () => {
    const text = "see \u202eevil.info/\u202dmoc.lapyap ok";
    const overridden = visitorMessage(3, { text, screening: { abuse: [], links: [[5, 26, "evil.info"]] } });
    const { container } = renderChat({ messages: [overridden] });
    await screen.findByText("evil.info/moc.lapyap");
    const link = container.querySelector("bdi.message-link");
    expect(link?.getAttribute("dir")).toBe("ltr");
    expect(link?.textContent).not.toMatch(/[\u202a-\u202e]/);
    expect(link?.querySelector(".link-host strong")?.textContent).toBe("evil.info");
  });

  it("makes the link clickable, safely, when the owner allows links", async () => {
    const clickable = { ...LINKED, screening: { ...LINKED.screening!, clickable: true as const } };
    const { container } = renderChat({ messages: [clickable] });
    await screen.findByText("paypal.com.evil.info/x");
    const link = container.querySelector<HTMLAnchorElement>(".message a")!;
    expect(link.getAttribute("href")).toBe("https://paypal.com.evil.info/x");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer nofollow ugc");
  });

  it("masks abuse inside a link, which keeps its host and is no link until the agent asks to see it", async () => {
    server.use(
      http.post(url("/conversations/conv_1/messages/5/reveal"), () => new HttpResponse(null, { status: 204 })),
    );
    const text = "pay at evil.info/login?shit now";
    const abusive = visitorMessage(5, {
      text,
      screening: { abuse: [[23, 27]], links: [[7, 27, "evil.info"]], clickable: true },
    });
    const { container } = renderChat({ messages: [abusive] });
    await screen.findByText("evil.info/login?•••");
    expect(container.querySelector(".message a")).toBeNull();
    expect(container.querySelector(".link-host strong")?.textContent).toBe("evil.info");
    await act(() => {
      fireEvent.click(screen.getByRole("button", { name: "Show" }));
    });
    await screen.findByText("evil.info/login?shit");
    expect(container.querySelector<HTMLAnchorElement>(".message a")?.getAttribute("href")).toBe(
      "https://evil.info/login?shit",
    );
  });
});

describe("held messages", () => {
  it("wait in their own list, and one released joins the chat with who released it", async () => {
    const held = visitorMessage(3, { text: "you idiot", screening: { abuse: [[4, 9]], links: [] }, held: true });
    server.use(
      http.post(url("/conversations/conv_1/messages/3/release"), () =>
        HttpResponse.json({ ...held, held: false, released: { by: "Anna", at: "2026-01-01T10:05:00.000Z" } }),
      ),
    );
    renderChat({ messages: [visitorMessage(4, { text: "hello" }), held] });
    const list = await screen.findByRole("region", { name: "Held messages" });
    expect(within(list).getByText("Held (1)")).toBeTruthy();
    await act(() => {
      fireEvent.click(within(list).getByRole("button", { name: "Release into the chat" }));
    });
    await screen.findByText("Held by screening, released by Anna");
    expect(screen.queryByRole("region", { name: "Held messages" })).toBeNull();
  });

  it("grow when the feed says one was held", async () => {
    const held = visitorMessage(5, {
      text: "spam.info",
      screening: { abuse: [], links: [[0, 9, "spam.info"]] },
      held: true,
    });
    const { feed } = renderChat({ messages: [] });
    await screen.findByText("No messages yet.");
    server.use(
      http.get(url("/conversations/conv_1"), () =>
        HttpResponse.json({
          conversation: { id: "conv_1" },
          messages: [held],
          previews: { show: false, override: null },
        }),
      ),
    );
    await feed.send("held", { conversationId: "conv_1", id: 5 });
    await screen.findByRole("region", { name: "Held messages" });
  });
});
