// The chat this browser has open, kept in the page's storage for the next page load and the site's
// other tabs: its id and its secret together, as JSON. Loaded with the panel, not in the first bundle.

import type { ChatKey } from "./api";
import { readStored, writeStored } from "./storage";

/**
 * The memory visitor-chat.ts is given: the chat kept under `key`. Anything else found there (a bare
 * id, kept before chats had secrets, which can resume nothing now) is forgotten.
 */
export function chatMemory(key: string) {
  return {
    load(): ChatKey | null {
      const raw = readStored(key);
      const chat = raw === null ? null : parse(raw);
      if (raw !== null && chat === null) writeStored(key, null);
      return chat;
    },
    save: (chat: ChatKey | null) => writeStored(key, chat && JSON.stringify({ id: chat.id, secret: chat.secret })),
  };
}

function parse(raw: string): ChatKey | null {
  try {
    const { id, secret } = JSON.parse(raw) as Partial<ChatKey>;
    return typeof id === "string" && typeof secret === "string" ? { id, secret } : null;
  } catch {
    return null;
  }
}
