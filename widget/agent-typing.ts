// The agent's "typing…" as the visitor sees it: shown when a typing event comes, gone about 5 s after
// the last one (the server sends one every 3 s at most while the agent types) or when their message comes.

import { signal, type ReadonlySignal } from "@preact/signals";

/** How long "typing…" outlives the last event: the server's 3 s between two, and room for a late one. */
const SHOWN_MS = 5_000;

/** Who is typing: the agent's display name, null when they set none. */
export interface Typist {
  name: string | null;
}

export interface AgentTyping {
  /** The agent typing now, or null when nobody is. */
  readonly typist: ReadonlySignal<Typist | null>;
  /** A typing event came. */
  typed(name: string | null): void;
  /** Their message came, or the chat is over: hides it at once. */
  stop(): void;
}

/**
 * A model of the indicator, its timer included.
 * @example const typing = createAgentTyping(); typing.typed("Anna"); typing.typist.value // { name: "Anna" }
 */
export function createAgentTyping(): AgentTyping {
  const typist = signal<Typist | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function stop() {
    clearTimeout(timer);
    typist.value = null;
  }

  return {
    typist,
    typed(name) {
      clearTimeout(timer);
      // The same typist keeps the same value: nothing to draw again while they go on typing.
      if (typist.value?.name !== name) typist.value = { name };
      timer = setTimeout(stop, SHOWN_MS);
    },
    stop,
  };
}
