// The chat's state as signals, and the actions that change it. It talks to the server only through
// the ChatApi it is given, so it is tested with msw and a fake EventSource, without rendering anything.

import { batch, signal, type ReadonlySignal } from "@preact/signals";
import { ApiError, GENERIC_MESSAGE, type ChatApi, type ChatMessage, type ConversationStatus } from "./api";
import { checkFile, type FilePolicy } from "./file-check";

/** One line of the transcript: a message, or a notice about the conversation. */
export type LogItem = { type: "message"; key: string; message: ChatMessage } | { type: "notice"; key: string; text: string };

export const JOINED_NOTICE = "An agent has joined";
export const ENDED_NOTICE = "The chat has ended";
export const EXPIRED_MESSAGE = "This chat session has expired. Reload the page to continue.";
const UNREADABLE_FILE = "This file could not be read: choose it again.";
const BUSY_MESSAGE = "Wait a moment: the last message is still being sent.";

export type ChatStatus = ConversationStatus | "none";

export interface ChatModelOptions {
  files: FilePolicy;
  /** The server says this visitor may not see the chat (a 403 `unavailable`): remove the widget. */
  onGone(): void;
  /** Where the open conversation's id is kept for the next page load; it may forget. */
  memory: { load(): string | null; save(id: string | null): void };
  /** How long to wait before asking again after the event stream gave up; attempts count from 0. */
  retryDelayMs?(attempt: number): number;
}

export interface ChatModel {
  readonly items: ReadonlySignal<readonly LogItem[]>;
  readonly status: ReadonlySignal<ChatStatus>;
  /** A sentence for the visitor about their last action (a refusal, a failure), or "". */
  readonly alert: ReadonlySignal<string>;
  readonly expired: ReadonlySignal<boolean>;
  /** A message or file is on its way (or the conversation is being resumed). */
  readonly busy: ReadonlySignal<boolean>;
  /** Resumes the conversation this browser had open, if it remembers one, from its event stream. */
  resume(): void;
  /** Sends a message, starting the conversation first if needed; false if it was not sent. */
  send(text: string): Promise<boolean>;
  /** Checks the file locally (size, real kind), then uploads it; a refusal is shown in `alert`. */
  attach(file: File): Promise<void>;
  /** After the chat has ended: starts a new conversation. */
  restart(): Promise<void>;
  dispose(): void;
}

// Conversations only move forward; an older status replayed by the stream never moves one back.
const RANK: Record<ChatStatus, number> = { none: 0, pending: 1, active: 2, closed: 3 };
// EventSource.CLOSED: the browser gave up (an HTTP error) and will not reconnect by itself.
const CLOSED = 2;
const defaultDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/**
 * A model of one visitor's chat.
 * @example const chat = createChatModel(createApi(boot), { files, onGone: () => host.remove(), memory });
 *   await chat.send("Hello"); chat.items.value // [{ type: "message", message: { text: "Hello", … } }]
 */
export function createChatModel(api: ChatApi, options: ChatModelOptions): ChatModel {
  const items = signal<readonly LogItem[]>([]);
  const status = signal<ChatStatus>("none");
  const alert = signal("");
  const expired = signal(false);
  const busy = signal(false);
  const delayMs = options.retryDelayMs ?? defaultDelayMs;

  let conversationId: string | null = null;
  let starting: Promise<string> | null = null;
  const seen = new Set<number>();
  let lastEventId = 0;
  let stream: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;
  let ended = false;

  const append = (item: LogItem) => (items.value = [...items.value, item]);

  // Messages arrive from the POST answers, the start answer and the stream: each is shown once.
  function add(message: ChatMessage) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    append({ type: "message", key: `m${message.id}`, message });
  }

  function moveTo(next: ConversationStatus) {
    if (RANK[next] <= RANK[status.value]) return;
    status.value = next;
    if (next === "active") append({ type: "notice", key: next, text: JOINED_NOTICE });
    // The stream stays open after the end: a block comes as `unavailable` right after the close.
    if (next === "closed") {
      append({ type: "notice", key: next, text: ENDED_NOTICE });
      options.memory.save(null);
    }
  }

  function stop() {
    stream?.close();
    stream = null;
    clearTimeout(retry);
  }

  function leave() {
    if (ended) return;
    ended = true;
    stop();
    options.onGone();
  }

  /** Shows what went wrong; the answers that end the session act instead of talking. */
  function fail(error: unknown) {
    if (!(error instanceof ApiError)) alert.value = GENERIC_MESSAGE;
    else if (error.status === 403 && error.code === "unavailable") leave();
    else if (error.status === 401) {
      expired.value = true;
      stop();
    } else if (error.code === "closed") moveTo("closed");
    else alert.value = error.message;
  }

  const refuses = (error: unknown) => error instanceof ApiError && (error.status === 401 || error.status === 403);
  const streaming = (id: string) => !ended && !expired.value && conversationId === id;

  // The browser reconnects a dropped stream itself, sending Last-Event-ID: the server replays from it.
  function listen(id: string) {
    const source = api.events(id, lastEventId);
    stream = source;
    const on = (name: string, handle: (data: string) => void) =>
      source.addEventListener(name, (event) => {
        const { data, lastEventId: eventId } = event as MessageEvent<string>;
        lastEventId = Math.max(lastEventId, Number(eventId) || 0);
        handle(data);
      });
    source.addEventListener("open", () => (attempts = 0));
    on("message", (data) => add(JSON.parse(data) as ChatMessage));
    on("conversation", (data) => moveTo((JSON.parse(data) as { status: ConversationStatus }).status));
    on("unavailable", leave);
    source.addEventListener("error", () => {
      if (source.readyState === CLOSED && stream === source) recover(id);
    });
  }

  // An EventSource that gave up does not say why: ask the same address to learn it, then listen again.
  function recover(id: string) {
    stream = null;
    retry = setTimeout(async () => {
      try {
        await api.probe(id, lastEventId);
        if (streaming(id) && !stream) listen(id);
      } catch (error) {
        if (refuses(error)) fail(error);
        else if (error instanceof ApiError && error.status === 404) forget();
        else if (streaming(id)) recover(id);
      }
    }, delayMs(attempts++));
  }

  // A remembered conversation the server does not know (any more): the next message starts a new one.
  function forget() {
    stop();
    conversationId = null;
    options.memory.save(null);
  }

  async function start(): Promise<string> {
    const { conversation, messages } = await api.start();
    batch(() => {
      if (conversation.id !== conversationId) {
        stop();
        items.value = [];
        seen.clear();
        lastEventId = 0;
        status.value = "none";
        conversationId = conversation.id;
        options.memory.save(conversation.id);
      }
      messages.forEach(add);
      moveTo(conversation.status);
    });
    if (streaming(conversation.id) && !stream) listen(conversation.id);
    return conversation.id;
  }

  function ensureConversation(): Promise<string> {
    if (conversationId !== null && status.value !== "closed") return Promise.resolve(conversationId);
    starting ??= start().finally(() => (starting = null));
    return starting;
  }

  async function run(work: () => Promise<void>): Promise<boolean> {
    busy.value = true;
    alert.value = "";
    try {
      await work();
      return true;
    } catch (error) {
      fail(error);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    items, status, alert, expired, busy,
    resume() {
      const stored = options.memory.load();
      if (conversationId !== null || stored === null) return;
      // The stream replays the whole conversation in order; a POST could open a new one if it has ended.
      conversationId = stored;
      api.authorize().then(
        () => {
          if (streaming(stored) && !stream) listen(stored);
        },
        (error: unknown) => {
          // A refusal ends the session; anything else (offline, busy) is retried like a dropped stream.
          if (refuses(error)) fail(error);
          else if (streaming(stored)) recover(stored);
        },
      );
    },
    async send(text) {
      const body = text.trim();
      if (body === "" || busy.value) return false;
      return run(async () => add(await api.send(await ensureConversation(), body)));
    },
    async attach(file) {
      if (busy.value) {
        alert.value = BUSY_MESSAGE;
        return;
      }
      const refusal = await checkFile(file, options.files).catch(() => UNREADABLE_FILE);
      // Named, so a visitor who tries two files can tell which one was refused.
      if (refusal !== null) alert.value = `${file.name}: ${refusal}`;
      else if (!(await run(async () => add(await api.upload(await ensureConversation(), file))))) {
        if (alert.value !== "") alert.value = `${file.name}: ${alert.value}`;
      }
    },
    async restart() {
      await run(async () => void (await ensureConversation()));
    },
    dispose() {
      ended = true;
      stop();
    },
  };
}
