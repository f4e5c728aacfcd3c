// The chat's shapes as the console API sends them (conversations, messages and their files) and its limits.
// Shared so the server, the console and the widget agree on one definition.

import type { Category } from "./file-category";

/** The longest message, from a visitor or an agent. */
export const MAX_MESSAGE_CHARS = 4000;

/** The longest name an agent shows visitors. */
export const MAX_DISPLAY_NAME_CHARS = 40;

/**
 * Each side says it is typing at most this often, and the server passes on at most one such event
 * per chat and side this often; the indicator shows for a little longer, so it does not flicker.
 */
export const TYPING_EVERY_MS = 3_000;

export type ConversationStatus = "pending" | "active" | "closed";

/** The most addresses one chat remembers: an abuser walking through a network must not grow it without end. */
export const MAX_VISITOR_ADDRESSES = 20;

/** An address the visitor wrote from in this chat, and since when. */
interface VisitorAddressSeen {
  ip: string;
  country: string | null;
  since: string;
}

export interface Conversation {
  id: string;
  accountId: string;
  visitorId: string;
  status: ConversationStatus;
  /** The address the visitor writes from now, and its country. */
  visitorIp: string;
  visitorCountry: string | null;
  /** Every address seen in this chat, oldest first; the last is the current one. */
  visitorAddresses: VisitorAddressSeen[];
  page: string;
  agentUserId: string | null;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  closedReason: string | null;
  /** Written while no agent was online: the visitor reads the answer on a later visit. */
  offline: boolean;
  /** The name the agent who took the chat shows visitors; null when they set none. */
  agentName: string | null;
}

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  kind: string;
  mime: string;
  category: Category;
}

export interface Message {
  id: number;
  conversationId: string;
  author: "visitor" | "agent" | "system";
  userId: string | null;
  /** An agent's message: the name they show visitors (never their email), or null for none. */
  agentName: string | null;
  text: string;
  file: StoredFile | null;
  createdAt: string;
}
