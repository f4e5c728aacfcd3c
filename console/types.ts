// The shapes the console API sends back, as the console reads them.

import type { Conversation, Message } from "../policy/chat";
import type { Verdict } from "../policy/verdict";

export type { IpRule, PolicyDocument } from "../policy/schema";
export type { Verdict };

type Role = "owner" | "agent";

export interface Me {
  user: { id: string; email: string; role: Role };
  account: string;
  options: { imagePreviews: boolean };
}

export interface TeamUser {
  id: string;
  email: string;
  role: Role;
}

export type { Conversation, Message, StoredFile } from "../policy/chat";
export type { ConversationStatus as ChatStatus } from "../policy/chat";

export interface ConversationSummary extends Conversation {
  lastMessage: Message | null;
}

export interface Previews {
  show: boolean;
  override: boolean | null;
}

export interface ConversationDetail {
  conversation: Conversation;
  messages: Message[];
  previews: Previews;
}

/** One pasted line as the server stored it (`POST /ip-rules` → `lines`). */
export type RuleLine =
  | { line: number; input: string; status: "added"; network: string; hostBitsCleared: boolean }
  | { line: number; input: string; status: "merged"; network: string; into: string; message: string };
