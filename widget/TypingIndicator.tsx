// "Anna is typing…" under the transcript. Its polite live region is always there, so the line is
// announced when it appears; it stays the same text while the agent goes on typing, so it is announced
// once, not at every event.

import type { Typist } from "./agent-typing";
import { isolate, type Translator } from "./i18n/translator";

/** The line for `typist`, or an empty region when nobody is typing. */
export function TypingIndicator({ typist, t }: { typist: Typist | null; t: Translator }) {
  return (
    <div class="typing" aria-live="polite">
      {typist && (typist.name ? t.text("typing.named", { name: isolate(typist.name) }) : t.text("typing.agent"))}
    </div>
  );
}
