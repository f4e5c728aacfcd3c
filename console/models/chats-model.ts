// The chat lists (requests, active, closed), kept live from the event feed, with accept and ignore;
// the closed list can be narrowed to chats closed as spam, or to the others; and which visitors are typing.

import { computed, signal } from "@preact/signals";
import { messageOf, type Api } from "../api";
import type { ConsoleEvent } from "../events";
import type { ChatStatus, Conversation, ConversationSummary, Message } from "../types";
import { createLoadState } from "./load-state";
import { createTypingModel } from "./typing-model";

const STATUSES: ChatStatus[] = ["pending", "active", "closed"];

/** Which closed chats are listed: all, those closed as spam (true), or the others (false). */
export type SpamFilter = boolean | undefined;

export function createChatsModel(api: Api, onNewRequest: (conversation: Conversation) => void = () => {}) {
  const lists = {
    pending: signal<ConversationSummary[]>([]),
    active: signal<ConversationSummary[]>([]),
    closed: signal<ConversationSummary[]>([]),
  };
  const { state, loadError, track } = createLoadState();
  /** Why the last accept, ignore or filter of the closed chats failed, or null. */
  const actionError = signal<string | null>(null);
  const pendingCount = computed(() => lists.pending.value.length);
  const spamFilter = signal<SpamFilter>(undefined);
  const typing = createTypingModel();
  /** Chats erased with their visitor's data while this console was open: gone from the lists, and from view. */
  const erasedIds = signal<ReadonlySet<string>>(new Set());
  // Answers can arrive out of order: only the last filter's closed chats are shown.
  let latestClosed = 0;

  const listed = (conversation: Conversation) =>
    conversation.status !== "closed" ||
    spamFilter.value === undefined ||
    (conversation.closedReason === "spam") === spamFilter.value;

  function find(id: string): ConversationSummary | undefined {
    for (const status of STATUSES) {
      const found = lists[status].value.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Puts a conversation in the list of its status, and out of the others. */
  function place(conversation: Conversation) {
    const previous = find(conversation.id);
    const summary: ConversationSummary = { ...conversation, lastMessage: previous?.lastMessage ?? null };
    for (const status of STATUSES) {
      const without = lists[status].value.filter((c) => c.id !== conversation.id);
      if (status !== conversation.status || !listed(conversation)) {
        if (without.length !== lists[status].value.length) lists[status].value = without;
      } else if (status === "closed") {
        lists[status].value = [summary, ...without];
      } else {
        lists[status].value =
          previous?.status === status
            ? lists[status].value.map((c) => (c.id === conversation.id ? summary : c))
            : [...without, summary];
      }
    }
    if (!previous && conversation.status === "pending") onNewRequest(conversation);
  }

  /** Takes erased chats out of every list. */
  function forget(ids: string[]) {
    const gone = new Set(ids);
    for (const status of STATUSES) lists[status].value = lists[status].value.filter((c) => !gone.has(c.id));
    erasedIds.value = new Set([...erasedIds.value, ...ids]);
  }

  function noteMessage(message: Message) {
    for (const status of STATUSES) {
      if (lists[status].value.some((c) => c.id === message.conversationId)) {
        lists[status].value = lists[status].value.map((c) =>
          c.id === message.conversationId ? { ...c, lastMessage: message } : c,
        );
      }
    }
  }

  async function act(action: () => Promise<Conversation>): Promise<boolean> {
    actionError.value = null;
    try {
      place(await action());
      return true;
    } catch (failure) {
      actionError.value = messageOf(failure);
      return false;
    }
  }

  return {
    lists,
    state,
    loadError,
    actionError,
    pendingCount,
    find,
    spamFilter,
    erasedIds,
    /** Which chats' visitors are typing now, for the lists and the open chat. */
    typing,
    load: () =>
      track(async () => {
        const mine = ++latestClosed;
        const [pending, active, closed] = await Promise.all([
          api.conversations("pending"),
          api.conversations("active"),
          api.conversations("closed", spamFilter.value),
        ]);
        lists.pending.value = pending;
        lists.active.value = active;
        if (mine === latestClosed) lists.closed.value = closed;
      }),
    /** Lists only the closed chats that were (true) or were not (false) closed as spam; undefined lists all. */
    async filterClosed(spam: SpamFilter) {
      spamFilter.value = spam;
      actionError.value = null;
      const mine = ++latestClosed;
      try {
        const closed = await api.conversations("closed", spam);
        if (mine === latestClosed) lists.closed.value = closed;
      } catch (failure) {
        actionError.value = messageOf(failure);
      }
    },
    /** Whether a feed event is a visitor's message in a chat that `userId` took: news for them. */
    isVisitorMessageFor(userId: string, event: ConsoleEvent): boolean {
      if (event.type !== "message") return false;
      const message = event.data as Message;
      return message.author === "visitor" && find(message.conversationId)?.agentUserId === userId;
    },
    handleEvent(event: ConsoleEvent) {
      typing.handleEvent(event);
      if (event.type === "conversation") place(event.data as Conversation);
      else if (event.type === "message") noteMessage(event.data as Message);
      else if (event.type === "erased") forget((event.data as { conversationIds: string[] }).conversationIds);
    },
    /** Takes a chat request; true when it is this agent's now. */
    accept: (id: string) => act(() => api.accept(id)),
    /** Ignoring a request is closing it unanswered. */
    ignore: (id: string) => act(() => api.close(id)),
    place,
  };
}

export type ChatsModel = ReturnType<typeof createChatsModel>;
