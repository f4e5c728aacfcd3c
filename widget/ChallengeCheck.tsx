// The proof-of-work gate in the panel: "Checking that you are not a robot…" with a progress bar and
// Cancel, while a challenge is being solved. The sentence goes into a polite status region that is
// always there, so that screen readers announce it when it appears.

import { useLayoutEffect, useRef } from "preact/hooks";
import type { Translator } from "./i18n/translator";

export interface ChallengeCheckProps {
  /** The share of the challenge's numbers tried so far, 0 to 1; null when nothing is being solved. */
  progress: number | null;
  onCancel(): void;
  t: Translator;
}

/** The status sentence, and while solving, the progress bar and the Cancel button. */
export function ChallengeCheck({ progress, onCancel, t }: ChallengeCheckProps) {
  return (
    <>
      <div role="status" aria-live="polite">
        {progress !== null && (
          <p class="check-text">
            {t.text("challenge.checking")} <span class="hint">{t.text("challenge.hint")}</span>
          </p>
        )}
      </div>
      {progress !== null && <CheckProgress percent={Math.floor(progress * 100)} onCancel={onCancel} t={t} />}
    </>
  );
}

function CheckProgress({ percent, onCancel, t }: { percent: number; onCancel(): void; t: Translator }) {
  const cancel = useRef<HTMLButtonElement>(null);
  // The button leaves with the check (cancelled or done): focus on it moves to the message field
  // (or what takes its place) rather than falling back to the host page.
  useLayoutEffect(
    () => () => {
      const button = cancel.current;
      if (button && (button.getRootNode() as ShadowRoot | Document).activeElement === button)
        button.closest("[role=dialog]")?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    },
    [],
  );
  return (
    <div class="check">
      <div
        class="meter"
        role="progressbar"
        aria-label={t.text("challenge.progress")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class="fill" style={{ width: `${percent}%` }} />
      </div>
      <button ref={cancel} type="button" class="cancel" onClick={onCancel}>
        {t.text("challenge.cancel")}
      </button>
    </div>
  );
}
