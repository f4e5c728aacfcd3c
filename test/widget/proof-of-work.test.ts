// The proof-of-work gate without rendering: the API client meets a challenged ticket route (msw), the
// gate solves for real on the main thread (no Worker here), and the chat model says what the visitor sees.

import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApi, type ChatKey } from "../../widget/api";
import { en } from "../../widget/i18n/en";
import { createProofOfWork, type ProofOfWork } from "../../widget/proof-of-work";
import { createVisitorChat, type VisitorChat } from "../../widget/visitor-chat";
import {
  ACCOUNT,
  BASE,
  challengedTicket,
  CONVERSATION,
  englishT,
  FakeStream,
  makeChallenge,
  MB,
  proves,
  SECRET,
  solutionOf,
  TICKET_REQUEST,
  TICKET_URL,
  VISITOR,
  visitorApi,
} from "./fakes";

const { server, requests, urls, reset } = visitorApi();
const FILES = { categories: ["image" as const], maxBytes: 10 * MB };
const POSTS = [
  `POST /api/v1/widget/${ACCOUNT}/conversations`,
  `POST /api/v1/widget/${ACCOUNT}/conversations/${CONVERSATION}/messages`,
];

let gate: ProofOfWork;
let model: VisitorChat;
let remembered: ChatKey | null;

function createModel() {
  gate = createProofOfWork();
  model = createVisitorChat(
    createApi(
      { base: BASE, account: ACCOUNT, config: { visitor: VISITOR, files: FILES } },
      { page: () => "https://shop.example/", prove: gate.prove },
    ),
    {
      files: FILES,
      t: englishT,
      onGone: () => {},
      memory: { load: () => remembered, save: (chat) => (remembered = chat) },
      retryDelayMs: () => 0,
    },
  );
}

/** Cancels the gate once the solving has reported some progress; resolves then. */
function cancelMidway(): Promise<void> {
  return new Promise((resolve) => {
    const stop = gate.progress.subscribe((progress) => {
      if (progress === null || progress === 0) return;
      gate.cancel();
      queueMicrotask(stop);
      resolve();
    });
  });
}

const ticketUrls = () => urls.filter((url) => url.includes("/ticket?"));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  reset();
  remembered = null;
});
afterEach(() => {
  model.dispose();
  server.resetHandlers();
  vi.unstubAllGlobals();
});
afterAll(() => server.close());

describe("the proof-of-work gate", () => {
  it("solves the challenge, asks again with its solution, then sends the message", async () => {
    const { handler, challenges } = challengedTicket({ number: 700 });
    server.use(handler);
    createModel();
    const seen: (number | null)[] = [];
    gate.progress.subscribe((progress) => seen.push(progress));

    expect(await model.send("Hello")).toBe(true);
    expect(requests).toEqual([TICKET_REQUEST, TICKET_REQUEST, ...POSTS]);
    const [first, second] = ticketUrls();
    expect(solutionOf(first!)).toBeNull();
    const payload = solutionOf(second!)!;
    const { maxnumber: _, ...fields } = challenges[0]!;
    expect(payload).toEqual({ ...fields, number: 700 });
    expect(proves(payload)).toBe(true);
    // Still the verdict's visitor: the challenge was made for it.
    expect(new URL(second!).searchParams.get("visitor")).toBe(VISITOR);
    expect(seen).toEqual([null, 0, 0.5, null]);
  });

  it("solves the new challenge that comes with a refused solution", async () => {
    const { handler, challenges } = challengedTicket({ refuse: 1 });
    server.use(handler);
    createModel();
    expect(await model.send("Hello")).toBe(true);
    expect(requests).toEqual([TICKET_REQUEST, TICKET_REQUEST, TICKET_REQUEST, ...POSTS]);
    const [, refused, accepted] = ticketUrls().map((url) => solutionOf(url)!);
    expect(refused?.signature).toBe(challenges[0]!.signature);
    expect(accepted?.signature).toBe(challenges[1]!.signature);
    expect(proves(accepted!)).toBe(true);
    expect(model.alert.value).toBe("");
  });

  it("gives up after three refused solutions, says so, and sends nothing", async () => {
    server.use(challengedTicket({ refuse: 99 }).handler);
    createModel();
    expect(await model.send("Hello")).toBe(false);
    expect(requests).toEqual(Array(4).fill(TICKET_REQUEST));
    expect(model.alert.value).toBe(en["challenge.gaveUp"]);
    expect(gate.progress.value).toBeNull();
  });

  it("stops on cancel, sends nothing and says nothing; sending again solves a new challenge", async () => {
    const { handler, challenges } = challengedTicket({ number: 900 });
    server.use(handler);
    createModel();
    void cancelMidway();
    expect(await model.send("Hello")).toBe(false);
    expect(requests).toEqual([TICKET_REQUEST]);
    expect(model.alert.value).toBe("");
    expect(gate.progress.value).toBeNull();

    expect(await model.send("Hello")).toBe(true);
    expect(solutionOf(ticketUrls().at(-1)!)?.signature).toBe(challenges[1]!.signature);
  });

  it("opens the stream of a remembered chat on the next message when its resume was cancelled", async () => {
    server.use(challengedTicket().handler);
    remembered = { id: CONVERSATION, secret: SECRET };
    createModel();
    const cancelled = cancelMidway();
    model.resume();
    await cancelled;
    // The visitor's next click comes a task later: the cancelled ticket request is over by then.
    await new Promise((resolve) => setTimeout(resolve));
    expect(requests).toEqual([TICKET_REQUEST]);
    expect(FakeStream.opened).toEqual([]);

    expect(await model.send("Still there?")).toBe(true);
    await vi.waitFor(() => expect(FakeStream.latest.url).toContain(`/conversations/${CONVERSATION}/events?`));
    expect(FakeStream.latest.headers.get("x-chat-secret")).toBe(SECRET);
  });

  it("says plainly that a page without Web Crypto (http://) cannot solve the check", async () => {
    const challenge = await makeChallenge(1);
    server.use(
      http.get(TICKET_URL, () =>
        HttpResponse.json(
          { error: { code: "challenge_required", message: "Solve this.", challenge } },
          { status: 403 },
        ),
      ),
    );
    vi.stubGlobal("crypto", {});
    createModel();
    expect(await model.send("Hello")).toBe(false);
    expect(model.alert.value).toBe(en["challenge.unsupported"]);
    expect(requests).toEqual([TICKET_REQUEST]);
  });
});
