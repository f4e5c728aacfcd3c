// The visitor's chat model without rendering: its API client against msw, its event stream a fake the test drives.
// A chat is the browser's by its secret: sent as a header on every request on the chat, in no URL.

import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi, type Mock } from "vitest";
import { SNIFF_BYTES } from "../../policy/file-kind";
import type { FilePolicy } from "../../policy/schema";
import { createApi, type ChatKey } from "../../widget/api";
import { en } from "../../widget/i18n/en";
import { createVisitorChat, type VisitorChat } from "../../widget/visitor-chat";
import {
  ACCOUNT,
  API,
  apiError,
  BASE,
  CONVERSATION,
  conversationEvent,
  englishT,
  FakeStream,
  fixtureFile,
  MB,
  message,
  named,
  SECRET,
  startedResponse,
  TICKET,
  TICKET_REQUEST,
  TICKET_URL,
  unavailableResponse,
  VISITOR,
  visitorApi,
} from "./fakes";

const { server, requests, urls, secrets, uploads, reset } = visitorApi();
const IMAGES_ONLY: FilePolicy = { categories: ["image"], maxBytes: 10 * MB };
const PAGE = "https://shop.example/cart?step=2";
const JOINED_NOTICE = en["notice.joined"];
const ENDED_NOTICE = en["notice.ended"];

let model: VisitorChat;
let gone: Mock<() => void>;
let remembered: ChatKey | null;
const CHAT: ChatKey = { id: CONVERSATION, secret: SECRET };
/** The event stream the model has opened, once it has. */
const streamed = () => vi.waitFor(() => FakeStream.latest);

function createModel(files = IMAGES_ONLY) {
  gone = vi.fn<() => void>();
  model = createVisitorChat(
    createApi({ base: BASE, account: ACCOUNT, config: { visitor: VISITOR, files } }, { page: () => PAGE }),
    {
      files,
      t: englishT,
      onGone: gone,
      memory: { load: () => remembered, save: (chat) => (remembered = chat) },
      retryDelayMs: () => 0,
    },
  );
  return model;
}

const texts = () => model.items.value.map((item) => (item.type === "notice" ? item.text : item.message.text));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  reset();
  remembered = null;
});
afterEach(() => {
  model.dispose();
  server.resetHandlers();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
afterAll(() => server.close());

describe("chat model", () => {
  it("starts the conversation on the first message, sends it and remembers the conversation", async () => {
    createModel();
    expect(await model.send("  Hello there  ")).toBe(true);
    expect(requests).toEqual([
      TICKET_REQUEST,
      `POST /api/v1/widget/${ACCOUNT}/conversations`,
      `POST /api/v1/widget/${ACCOUNT}/conversations/${CONVERSATION}/messages`,
    ]);
    expect(texts()).toEqual(["Hello there"]);
    expect(model.status.value).toBe("pending");
    expect(remembered).toEqual(CHAT);
    const stream = await streamed();
    expect(stream.url).toBe(`${API}/${CONVERSATION}/events?after=0`);
    expect([stream.headers.get("authorization"), stream.headers.get("x-chat-secret")]).toEqual([
      `Bearer ${TICKET}`,
      SECRET,
    ]);
  });

  it("sends the chat's secret with every request on the chat, and puts neither it nor the ticket in any URL", async () => {
    createModel();
    await model.send("Hi");
    await model.attach(fixtureFile("fixture.png"));
    model.typing();
    await vi.waitFor(() => expect(requests.at(-1)).toMatch(/\/typing$/));
    await (await streamed()).end();
    await vi.waitFor(() => expect(FakeStream.opened).toHaveLength(2));
    const onTheChat = urls.flatMap((url, i) => (url.includes(`/conversations/${CONVERSATION}/`) ? [secrets[i]] : []));
    expect(onTheChat).toHaveLength(5);
    expect(new Set(onTheChat)).toEqual(new Set([SECRET]));
    // A new chat is asked for with no secret: there is none yet.
    expect(secrets[urls.indexOf(API)]).toBeNull();
    for (const url of urls) expect(url).not.toMatch(new RegExp(`${SECRET}|${TICKET}|secret|ticket=`));
  });

  it("asks for the ticket once, on first use, for this page and the verdict's visitor id", async () => {
    createModel();
    expect(requests).toEqual([]);
    await model.send("One");
    await model.send("Two");
    expect(urls.filter((url) => url.includes("/ticket"))).toEqual([
      `${BASE}/api/v1/widget/${ACCOUNT}/ticket?page=${encodeURIComponent(PAGE)}&visitor=${VISITOR}`,
    ]);
    expect((await streamed()).headers.get("authorization")).toBe(`Bearer ${TICKET}`);
  });

  it("leaves when the chat is hidden by the time the ticket is asked for", async () => {
    server.use(http.get(`${BASE}/api/v1/widget/${ACCOUNT}/ticket`, () => HttpResponse.json({ show: false })));
    createModel();
    expect(await model.send("Hello")).toBe(false);
    expect(gone).toHaveBeenCalledOnce();
    expect(requests).toEqual([TICKET_REQUEST]);
  });

  it("sends nothing for a blank message", async () => {
    createModel();
    expect(await model.send("   \n ")).toBe(false);
    expect(requests).toEqual([]);
  });

  it("shows each streamed message once, even when the stream replays it", async () => {
    createModel();
    await model.send("Hi");
    const stream = await streamed();
    await stream.emit("conversation", conversationEvent("pending"), 1);
    await stream.emit("message", message(100, "Hi", "visitor"), 2);
    await stream.emit("message", message(101, "Hello, how can I help?"), 3);
    await stream.emit("message", message(101, "Hello, how can I help?"), 3);
    expect(texts()).toEqual(["Hi", "Hello, how can I help?"]);
  });

  it("asks again from the last event seen when the stream ends, and adds only what is new", async () => {
    createModel();
    await model.send("Hi");
    const first = await streamed();
    await first.emit("message", message(101, "First answer"), 3);
    await first.emit("typing", { conversationId: CONVERSATION, name: null });
    await first.end();
    await vi.waitFor(() => expect(FakeStream.opened).toHaveLength(2));
    const again = FakeStream.latest;
    expect(again.url).toBe(`${API}/${CONVERSATION}/events?after=3`);
    await again.emit("message", message(101, "First answer"), 3);
    await again.emit("message", message(102, "Second answer"), 4);
    expect(texts()).toEqual(["Hi", "First answer", "Second answer"]);
  });

  it("tells the visitor once that an agent joined and that the chat ended", async () => {
    createModel();
    await model.send("Hi");
    const stream = await streamed();
    await stream.emit("conversation", conversationEvent("active"), 5);
    await stream.emit("conversation", conversationEvent("pending"), 1);
    await stream.emit("conversation", conversationEvent("active"), 5);
    await stream.emit("conversation", conversationEvent("closed"), 6);
    expect(texts()).toEqual(["Hi", JOINED_NOTICE, ENDED_NOTICE]);
    expect(model.status.value).toBe("closed");
    expect(remembered).toBeNull();
  });

  it("tells the visitor who answers now when the chat is passed to another agent, and not again for the same one", async () => {
    createModel();
    await model.send("Hi");
    const stream = await streamed();
    await stream.emit("conversation", conversationEvent("active", { agentName: "Anna" }), 5);
    await stream.emit("conversation", conversationEvent("active", { agentName: "Anna" }), 5);
    await stream.emit("conversation", conversationEvent("active", { agentName: "Bo" }), 7);
    await stream.emit("conversation", conversationEvent("active", { agentName: null }), 8);
    expect(texts()).toEqual(["Hi", "\u2068Anna\u2069 has joined", "\u2068Bo\u2069 has joined", JOINED_NOTICE]);
  });

  test.each([
    ["Anna", "\u2068Anna\u2069 has joined"],
    [null, JOINED_NOTICE],
  ])("says that the agent named %j joined, the name set apart from the sentence", async (agentName, notice) => {
    createModel();
    await model.send("Hi");
    await (await streamed()).emit("conversation", conversationEvent("active", { agentName }), 5);
    expect(texts()).toEqual(["Hi", notice]);
  });

  it("knows a chat written while no agent was online is an offline message", async () => {
    server.use(http.post(API, () => startedResponse(conversationEvent("pending", { offline: true }))));
    createModel();
    expect(model.offline.value).toBe(false);
    await model.send("Anyone there?");
    expect(model.offline.value).toBe(true);
  });

  it("shows the agent typing from the stream, and hides it when their message comes", async () => {
    createModel();
    await model.send("Hi");
    const stream = await streamed();
    await stream.emit("typing", { conversationId: CONVERSATION, name: "Anna" });
    expect(model.typist.value).toEqual({ name: "Anna" });
    await stream.emit("message", message(101, "Hello!", "agent", "Anna"), 4);
    expect(model.typist.value).toBeNull();
  });

  it("tells the agent the visitor is typing at most once every 3 s, once there is a chat and while it is open", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const typingRequest = `POST /api/v1/widget/${ACCOUNT}/conversations/${CONVERSATION}/typing`;
    const told = () => requests.filter((request) => request === typingRequest).length;
    createModel();
    // No chat yet: nothing to tell, and nothing started for it.
    model.typing();
    await model.send("Hi");
    model.typing();
    model.typing();
    vi.advanceTimersByTime(2_999);
    model.typing();
    await vi.waitFor(() => expect(told()).toBe(1));
    vi.advanceTimersByTime(1);
    model.typing();
    await vi.waitFor(() => expect(told()).toBe(2));
    await (await streamed()).emit("conversation", conversationEvent("closed"), 6);
    vi.advanceTimersByTime(3_000);
    model.typing();
    // A new chat, asked for after: a typing signal sent before it would be listed before it.
    await model.send("Hello?");
    expect(requests.filter((request) => request.endsWith("/typing"))).toHaveLength(2);
  });

  it("starts a new conversation after the chat ended", async () => {
    createModel();
    await model.send("Hi");
    await (await streamed()).emit("conversation", conversationEvent("closed"), 6);
    const second = { id: "conv_2", secret: "secret-of-conv_2".padEnd(43, "x") };
    server.use(
      http.post(API, () => startedResponse({ ...conversationEvent("pending"), id: second.id }, second.secret)),
    );
    await model.restart();
    expect(model.status.value).toBe("pending");
    expect(texts()).toEqual([]);
    expect(remembered).toEqual(second);
    await vi.waitFor(() => expect(FakeStream.latest.url).toContain("/conversations/conv_2/events?"));
    expect(FakeStream.latest.headers.get("x-chat-secret")).toBe(second.secret);
  });

  it("resumes the chat another tab of the site started, with the secret that tab remembered", async () => {
    server.use(
      http.post(API, ({ request }) =>
        request.headers.get("x-chat-secret") === SECRET
          ? HttpResponse.json({ conversation: conversationEvent("active"), messages: [message(90, "Earlier")] })
          : apiError(409, "chat_open", "This browser has a chat open."),
      ),
    );
    createModel();
    remembered = CHAT;
    expect(await model.send("From the second tab")).toBe(true);
    expect(texts()).toEqual(["Earlier", JOINED_NOTICE, "From the second tab"]);
    expect(remembered).toEqual(CHAT);
  });

  it("words a start refused for a chat open elsewhere in general terms, and resumes it on the next try", async () => {
    server.use(
      http.post(API, ({ request }) =>
        request.headers.get("x-chat-secret") === SECRET
          ? HttpResponse.json({ conversation: conversationEvent("pending"), messages: [] })
          : apiError(409, "chat_open", "This browser has a chat open."),
      ),
    );
    createModel();
    expect(await model.send("Hi")).toBe(false);
    expect(model.alert.value).toBe(en["error.refused"]);
    // Meanwhile the tab that started it has written it down.
    remembered = CHAT;
    expect(await model.send("Hi")).toBe(true);
  });

  it("resumes a remembered conversation from its event stream with its secret, without starting one", async () => {
    remembered = CHAT;
    createModel();
    model.resume();
    const stream = await streamed();
    expect(stream.url).toBe(`${API}/${CONVERSATION}/events?after=0`);
    expect(stream.headers.get("x-chat-secret")).toBe(SECRET);
    await stream.emit("conversation", conversationEvent("pending"), 1);
    await stream.emit("message", message(100, "Earlier question", "visitor"), 2);
    await stream.emit("conversation", conversationEvent("active"), 3);
    await stream.emit("message", message(101, "Earlier answer"), 4);
    expect(texts()).toEqual(["Earlier question", JOINED_NOTICE, "Earlier answer"]);
    expect(requests).toEqual([TICKET_REQUEST]);
    await model.send("More");
    expect(requests).toEqual([TICKET_REQUEST, `POST /api/v1/widget/${ACCOUNT}/conversations/${CONVERSATION}/messages`]);
  });

  it("asks again after a stream that could not open, from the last event it saw", async () => {
    createModel();
    await model.send("Hi");
    await (await streamed()).emit("message", message(101, "Answer"), 7);
    server.use(http.get(`${API}/:id/events`, () => HttpResponse.error(), { once: true }));
    await FakeStream.latest.end();
    await vi.waitFor(() => expect(FakeStream.opened).toHaveLength(2));
    expect(FakeStream.latest.url).toMatch(/\?after=7$/);
    expect(urls.filter((url) => url.includes("/events?after=7"))).toHaveLength(2);
  });

  it("says the session expired when the stream is refused with 401 even with a new ticket", async () => {
    createModel();
    await model.send("Hi");
    server.use(
      http.get(`${API}/:id/events`, () =>
        apiError(401, "ticket_invalid", "This chat session has expired: reload the page to continue."),
      ),
    );
    await (await streamed()).end();
    await vi.waitFor(() => expect(model.expired.value).toBe(true));
  });

  it("renews an expired ticket once and carries on, on a request and on the stream", async () => {
    createModel();
    await model.send("Hi");
    const expiredOnce = () =>
      apiError(401, "ticket_invalid", "This chat session has expired: reload the page to continue.");
    server.use(
      http.get(TICKET_URL, () => HttpResponse.json({ show: true, ticket: "renewed.signature" })),
      http.post(`${API}/:id/messages`, expiredOnce, { once: true }),
    );
    expect(await model.send("Still there?")).toBe(true);
    expect(urls.filter((url) => url.includes("/ticket"))).toHaveLength(2);
    server.use(http.get(`${API}/:id/events`, expiredOnce, { once: true }));
    await (await streamed()).end();
    await vi.waitFor(() => expect(FakeStream.latest.headers.get("authorization")).toBe("Bearer renewed.signature"));
    expect(model.expired.value).toBe(false);
    expect(texts()).toEqual(["Hi", "Still there?"]);
  });

  it("retries a resume whose ticket could not be fetched, then listens", async () => {
    remembered = CHAT;
    server.use(http.get(TICKET_URL, () => HttpResponse.error(), { once: true }));
    createModel();
    model.resume();
    const stream = await streamed();
    expect(stream.url).toBe(`${API}/${CONVERSATION}/events?after=0`);
    expect(stream.headers.get("authorization")).toBe(`Bearer ${TICKET}`);
    expect(model.alert.value).toBe("");
  });

  it("leaves when a remembered chat is hidden by the time it resumes", async () => {
    remembered = CHAT;
    server.use(http.get(TICKET_URL, () => HttpResponse.json({ show: false })));
    createModel();
    model.resume();
    await vi.waitFor(() => expect(gone).toHaveBeenCalledOnce());
    expect(FakeStream.opened).toEqual([]);
  });

  // A 404 is also what a chat remembered with a wrong secret gets: the server does not say which.
  it("forgets a remembered conversation the server does not know, and starts a new one on the next message", async () => {
    remembered = { id: "conv_gone", secret: SECRET };
    server.use(http.get(`${API}/:id/events`, () => apiError(404, "not_found", "There is no such conversation.")));
    createModel();
    model.resume();
    await vi.waitFor(() => expect(remembered).toBeNull());
    await model.send("Hello");
    expect(requests.at(-2)).toBe(`POST /api/v1/widget/${ACCOUNT}/conversations`);
    expect(secrets[urls.lastIndexOf(API)]).toBeNull();
  });

  it("leaves on a 403 unavailable answer, and closes its stream", async () => {
    createModel();
    await model.send("Hi");
    const stream = await streamed();
    server.use(http.post(`${API}/:id/messages`, unavailableResponse));
    expect(await model.send("Still there?")).toBe(false);
    expect(gone).toHaveBeenCalledOnce();
    expect(stream.closed).toBe(true);
  });

  it("leaves on an unavailable event", async () => {
    createModel();
    await model.send("Hi");
    const stream = await streamed();
    await stream.emit("unavailable", {});
    expect(gone).toHaveBeenCalledOnce();
    expect(stream.closed).toBe(true);
    expect(FakeStream.opened).toHaveLength(1);
  });

  it("says the session expired on a 401 answer", async () => {
    createModel();
    server.use(
      http.post(API, () =>
        apiError(401, "ticket_invalid", "This chat session has expired: reload the page to continue."),
      ),
    );
    expect(await model.send("Hi")).toBe(false);
    expect(model.expired.value).toBe(true);
    expect(gone).not.toHaveBeenCalled();
  });

  it("shows the chat as ended when a message meets a closed conversation", async () => {
    createModel();
    await model.send("Hi");
    server.use(
      http.post(`${API}/:id/messages`, () =>
        apiError(409, "closed", "This chat has ended. Start a new one to write again."),
      ),
    );
    expect(await model.send("Hello?")).toBe(false);
    expect(model.status.value).toBe("closed");
    expect(texts()).toEqual(["Hi", ENDED_NOTICE]);
  });

  test.each([
    [
      "a wait in seconds",
      apiError(429, "rate_limited", "Too many messages: try again in 12 s."),
      12,
      "You are sending too fast: try again in 12 seconds.",
    ],
    [
      "a wait of one second",
      apiError(429, "rate_limited", "Too many messages: try again in 1 s."),
      1,
      "You are sending too fast: try again in 1 second.",
    ],
    [
      "a wait in minutes",
      apiError(429, "rate_limited", "Too many messages: try again in 90 s."),
      90,
      "You are sending too fast: try again in 2 minutes.",
    ],
    ["a wait it does not know", apiError(429, "rate_limited", "Too many messages."), null, en["error.slowDown"]],
    [
      "a conversation that is gone",
      apiError(404, "not_found", "There is no such conversation."),
      null,
      en["chat.gone"],
    ],
    [
      "a code it has no words for",
      apiError(400, "bad_text", "The request holds a NUL character."),
      null,
      en["error.refused"],
    ],
    ["an answer it cannot read", new HttpResponse("<h1>Bad gateway</h1>", { status: 502 }), null, en["error.network"]],
  ])("words %s from the refusal's code, not its English message", async (_, response, retryAfterS, text) => {
    createModel();
    await model.send("Hi");
    if (retryAfterS !== null) response.headers.set("Retry-After", String(retryAfterS));
    server.use(http.post(`${API}/:id/messages`, () => response, { once: true }));
    expect(await model.send("Again")).toBe(false);
    expect(model.alert.value).toBe(text);
  });

  it("shows a network failure in words and keeps the message unsent", async () => {
    createModel();
    server.use(http.post(API, () => HttpResponse.error()));
    expect(await model.send("Hi")).toBe(false);
    expect(model.alert.value).toBe("Something went wrong: check your connection and try again.");
  });
});

describe("chat model attachments", () => {
  it("refuses a PNG-named HTML file before any upload request", async () => {
    createModel();
    await model.attach(fixtureFile("html-named-as.png", "cat.png"));
    // The name claims an image and the bytes are a web page: said, with the name once.
    expect(model.alert.value).toBe(
      "\u2068cat.png\u2069 is not an image: it contains a web page. Only images can be sent in this chat.",
    );
    expect(requests).toEqual([]);
  });

  it("names every allowed category in the refusal", async () => {
    createModel({ categories: ["image", "audio", "video", "text"], maxBytes: 10 * MB });
    await model.attach(fixtureFile("fixture.zip"));
    expect(model.alert.value).toBe(
      named("fixture.zip", "Only images, audio files, videos and text files can be sent in this chat."),
    );
  });

  it("refuses a file over the size limit without reading it", async () => {
    createModel();
    const file = new File([new Uint8Array(10 * MB + 1)], "big.png");
    const slice = vi.spyOn(file, "slice");
    await model.attach(file);
    expect(model.alert.value).toBe(named("big.png", "This file is larger than the 10 MB this chat accepts."));
    expect(slice).not.toHaveBeenCalled();
    expect(requests).toEqual([]);
  });

  it("reads only the first bytes of a large file to decide", async () => {
    createModel();
    const png = fixtureFile("fixture.png");
    const file = new File([png, new Uint8Array(3 * MB)], "photo.png");
    const slice = vi.spyOn(file, "slice");
    const whole = vi.spyOn(file, "arrayBuffer");
    await model.attach(file);
    expect(slice).toHaveBeenCalledWith(0, SNIFF_BYTES);
    expect(whole).not.toHaveBeenCalled();
    expect(model.alert.value).toBe("");
  });

  it("uploads an allowed file as the raw body, named in X-File-Name", async () => {
    createModel();
    const file = fixtureFile("fixture.png", "my photo é.png");
    await model.attach(file);
    expect(requests.at(-1)).toBe(`POST /api/v1/widget/${ACCOUNT}/conversations/${CONVERSATION}/files`);
    expect(uploads).toEqual([
      {
        name: encodeURIComponent("my photo é.png"),
        bytes: new Uint8Array(await file.arrayBuffer()),
        auth: `Bearer ${TICKET}`,
      },
    ]);
    const [item] = model.items.value;
    expect(item?.type === "message" && item.message.file?.name).toBe("my photo é.png");
  });

  it("words the server's 415 the same way, from its code", async () => {
    createModel();
    server.use(http.post(`${API}/:id/files`, () => apiError(415, "file_type", "In English from the server.")));
    await model.attach(fixtureFile("fixture.png"));
    expect(model.alert.value).toBe(named("fixture.png", "Only images can be sent in this chat."));
  });

  it("asks the visitor to wait when a file is chosen while a message is still being sent", async () => {
    createModel();
    let release: (() => void) | null = null;
    server.use(
      http.post(
        `${API}/:id/messages`,
        () =>
          new Promise<Response>((resolve) => {
            release = () =>
              resolve(
                HttpResponse.json(
                  { id: 99, author: "visitor", text: "hi", file: null, createdAt: new Date().toISOString() },
                  { status: 201 },
                ),
              );
          }),
      ),
    );
    const sending = model.send("hi");
    // Held at the server: the message is on its way and not answered yet.
    await vi.waitFor(() => expect(release).not.toBeNull());
    await model.attach(fixtureFile("fixture.png"));
    expect(model.alert.value).toBe(en["chat.busy"]);
    expect(requests.some((r) => r.endsWith("/files"))).toBe(false);
    release!();
    await sending;
  });

  it("words the server's 413 with the policy's limit", async () => {
    createModel({ categories: ["image"], maxBytes: 1 * MB });
    server.use(
      http.post(`${API}/:id/files`, () =>
        apiError(413, "too_large", "This file is larger than the 1 MB this chat accepts."),
      ),
    );
    await model.attach(fixtureFile("fixture.png"));
    expect(model.alert.value).toBe(named("fixture.png", "This file is larger than the 1 MB this chat accepts."));
  });

  it("names the file when its upload fails on the way", async () => {
    createModel();
    server.use(http.post(`${API}/:id/files`, () => HttpResponse.error()));
    await model.attach(fixtureFile("fixture.png"));
    expect(model.alert.value).toBe(named("fixture.png", en["error.network"]));
  });
});

describe("chat model downloads", () => {
  const PRICES = { id: "file_7", name: "prices.pdf", size: 4, kind: "pdf", category: "document" };

  it("asks for an agent's file with the ticket and the chat's secret, and names it when refused", async () => {
    createModel();
    await model.send("Hi");
    server.use(http.get(`${API}/:id/files/:fileId`, () => apiError(404, "not_found", "There is no such file.")));
    await model.download(PRICES);
    expect(requests.at(-1)).toBe(`GET /api/v1/widget/${ACCOUNT}/conversations/${CONVERSATION}/files/file_7`);
    expect(secrets.at(-1)).toBe(SECRET);
    expect(model.alert.value).toBe(named("prices.pdf", en["chat.gone"]));
    expect(model.status.value).toBe("pending");
  });
});
