// @vitest-environment happy-dom
// The chime for new chats and visitor messages while the tab is hidden, and the user's sound and
// appearance options: saved from Options, and the theme shown on <html data-scheme>.
import { signal } from "@preact/signals";
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../../console/App";
import { createChime, type AudioLike } from "../../console/chime";
import { createNotifier } from "../../console/notifier";
import type { Route } from "../../console/router";
import type { Me, Message } from "../../console/types";
import { agent, api, conversation, fakeFeed, policyDoc, server, url, useMockServer } from "./setup";

useMockServer();
afterEach(() => {
  // Back to happy-dom's own answer ("visible") and to no scheme chosen.
  delete (document as { visibilityState?: unknown }).visibilityState;
  document.documentElement.removeAttribute("data-scheme");
});

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
}

/** A stand-in for the browser's AudioContext: counts how many were made and records each note started. */
function fakeAudio() {
  const param = { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} };
  const record = { made: 0, notes: [] as number[] };
  const make = (): AudioLike => {
    record.made++;
    return {
      state: "running",
      currentTime: 0,
      destination: {},
      resume: async () => {},
      createOscillator() {
        let hz = 0;
        return {
          type: "sine",
          frequency: { ...param, setValueAtTime: (value: number) => void (hz = value) },
          connect: () => {},
          start: () => void record.notes.push(hz),
          stop: () => {},
        };
      },
      createGain: () => ({ gain: param, connect: () => {} }),
    };
  };
  return { make, record };
}

const visitorMessage = (over: Partial<Message> = {}): Message => ({
  id: 41,
  conversationId: "conv_1",
  author: "visitor",
  userId: null,
  agentName: null,
  agentAvatar: null,
  text: "hello?",
  file: null,
  createdAt: "2026-01-01T10:05:00.000Z",
  screening: null,
  held: false,
  released: null,
  ...over,
});

/**
 * The console signed in as `me`, with chat conv_1 active and taken by `taker` (agent's user_2 unless
 * said), over a feed the test writes to and a chime on a fake AudioContext.
 */
async function renderConsole(me: Me, { route = { page: "chats", id: null } as Route, taker = "user_2" } = {}) {
  server.use(
    http.get(url("/me"), () => HttpResponse.json(me)),
    http.get(url("/conversations"), ({ request }) =>
      HttpResponse.json({
        conversations:
          new URL(request.url).searchParams.get("status") === "active"
            ? [{ ...conversation({ agentUserId: taker }), lastMessage: null }]
            : [],
      }),
    ),
    http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
    http.get(url("/presence"), () => HttpResponse.json({ status: "online" })),
    http.delete(url("/session"), () => new HttpResponse(null, { status: 204 })),
  );
  const feed = fakeFeed();
  const audio = fakeAudio();
  render(
    <App
      api={api}
      route={signal(route)}
      go={() => {}}
      openEvents={feed.open}
      notifier={createNotifier(document, undefined)}
      chime={createChime(document, audio.make)}
      origin="https://chat.example"
      storage={localStorage}
    />,
  );
  await waitFor(() => expect(feed.listening("message")).toBe(true));
  return { feed, audio: audio.record };
}

const quiet = { ...agent, options: { ...agent.options, sound: false } };

/** What differs from a chime's due: a visitor's message in the agent's chat, hidden, after a click. */
interface Silence {
  me?: Me;
  hidden?: boolean;
  gesture?: boolean;
  message?: Message;
  /** Who took conv_1. */
  taker?: string;
  /** The feed opened again just before the message. */
  reconnect?: boolean;
}

describe("the chime", () => {
  it("plays for a visitor's message in the agent's chat while the tab is hidden, after a first click", async () => {
    const { feed, audio } = await renderConsole(agent);
    await screen.findByText("203.0.113.7");
    fireEvent.pointerDown(document.body);
    expect(audio.made).toBe(1);
    setVisibility("hidden");
    await feed.send("message", visitorMessage());
    expect(audio.notes.length).toBeGreaterThan(0);
  });

  it("plays for a new chat request, after a first key press", async () => {
    const { feed, audio } = await renderConsole(agent);
    await screen.findByText("203.0.113.7");
    fireEvent.keyDown(document.body, { key: "Tab" });
    setVisibility("hidden");
    await feed.send("conversation", conversation({ id: "conv_2", status: "pending", agentUserId: null }));
    expect(audio.notes.length).toBeGreaterThan(0);
  });

  it.each<[string, Silence]>([
    ["while the tab is visible", { hidden: false }],
    ["when the option is off", { me: quiet }],
    ["before any click or key press: the browser would refuse", { gesture: false }],
    ["for the agent's own message", { message: visitorMessage({ author: "agent", userId: "user_2" }) }],
    ["for a note", { message: visitorMessage({ author: "note", userId: "user_1" }) }],
    ["for a visitor's message in a co-worker's chat", { taker: "user_1" }],
    ["for what a reconnected feed replays", { reconnect: true }],
  ])("stays silent %s", async (_when, { me = agent, hidden = true, gesture = true, message, taker, reconnect }) => {
    const { feed, audio } = await renderConsole(me, { taker });
    await screen.findByText("203.0.113.7");
    if (gesture) fireEvent.pointerDown(document.body);
    if (hidden) setVisibility("hidden");
    if (reconnect) await feed.deliver("open", null);
    await feed.send("message", message ?? visitorMessage());
    expect(audio.notes).toEqual([]);
    if (!gesture) expect(audio.made).toBe(0);
  });

  it("plays once for a burst of messages", async () => {
    const { feed, audio } = await renderConsole(agent);
    await screen.findByText("203.0.113.7");
    fireEvent.pointerDown(document.body);
    setVisibility("hidden");
    await feed.send("message", visitorMessage());
    const once = audio.notes.length;
    await feed.send("message", visitorMessage({ id: 42 }));
    await feed.send("conversation", conversation({ id: "conv_2", status: "pending", agentUserId: null }));
    expect(once).toBeGreaterThan(0);
    expect(audio.notes.length).toBe(once);
  });
});

describe("sound and appearance options", () => {
  /** Answers PATCH /me/options once `release` is called, with `agent`'s options and the change; records each body. */
  function holdOptions() {
    const sent: unknown[] = [];
    let release = () => {};
    server.use(
      http.patch(url("/me/options"), async ({ request }) => {
        const body = (await request.json()) as object;
        sent.push(body);
        await new Promise<void>((resolve) => (release = resolve));
        return HttpResponse.json({ ...agent.options, ...body });
      }),
    );
    return { sent, release: () => release() };
  }

  it("saves the sound switch", async () => {
    const patch = holdOptions();
    await renderConsole(agent, { route: { page: "options" } });
    const box = (await screen.findByLabelText(
      "Play a sound for new chats and messages while this tab is in the background",
    )) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() => expect(patch.sent).toEqual([{ sound: false }]));
    patch.release();
    await waitFor(() => expect(box.checked).toBe(false));
  });

  it("shows a chosen theme on the page at once, saves it, and leaves the device's scheme for Match this device", async () => {
    const patch = holdOptions();
    await renderConsole(agent, { route: { page: "options" } });
    const appearance = await screen.findByRole("group", { name: "Appearance" });
    expect((screen.getByLabelText("Match this device") as HTMLInputElement).checked).toBe(true);
    expect(appearance.contains(screen.getByLabelText("Dark"))).toBe(true);
    fireEvent.click(screen.getByLabelText("Dark"));
    // Before the server answers.
    await waitFor(() => expect(patch.sent).toEqual([{ theme: "dark" }]));
    expect(document.documentElement.dataset.scheme).toBe("dark");
    patch.release();
    await waitFor(() => expect((screen.getByLabelText("Dark") as HTMLInputElement).checked).toBe(true));
    fireEvent.click(screen.getByLabelText("Match this device"));
    await waitFor(() => expect(document.documentElement.dataset.scheme).toBeUndefined());
    await waitFor(() => expect(patch.sent).toEqual([{ theme: "dark" }, { theme: "auto" }]));
  });

  it("puts the theme back, and says why, when the server refuses it", async () => {
    server.use(
      http.patch(url("/me/options"), () =>
        HttpResponse.json(
          { error: { code: "invalid", message: "theme: no", fields: { theme: "Not now." } } },
          { status: 400 },
        ),
      ),
    );
    await renderConsole(agent, { route: { page: "options" } });
    fireEvent.click(await screen.findByLabelText("Light"));
    expect(await screen.findByRole("alert")).toBeTruthy();
    expect(document.documentElement.dataset.scheme).toBeUndefined();
    expect((screen.getByLabelText("Match this device") as HTMLInputElement).checked).toBe(true);
  });

  it("applies the stored theme once signed in, and leaves the scheme to the device once signed out", async () => {
    await renderConsole({ ...agent, options: { ...agent.options, theme: "light" } });
    await waitFor(() => expect(document.documentElement.dataset.scheme).toBe("light"));
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByRole("button", { name: "Sign in" });
    expect(document.documentElement.dataset.scheme).toBeUndefined();
  });
});
