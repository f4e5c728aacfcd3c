// The chat panel, fetched on first open, or when the page loads with a chat this browser has open: a
// non-modal dialog with the transcript and the composer. It owns the visitor's chat for the page's life;
// closing only hides it, so the draft and the stream live on, and the agent's answers are counted. The
// owner's team name heads it and their greeting opens the transcript; on a phone it fills the screen.

import { useEffect, useRef, useState } from "preact/hooks";
import { asksOfflineEmail, intakeRulesOf } from "../policy/prechat";
import { createApi } from "./api";
import { avatarSource } from "./avatar";
import type { Boot } from "./boot";
import { ChallengeCheck } from "./ChallengeCheck";
import { chatMemory } from "./chat-memory";
import type { UnreadBadge } from "./ChatButton";
import { Composer } from "./Composer";
import type { TextKey } from "./i18n/en";
import type { Locale } from "./i18n/languages";
import { createTranslator } from "./i18n/translator";
import { MessageList } from "./MessageList";
import { PANEL_STYLES } from "./panel-styles";
import { createProofOfWork } from "./proof-of-work";
import { conversationKey, readStored, writeStored } from "./storage";
import { createTabTitle } from "./tab-title";
import { TypingIndicator } from "./TypingIndicator";
import { IntakeForm } from "./IntakeForm";
import { createUnread } from "./unread";
import { usePhoneScrollLock } from "./use-phone-scroll-lock";
import { useUnread } from "./use-unread";
import { createVisitorChat, type VisitorChat } from "./visitor-chat";

export interface PanelProps {
  boot: Boot;
  /** The visitor's language, chosen when the widget was mounted. */
  locale: Locale;
  open: boolean;
  onClose(): void;
  /** The agent's unread messages, for the chat button: null when none wait. */
  onUnread(badge: UnreadBadge | null): void;
}

/** A value kept in the page's storage under `key`. */
const stored = (key: string) => ({
  load: () => readStored(key),
  save: (value: string | null) => writeStored(key, value),
});

/** The dialog: hidden, not unmounted, while closed; Escape closes it. */
export function Panel({ boot, locale, open, onClose, onUnread }: PanelProps) {
  const [t] = useState(() => createTranslator(locale, navigator.languages));
  const [gate] = useState(createProofOfWork);
  const [title] = useState(() => createTabTitle(document));
  const [chat] = useState(() =>
    createVisitorChat(createApi(boot, { prove: gate.prove }), {
      files: boot.config.files,
      t,
      onGone: () => {
        title(0);
        boot.host.remove();
      },
      memory: chatMemory(conversationKey(boot.account)),
    }),
  );
  const readKey = `hatch:${boot.account}:read`;
  const [unread] = useState(() => createUnread(chat.items, stored(readKey)));
  useUnread(unread, { open, key: readKey, title, onUnread, t });
  usePhoneScrollLock(open);
  const dialog = useRef<HTMLDivElement>(null);
  const { scheme, teamName, greeting, avatar } = boot.config;
  const away = boot.config.away === true;
  const intake = intakeRulesOf(boot.config, away);
  // A form comes before the first message when the owner asks questions, an email while nobody is
  // online, or agreement to the privacy notice.
  const asks = intake.fields.length > 0 || asksOfflineEmail(intake) || intake.consentVersion !== null;
  const { privacy } = boot.config;

  // A remembered chat is followed from the start, open or not.
  useEffect(() => {
    chat.resume();
    return () => {
      gate.cancel();
      chat.dispose();
    };
  }, [chat, gate]);
  useEffect(() => {
    if (!open) return;
    // Into the message field, or whatever takes its place (the "Start a new chat" button).
    const panel = dialog.current;
    (panel?.querySelector<HTMLElement>("[data-autofocus]") ?? panel)?.focus();
  }, [open]);

  const status = chat.status.value;
  return (
    <>
      <style>{PANEL_STYLES}</style>
      <div
        ref={dialog}
        class={scheme ? `panel ${scheme}` : "panel"}
        role="dialog"
        aria-labelledby="hatch-title"
        tabIndex={-1}
        hidden={!open}
        onKeyDown={(event) => event.key === "Escape" && onClose()}
      >
        {/* A div, not <header>: inside the host page's own, a second banner landmark would confuse. */}
        <div class="header">
          {/* Decorative: the team's name beside it is the panel's title. */}
          {avatar && <img class="avatar" src={avatarSource(boot, avatar)} alt="" width={32} height={32} />}
          <div class="heading">
            <h2 id="hatch-title" class="title" dir="auto">
              {teamName ?? t.text("panel.title")}
            </h2>
            <p class="subtitle">{t.text(subtitle(chat, away, asksOfflineEmail(intake)))}</p>
          </div>
          {/* Shown on a phone only, where the panel covers the chat button (panel-styles.ts). */}
          <button type="button" class="close" aria-label={t.text("button.close")} onClick={onClose}>
            <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
              <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
            </svg>
          </button>
        </div>
        <MessageList
          items={chat.items.value}
          greeting={greeting}
          t={t}
          onDownload={(file) => void chat.download(file)}
          avatarOf={(fileId) => avatarSource(boot, fileId)}
        />
        <TypingIndicator typist={chat.typist.value} t={t} />
        <ChallengeCheck progress={gate.progress.value} onCancel={gate.cancel} t={t} />
        {/* The live region is always there, so that a message put into it is announced. */}
        <div role="alert">{chat.alert.value && <p class="alert">{chat.alert.value}</p>}</div>
        {/* Before the first message only: the owner's words as written, and their policy's link. */}
        {privacy && status === "none" && !chat.following.value && (
          <p class="privacy" dir="auto">
            {privacy.text}{" "}
            {privacy.url && (
              <a href={privacy.url} target="_blank" rel="noopener noreferrer">
                {t.text("privacy.link")}
              </a>
            )}
          </p>
        )}
        {chat.expired.value ? (
          <p class="expired" role="alert">
            {t.text("chat.expired")}
          </p>
        ) : status === "closed" ? (
          <button
            type="button"
            class="restart"
            data-autofocus
            onClick={() => (asks ? chat.clear() : void chat.restart())}
          >
            {t.text("chat.restart")}
          </button>
        ) : status === "none" && asks && !chat.following.value ? (
          <IntakeForm rules={intake} busy={chat.busy.value} t={t} onBegin={chat.begin} />
        ) : (
          <Composer
            busy={chat.busy.value}
            onSend={chat.send}
            onTyping={chat.typing}
            onAttach={(file) => void chat.attach(file)}
            t={t}
          />
        )}
      </div>
    </>
  );
}

/**
 * The line under the title. While no agent is online (the verdict's `away`) a new chat takes a message,
 * answered by email when the visitor leaves one (`byEmail`: it is asked), else on a later visit; a chat
 * written so waits as an offline message until an agent takes it.
 */
function subtitle(chat: VisitorChat, away: boolean, byEmail: boolean): TextKey {
  const status = chat.status.value;
  if (status === "none" && away) return byEmail ? "status.awayEmail" : "status.away";
  if (status === "pending" && chat.offline.value) return "status.offline";
  return `status.${status}`;
}
