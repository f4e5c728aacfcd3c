// Every word the widget shows, in English: the table each other language is typed against, and
// tested beside (test/widget/i18n-tables.test.ts). `{name}` is a placeholder the widget fills; an
// object is a plural, one form per Intl.PluralRules category of the language, `other` always there.

import type { enPanel } from "./en-panel";

/** The forms of a plural, by the categories of Intl.PluralRules: `other`, and the language's others. */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

/** The English words; the server's English refusals (policy/file-messages.ts) read the same. */
export const en = {
  "button.open": "Open chat",
  "button.close": "Close chat",
  /** The button's name while the panel is closed and the agent's messages wait unread. */
  "button.unread": { one: "Open chat: {count} new message", other: "Open chat: {count} new messages" },
  "panel.title": "Chat with us",
  "status.none": "Ask us anything: an agent will answer here.",
  "status.pending": "Waiting for an agent…",
  "status.active": "You are chatting with an agent.",
  "status.closed": "This chat has ended.",
  /** No agent is online (the verdict's `away`): the chat takes a message, answered on a later visit. */
  "status.away": "Nobody is online right now: leave a message, and the answer will be here on your next visit.",
  /** A chat written while nobody was online, still waiting for an agent. */
  "status.offline": "Your message is waiting for an agent: the answer will appear here, soon or on your next visit.",
  "log.label": "Messages",
  // Spoken before each message, for screen readers: who wrote it.
  "author.visitor": "You",
  "author.agent": "Agent",
  "author.system": "Chat",
  "notice.joined": "An agent has joined",
  // {name} is the display name the agent chose; the sentences above are for one who chose none.
  "notice.joinedNamed": "{name} has joined",
  "notice.ended": "The chat has ended",
  "typing.agent": "An agent is typing…",
  "typing.named": "{name} is typing…",
  "composer.label": "Message",
  "composer.placeholder": "Write a message…",
  "composer.send": "Send",
  "composer.attach": "Attach a file",
  "chat.restart": "Start a new chat",
  "chat.expired": "This chat session has expired. Reload the page to continue.",
  "chat.busy": "Wait a moment: the last message is still being sent.",
  "chat.gone": "This chat no longer exists: reload the page to start a new one.",
  "error.network": "Something went wrong: check your connection and try again.",
  /** A refusal the widget has no words of its own for. */
  "error.refused": "That did not work: try again, or reload the page.",
  "error.slowDown": "You are sending too fast: wait a moment, then try again.",
  "error.waitSeconds": {
    one: "You are sending too fast: try again in {count} second.",
    other: "You are sending too fast: try again in {count} seconds.",
  },
  "error.waitMinutes": {
    one: "You are sending too fast: try again in {count} minute.",
    other: "You are sending too fast: try again in {count} minutes.",
  },
  /** A refused file, named, so that a visitor who tries two can tell which one it was. */
  "file.named": "{file}: {reason}",
  /** {categories} is a list of the category words below, joined as the language joins a list. */
  "file.type": "Only {categories} can be sent in this chat.",
  "file.none": "Files cannot be sent in this chat.",
  "file.tooLarge": "This file is larger than the {size} this chat accepts.",
  "file.empty": "The file is empty: choose a file with something in it.",
  "file.unreadable": "This file could not be read: choose it again.",
  "file.cut": "The upload broke off before the whole file arrived: send it again.",
  /** Under an agent's file: fetched with the ticket and saved on the visitor's device. */
  "file.download": "Download",
  "category.image": "images",
  "category.document": "documents",
  "category.archive": "archives",
  "category.audio": "audio files",
  "category.video": "videos",
  "category.text": "text files",
  "category.executable": "programs",
  "category.script": "scripts",
  "category.other": "other files",
  "file.disguised": "{name} is not {claimed}: it contains {found}.",
  "what.image": "an image",
  "what.document": "a document",
  "what.archive": "an archive",
  "what.audio": "a sound file",
  "what.video": "a video",
  "what.text": "a text file",
  "what.executable": "a program",
  "what.script": "a script",
  "what.other": "something unrecognised",
  "what.webpage": "a web page",
  "size.bytes": { one: "{count} byte", other: "{count} bytes" },
  "size.kilobytes": "{count} KB",
  "size.megabytes": "{count} MB",
  // The proof-of-work gate (proof-of-work.ts).
  "challenge.checking": "Checking that you are not a robot…",
  "challenge.hint": "This usually takes a second.",
  "challenge.progress": "Check progress",
  "challenge.cancel": "Cancel",
  "challenge.gaveUp": "We could not check that you are not a robot. Send your message again in a few minutes.",
  /** Web Crypto exists only on secure pages: an http:// page cannot solve the check at all. */
  "challenge.unsupported": "This page cannot run the check that you are not a robot: it works only on https:// pages.",
} as const;

type English = typeof en & typeof enPanel;

/** A language's table: every key of the English one, a sentence for each sentence, forms for each plural. */
export type Texts = { readonly [K in keyof English]: English[K] extends string ? string : PluralForms };

/** What a language's table holds at first paint: English's lacks the words in en-panel.ts, which load with the panel. */
export type FirstTexts = Omit<Texts, keyof typeof enPanel>;

/** The keys of sentences, and of plurals. */
export type TextKey = { [K in keyof Texts]: Texts[K] extends string ? K : never }[keyof Texts];
export type PluralKey = Exclude<keyof Texts, TextKey>;
