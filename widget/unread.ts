// The agent's messages the visitor has not read: those after the last one shown in the open panel of a
// visible tab. That mark is kept in the page's storage, so a chat replayed from its start on the next
// page load counts only what came since (the answer to a message left while nobody was online).

import { computed, signal, type ReadonlySignal } from "@preact/signals";
import type { LogItem } from "./visitor-chat";

export interface Unread {
  /** How many of the agent's messages wait unread. */
  readonly count: ReadonlySignal<number>;
  /** The visitor sees the transcript: every message in it is read. */
  read(): void;
  /** Takes the mark again from storage: another tab of the same site moved it. */
  reload(): void;
}

/**
 * A model of the unread count over the transcript `items`; `memory` keeps the mark, the id of the last
 * message read (message ids only grow).
 * @example const unread = createUnread(chat.items, memory); unread.count.value // 1
 */
export function createUnread(
  items: ReadonlySignal<readonly LogItem[]>,
  memory: { load(): string | null; save(mark: string): void },
): Unread {
  const stored = () => Number(memory.load()) || 0;
  const mark = signal(stored());
  const agents = computed(() =>
    items.value.flatMap((item) =>
      item.type === "message" && item.message.author === "agent" ? [item.message.id] : [],
    ),
  );
  return {
    count: computed(() => agents.value.filter((id) => id > mark.value).length),
    read() {
      const last = Math.max(mark.value, ...agents.value);
      if (last === mark.value) return;
      mark.value = last;
      memory.save(String(last));
    },
    reload: () => (mark.value = Math.max(mark.value, stored())),
  };
}
