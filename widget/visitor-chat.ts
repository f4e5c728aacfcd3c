// The visitor's chat as signals, and the actions that change it. It talks to the server only through
// the ChatApi it is given, so it is tested with msw (its event stream too), without rendering anything.

import { batch, signal, type ReadonlySignal } from "@preact/signals";
import { TYPING_EVERY_MS } from "../policy/chat";
import type { IntakeInput } from "../policy/prechat";
import type { FilePolicy } from "../policy/schema";
import { createAgentTyping, type Typist } from "./agent-typing";
import {
  CHALLENGE_CANCELLED,
  RefusedRequest,
  type ChatApi,
  type ChatFile,
  type ChatKey,
  type ChatMessage,
  type Conversation,
  type ConversationStatus,
} from "./api";
import { createChatStream } from "./chat-stream";
import { checkFile } from "./file-check";
import { isolate, type Translator } from "./i18n/translator";
import { fileRefusalText, refusalText } from "./refusal-text";
import { saveBlob } from "./save-blob";

/** One line of the transcript: a message, or a notice about the conversation. */
export type LogItem =
  { type: "message"; key: string; message: ChatMessage } | { type: "notice"; key: string; text: string };

type ChatStatus = ConversationStatus | "none";

export interface VisitorChatOptions {
  files: FilePolicy;
  /** The visitor's language: notices and alerts are written in it. */
  t: Translator;
  /** The server says this visitor may not see the chat (a 403 `unavailable`): remove the widget. */
  onGone(): void;
  /**
   * Where the open chat's id and secret are kept for the next page load (and the page's other tabs);
   * it may forget.
   */
  memory: { load(): ChatKey | null; save(chat: ChatKey | null): void };
  /** How long to wait before asking again after the event stream gave up; attempts count from 0. */
  retryDelayMs?(attempt: number): number;
}

export interface VisitorChat {
  readonly items: ReadonlySignal<readonly LogItem[]>;
  readonly status: ReadonlySignal<ChatStatus>;
  /** A sentence for the visitor about their last action (a refusal, a failure), in their language, or "". */
  readonly alert: ReadonlySignal<string>;
  readonly expired: ReadonlySignal<boolean>;
  /** A message or file is on its way (or the conversation is being resumed). */
  readonly busy: ReadonlySignal<boolean>;
  /** The conversation was written while no agent was online: it waits as an offline message. */
  readonly offline: ReadonlySignal<boolean>;
  /** The agent typing now, or null. */
  readonly typist: ReadonlySignal<Typist | null>;
  /** A chat is started or remembered (its status may not have arrived yet): no pre-chat form for it. */
  readonly following: ReadonlySignal<boolean>;
  /** Resumes the conversation this browser had open, if it remembers one, from its event stream. */
  resume(): void;
  /** Sends a message, starting the conversation first if needed; false if it was not sent. */
  send(text: string): Promise<boolean>;
  /**
   * Starts a new conversation with the visitor's pre-chat answers and offline email, then sends its
   * first message; false if either failed. An email given while nobody is online is said back in a notice.
   */
  begin(intake: IntakeInput, text: string): Promise<boolean>;
  /** Checks the file locally (size, real kind), then uploads it; a refusal is shown in `alert`, naming the file. */
  attach(file: File): Promise<void>;
  /** Fetches a file of the chat (an agent's) with the ticket and offers it for saving; a failure is shown in `alert`, naming the file. */
  download(file: ChatFile): Promise<void>;
  /** The visitor typed: tells the agent, at most once every TYPING_EVERY_MS, once a conversation exists. */
  typing(): void;
  /** After the chat has ended: starts a new conversation. */
  restart(): Promise<void>;
  /** After the chat has ended, where a form comes first: forgets it, so that the form shows for the next. */
  clear(): void;
  dispose(): void;
}

// Conversations only move forward; an older status replayed by the stream never moves one back.
const RANK: Record<ChatStatus, number> = { none: 0, pending: 1, active: 2, closed: 3 };

/**
 * A model of one visitor's chat.
 * @example const chat = createVisitorChat(createApi(boot), { files, t, onGone: () => host.remove(), memory });
 *   await chat.send("Hello"); chat.items.value // [{ type: "message", message: { text: "Hello", … } }]
 */
export function createVisitorChat(api: ChatApi, options: VisitorChatOptions): VisitorChat {
  const { t } = options;
  const items = signal<readonly LogItem[]>([]);
  const status = signal<ChatStatus>("none");
  const alert = signal("");
  const expired = signal(false);
  const busy = signal(false);
  const offline = signal(false);
  // A remembered chat is resumed as the panel mounts: followed from the first paint, so no form flashes.
  const following = signal(options.memory.load() !== null);
  /** The agent the visitor was last told joined, and how many times the chat changed hands. */
  let agentShown: string | null = null;
  let handovers = 0;
  const agentTyping = createAgentTyping();

  let key: ChatKey | null = null;
  /** The chat held now; `following` says whether there is one. */
  const hold = (next: ChatKey | null) => {
    key = next;
    following.value = next !== null;
  };
  let starting: Promise<ChatKey> | null = null;
  const seen = new Set<number>();
  let ended = false;
  let typedAt = -Infinity;

  const append = (item: LogItem) => (items.value = [...items.value, item]);

  // Messages arrive from the POST answers, the start answer and the stream: each is shown once.
  function add(message: ChatMessage) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    if (message.author === "agent") agentTyping.stop();
    append({ type: "message", key: `m${message.id}`, message });
  }

  /** The conversation as the server sent it: its status, who joined, whether it is an offline message. */
  function update(conversation: Conversation) {
    offline.value = conversation.offline;
    // Passed to another agent while active: the visitor is told who answers now.
    if (conversation.status === "active" && status.value === "active" && conversation.agentName !== agentShown) {
      agentShown = conversation.agentName;
      append({ type: "notice", key: `active-${++handovers}`, text: joined(conversation.agentName) });
    }
    moveTo(conversation.status, conversation.agentName);
  }

  function moveTo(next: ConversationStatus, agentName: string | null = null) {
    if (RANK[next] <= RANK[status.value]) return;
    status.value = next;
    if (next === "active") {
      agentShown = agentName;
      append({ type: "notice", key: next, text: joined(agentName) });
    }
    // The stream stays open after the end: a block comes as `unavailable` right after the close.
    if (next === "closed") {
      agentTyping.stop();
      append({ type: "notice", key: next, text: t.text("notice.ended") });
      options.memory.save(null);
    }
  }

  /** "Anna has joined", the name isolated from the sentence's direction; "An agent has joined" without one. */
  const joined = (agentName: string | null) =>
    agentName ? t.text("notice.joinedNamed", { name: isolate(agentName) }) : t.text("notice.joined");

  function leave() {
    if (ended) return;
    ended = true;
    stream.stop();
    options.onGone();
  }

  /** Says `reason` about the last action, naming `file` if it was about one. */
  function say(reason: string, file?: { name: string }) {
    alert.value = file ? t.text("file.named", { file: isolate(file.name), reason }) : reason;
  }

  /** Shows what went wrong (with `file`, if it was sending one); the answers that end the session act instead of talking. */
  function fail(error: unknown, file?: { name: string }) {
    if (!(error instanceof RefusedRequest)) say(t.text("error.network"), file);
    // The visitor stopped the proof of work themselves: their draft stays, sending again restarts it.
    else if (error.code === CHALLENGE_CANCELLED) return;
    else if (error.status === 403 && error.code === "unavailable") leave();
    else if (error.status === 401) {
      expired.value = true;
      stream.stop();
    } else if (error.code === "closed") moveTo("closed");
    else say(refusalText(t, error, options.files), file);
  }

  // A remembered conversation the server does not know (any more), or not by the secret remembered with
  // it: the next message starts a new one.
  function forget() {
    stream.stop();
    hold(null);
    options.memory.save(null);
  }

  const stream = createChatStream(
    api,
    {
      message: add,
      conversation: update,
      typing: agentTyping.typed,
      unavailable: leave,
      refused: fail,
      unknown: forget,
      follows: (id) => !ended && !expired.value && key?.id === id,
    },
    options.retryDelayMs,
  );

  // The chat remembered now is resumed: another tab of the site may have started one since this page loaded.
  async function start(intake?: IntakeInput): Promise<ChatKey> {
    const remembered = options.memory.load();
    const { conversation, messages, secret } = await api.start(remembered, intake);
    // The server resumes a chat only for its secret, and gives a new chat's once.
    const started = secret === undefined ? remembered! : { id: conversation.id, secret };
    batch(() => {
      if (started.id !== key?.id) {
        emptied();
        hold(started);
        options.memory.save(started);
      }
      messages.forEach(add);
      update(conversation);
    });
    stream.listen(started);
    return started;
  }

  /** The transcript and status of no chat, before another is shown. */
  function emptied() {
    stream.reset();
    items.value = [];
    seen.clear();
    status.value = "none";
  }

  function ensureConversation(intake?: IntakeInput): Promise<ChatKey> {
    if (key !== null && status.value !== "closed") return Promise.resolve(key);
    starting ??= start(intake).finally(() => (starting = null));
    return starting;
  }

  async function run(work: () => Promise<void>, file?: File): Promise<boolean> {
    busy.value = true;
    alert.value = "";
    try {
      await work();
      return true;
    } catch (error) {
      fail(error, file);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    items,
    status,
    alert,
    expired,
    busy,
    offline,
    typist: agentTyping.typist,
    following,
    resume() {
      const stored = options.memory.load();
      if (key !== null || stored === null) return;
      // The stream replays the whole conversation in order; a POST could open a new one if it has ended.
      hold(stored);
      stream.listen(stored);
    },
    async send(text) {
      const body = text.trim();
      if (body === "" || busy.value) return false;
      return run(async () => {
        const chat = await ensureConversation();
        add(await api.send(chat, body));
        // A resume whose proof of work was cancelled left the stream shut: open it now the ticket is here.
        stream.listen(chat);
      });
    },
    async begin(intake, text) {
      const body = text.trim();
      if (body === "" || busy.value) return false;
      return run(async () => {
        const chat = await ensureConversation(intake);
        const email = intake.email?.trim().toLowerCase();
        if (offline.value && email)
          append({ type: "notice", key: "by-email", text: t.text("notice.byEmail", { email: isolate(email) }) });
        add(await api.send(chat, body));
      });
    },
    async attach(file) {
      if (busy.value) {
        say(t.text("chat.busy"));
        return;
      }
      let refusal;
      try {
        refusal = await checkFile(file, options.files);
      } catch {
        return say(t.text("file.unreadable"), file);
      }
      // A disguise is said with the file's name in it: not named twice.
      if (refusal !== null)
        say(fileRefusalText(t, refusal), refusal.code === "file_type" && refusal.disguise ? undefined : file);
      else await run(async () => add(await api.upload(await ensureConversation(), file)), file);
    },
    async download(file) {
      // The file came with this chat's messages: its key is known, even once the chat has closed.
      if (key === null) return;
      alert.value = "";
      try {
        saveBlob(await api.download(key, file.id), file.name);
      } catch (error) {
        fail(error, file);
      }
    },
    typing() {
      const chat = key;
      const now = Date.now();
      if (chat === null || status.value === "closed" || ended || expired.value || now - typedAt < TYPING_EVERY_MS)
        return;
      typedAt = now;
      // Best effort: a lost "typing…" matters to nobody, and a refusal shows on the next message.
      api.typing(chat).catch(() => undefined);
    },
    async restart() {
      await run(async () => void (await ensureConversation()));
    },
    clear() {
      if (status.value !== "closed") return;
      batch(() => {
        emptied();
        hold(null);
      });
    },
    dispose() {
      ended = true;
      stream.stop();
      agentTyping.stop();
    },
  };
}
