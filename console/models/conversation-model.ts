// One open conversation: its messages (live), answering (telling the visitor the agent is typing) with
// text or a file, closing, blocking the visitor, and image previews.

import { signal } from "@preact/signals";
import { TYPING_EVERY_MS } from "../../policy/chat";
import { messageOf, type Api } from "../api";
import type { ConsoleEvent } from "../events";
import type { AsOf, BlockedRule, Conversation, Message, Previews, RuleKind } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

export function createConversationModel(api: Api, id: string) {
  const conversation = signal<Conversation | null>(null);
  const messages = signal<Message[]>([]);
  const previews = signal<Previews>({ show: false, override: null });
  /** The network operator (AS) of the visitor's address when the chat was loaded, if known. */
  const visitorAs = signal<AsOf | null>(null);
  const { state, loadError, track } = createLoadState();
  /** Why the last toolbar action (accept, close, previews) failed, or null. */
  const actionError = signal<string | null>(null);
  const draft = signal("");
  const sendErrors = signal<FormErrors>(NO_ERRORS);
  const blockErrors = signal<FormErrors>(NO_ERRORS);
  const blocked = signal<BlockedRule[] | null>(null);
  const busy = signal(false);
  /** When the agent's typing was last told (Date.now()), or never. */
  let typingToldAt = -Infinity;

  /** The visitor wrote from a new address: its AS is not the old one's, so it is asked for again. */
  async function followAs(ip: string) {
    visitorAs.value = null;
    try {
      const detail = await api.conversation(id);
      if (detail.conversation.visitorIp === ip && conversation.value?.visitorIp === ip)
        visitorAs.value = detail.visitorAs ?? null;
    } catch {
      // The header shows no AS; the next load of the chat finds it.
    }
  }

  /** A new message, or a known one changed (a held message released): in its place, never twice. */
  function addMessage(message: Message) {
    if (message.conversationId !== id) return;
    const known = messages.value.findIndex((m) => m.id === message.id);
    if (known === -1) messages.value = [...messages.value, message];
    else messages.value = messages.value.map((m, i) => (i === known ? message : m));
  }

  /** Screening held a message of this chat: the held list is read again, with it. */
  async function readHeld() {
    try {
      const detail = await api.conversation(id);
      for (const message of detail.messages) if (message.held) addMessage(message);
    } catch {
      // The held list is read again when the chat is next opened.
    }
  }

  return {
    id,
    conversation,
    messages,
    previews,
    visitorAs,
    state,
    loadError,
    actionError,
    draft,
    sendErrors,
    blockErrors,
    blocked,
    busy,
    load: () =>
      track(async () => {
        const detail = await api.conversation(id);
        conversation.value = detail.conversation;
        messages.value = detail.messages;
        previews.value = detail.previews;
        visitorAs.value = detail.visitorAs ?? null;
      }),
    handleEvent(event: ConsoleEvent) {
      if (event.type === "message") addMessage(event.data as Message);
      if (event.type === "held" && (event.data as { conversationId: string }).conversationId === id) void readHeld();
      if (event.type === "conversation" && (event.data as Conversation).id === id) {
        const next = event.data as Conversation;
        const moved = conversation.value !== null && conversation.value.visitorIp !== next.visitorIp;
        conversation.value = next;
        if (moved) void followAs(next.visitorIp);
      }
    },
    /**
     * The agent changed the draft: tells the visitor they are typing, once every TYPING_EVERY_MS at most.
     * An emptied draft is not typing. A failure is let go: typing is only a hint.
     */
    typed() {
      if (conversation.value?.status !== "active" || !draft.value.trim()) return;
      const now = Date.now();
      if (now - typingToldAt < TYPING_EVERY_MS) return;
      typingToldAt = now;
      void api.typing(id).catch(() => undefined);
    },
    /** Releases a held message into the chat. */
    async release(messageId: number): Promise<void> {
      actionError.value = null;
      try {
        addMessage(await api.release(id, messageId));
      } catch (failure) {
        actionError.value = messageOf(failure);
      }
    },
    /** Tells the server the agent shows a message's masked words; true once it has recorded it. */
    async reveal(messageId: number): Promise<boolean> {
      actionError.value = null;
      try {
        await api.reveal(id, messageId);
        return true;
      } catch (failure) {
        actionError.value = messageOf(failure);
        return false;
      }
    },
    /** Sends the draft to the visitor, or with `asNote` keeps it as an internal note for co-workers. */
    async send(asNote = false): Promise<boolean> {
      const text = draft.value.trim();
      if (!text) {
        sendErrors.value = { fields: { text: "Write a message first." }, message: null };
        return false;
      }
      busy.value = true;
      sendErrors.value = NO_ERRORS;
      try {
        addMessage(await (asNote ? api.note(id, text) : api.send(id, text)));
        draft.value = "";
        return true;
      } catch (failure) {
        sendErrors.value = formErrorsOf(failure);
        return false;
      } finally {
        busy.value = false;
      }
    },
    /**
     * Sends a file to the visitor; the draft stays. A refusal (415 for its kind, 413 for its size) is the
     * server's sentence in the answer box's error: its fields name the file's kind, not a field of the form.
     */
    async attach(file: File): Promise<boolean> {
      busy.value = true;
      sendErrors.value = NO_ERRORS;
      try {
        addMessage(await api.attach(id, file));
        return true;
      } catch (failure) {
        sendErrors.value = { fields: {}, message: messageOf(failure) };
        return false;
      } finally {
        busy.value = false;
      }
    },
    async accept() {
      try {
        conversation.value = await api.accept(id);
      } catch (failure) {
        actionError.value = messageOf(failure);
      }
    },
    /** Passes the chat to a co-worker online; true once they have it. */
    async transfer(userId: string): Promise<boolean> {
      try {
        conversation.value = await api.transfer(id, userId);
        actionError.value = null;
        return true;
      } catch (failure) {
        actionError.value = messageOf(failure);
        return false;
      }
    },
    /** Closes the chat; closed as spam, it counts toward the visitor's automatic ban. */
    async close(asSpam = false) {
      try {
        conversation.value = await api.close(id, asSpam ? { spam: true } : undefined);
      } catch (failure) {
        actionError.value = messageOf(failure);
      }
    },
    /** Blocks the visitor by each of `scope` until `expiresAt` (null: forever) and closes the chat; true when done. */
    async block(scope: RuleKind[], comment: string, expiresAt: string | null): Promise<boolean> {
      blockErrors.value = NO_ERRORS;
      try {
        const result = await api.block(id, { scope, comment, expiresAt });
        conversation.value = result.conversation;
        blocked.value = result.rules;
        return true;
      } catch (failure) {
        blockErrors.value = formErrorsOf(failure);
        return false;
      }
    },
    /** Shows or hides image previews in this chat; null follows the agent's default. */
    async setPreviews(show: boolean | null) {
      try {
        previews.value = await api.setPreviews(id, show);
      } catch (failure) {
        actionError.value = messageOf(failure);
      }
    },
  };
}

export type ConversationModel = ReturnType<typeof createConversationModel>;
