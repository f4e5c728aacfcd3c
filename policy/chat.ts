// The chat's shapes as the console API sends them: conversations, messages and their files.
// Shared so the server's store and the console agree on one definition.

import type { Category } from "./file-category";

/** The longest message, from a visitor or an agent. */
export const MAX_MESSAGE_CHARS = 4000;

export type ConversationStatus = "pending" | "active" | "closed";

export interface Conversation {
  id: string;
  accountId: string;
  visitorId: string;
  status: ConversationStatus;
  visitorIp: string;
  visitorCountry: string | null;
  page: string;
  agentUserId: string | null;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  closedReason: string | null;
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
  text: string;
  file: StoredFile | null;
  createdAt: string;
}
