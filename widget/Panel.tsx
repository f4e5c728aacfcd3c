// The chat panel, fetched on first open: a non-modal dialog with the transcript and the composer.
// It owns the visitor's chat for the page's life; closing only hides it, so the draft and the stream live on.

import { useEffect, useRef, useState } from "preact/hooks";
import { createApi } from "./api";
import type { Boot } from "./boot";
import { ChallengeCheck } from "./ChallengeCheck";
import { Composer } from "./Composer";
import type { Locale } from "./i18n/languages";
import { createTranslator } from "./i18n/translator";
import { MessageList } from "./MessageList";
import { PANEL_STYLES } from "./panel-styles";
import { createProofOfWork } from "./proof-of-work";
import { readStored, writeStored } from "./storage";
import { createVisitorChat } from "./visitor-chat";

export interface PanelProps {
  boot: Boot;
  /** The visitor's language, chosen when the widget was mounted. */
  locale: Locale;
  open: boolean;
  onClose(): void;
}

/** The dialog: hidden, not unmounted, while closed; Escape closes it. */
export function Panel({ boot, locale, open, onClose }: PanelProps) {
  const [t] = useState(() => createTranslator(locale));
  const [gate] = useState(createProofOfWork);
  const [chat] = useState(() => {
    const key = `hatch:${boot.account}:conversation`;
    return createVisitorChat(createApi(boot, { prove: gate.prove }), {
      files: boot.config.files,
      t,
      onGone: () => boot.host.remove(),
      memory: { load: () => readStored(key), save: (id) => writeStored(key, id) },
    });
  });
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(
    () => () => {
      gate.cancel();
      chat.dispose();
    },
    [chat, gate],
  );
  useEffect(() => {
    if (!open) return;
    chat.resume();
    // Into the message field, or whatever takes its place (the "Start a new chat" button).
    const panel = dialog.current;
    (panel?.querySelector<HTMLElement>("[data-autofocus]") ?? panel)?.focus();
  }, [chat, open]);

  const status = chat.status.value;
  return (
    <>
      <style>{PANEL_STYLES}</style>
      <div
        ref={dialog}
        class="panel"
        role="dialog"
        aria-labelledby="hatch-title"
        tabIndex={-1}
        hidden={!open}
        onKeyDown={(event) => event.key === "Escape" && onClose()}
      >
        <header class="header">
          <h2 id="hatch-title" class="title">
            {t.text("panel.title")}
          </h2>
          <p class="subtitle">{t.text(`status.${status}`)}</p>
        </header>
        <MessageList items={chat.items.value} t={t} />
        <ChallengeCheck progress={gate.progress.value} onCancel={gate.cancel} t={t} />
        {/* The live region is always there, so that a message put into it is announced. */}
        <div role="alert">{chat.alert.value && <p class="alert">{chat.alert.value}</p>}</div>
        {chat.expired.value ? (
          <p class="expired" role="alert">
            {t.text("chat.expired")}
          </p>
        ) : status === "closed" ? (
          <button type="button" class="restart" data-autofocus onClick={() => void chat.restart()}>
            {t.text("chat.restart")}
          </button>
        ) : (
          <Composer busy={chat.busy.value} onSend={chat.send} onAttach={(file) => void chat.attach(file)} t={t} />
        )}
      </div>
    </>
  );
}
