// One open conversation: its messages (live), answering, closing, blocking the visitor, and image previews.

import { signal } from "@preact/signals";
import { messageOf, type Api } from "../api";
import type { ConsoleEvent } from "../events";
import type { Conversation, IpRule, Message, Previews } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

export function createConversationModel(api: Api, id: string) {
  const conversation = signal<Conversation | null>(null);
  const messages = signal<Message[]>([]);
  const previews = signal<Previews>({ show: false, override: null });
  const { state, loadError, track } = createLoadState();
  /** Why the last toolbar action (accept, close, previews) failed, or null. */
  const actionError = signal<string | null>(null);
  const draft = signal("");
  const sendErrors = signal<FormErrors>(NO_ERRORS);
  const blockErrors = signal<FormErrors>(NO_ERRORS);
  const blocked = signal<{ rule: IpRule; created: boolean } | null>(null);
  const busy = signal(false);

  function addMessage(message: Message) {
    if (message.conversationId !== id || messages.value.some((m) => m.id === message.id)) return;
    messages.value = [...messages.value, message];
  }

  return {
    id,
    conversation,
    messages,
    previews,
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
      }),
    handleEvent(event: ConsoleEvent) {
      if (event.type === "message") addMessage(event.data as Message);
      if (event.type === "conversation" && (event.data as Conversation).id === id)
        conversation.value = event.data as Conversation;
    },
    async send(): Promise<boolean> {
      const text = draft.value.trim();
      if (!text) {
        sendErrors.value = { fields: { text: "Write a message first." }, message: null };
        return false;
      }
      busy.value = true;
      sendErrors.value = NO_ERRORS;
      try {
        addMessage(await api.send(id, text));
        draft.value = "";
        return true;
      } catch (failure) {
        sendErrors.value = formErrorsOf(failure);
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
    async close() {
      try {
        conversation.value = await api.close(id);
      } catch (failure) {
        actionError.value = messageOf(failure);
      }
    },
    async block(scope: "address" | "network", comment: string): Promise<boolean> {
      blockErrors.value = NO_ERRORS;
      try {
        const result = await api.block(id, { scope, comment });
        conversation.value = result.conversation;
        blocked.value = { rule: result.rule, created: result.created };
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
