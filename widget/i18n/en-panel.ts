// English words that only the chat panel shows, in the panel's chunk rather than the first bundle, which
// has no room to spare (bench/size.ts): the form before the chat, the email asked while nobody is
// online, and the refusals of files the server looked inside. Every other language has them in its own
// table; the translator lays that over these.

export const enPanel = {
  /** No agent is online and the owner asks for an email: the answer goes there. */
  "status.awayEmail": "Nobody is online right now: leave a message and your email, and the answer will come by email.",
  /** After a message left while nobody was online, with an email: {email} is the address given. */
  "notice.byEmail": "We will answer by email at {email}.",
  // The form before the chat (the owner's questions come in the owner's words) and the email asked
  // while nobody is online.
  "form.name": "Name",
  "form.email": "Email",
  "form.offlineEmail": "Your email, for our answer",
  /** After the label of a field the visitor may leave empty. */
  "form.optional": "(optional)",
  /** The empty first entry of a choice. */
  "form.choose": "Choose…",
  "form.start": "Start chat",
  "form.required": "Answer this to start the chat.",
  "form.invalidEmail": "Enter an email address like name@example.com.",
  "form.choice": "Choose one of the options.",
  "form.tooLong": "This answer is too long: shorten it.",
  "form.unreadable": "This answer holds invisible or control characters: remove them.",
  "form.noMessage": "Write a message first.",
  // The owner's privacy notice (in their words) comes before the first message; these are its fixed words.
  "privacy.link": "Privacy policy",
  /** The box a visitor ticks to start, when the owner asks for agreement. */
  "privacy.agree": "I agree to the privacy notice",
  "form.consent": "Tick the box to agree, then start the chat.",
  // Files the server refused for what they hold (the codes of DESIGN.md "Screening, inspection, privacy,
  // notifications"): only ever the answer to an upload from the open panel.
  "file.macro":
    "This document contains macros, which can run programs on our team's computers: save it without macros and send it again.",
  "file.activeContent":
    "This PDF contains scripts, actions or attached files that could run on our team's computers: save it as a plain PDF and send it again.",
  "file.encrypted": "This file is protected by a password, so it cannot be checked: send it without the password.",
  "file.archiveContent":
    "Something in this archive cannot be sent in this chat, or cannot be checked: send the files on their own.",
  "file.archiveBomb": "This archive would unpack to far more than its size: send the files it holds on their own.",
  "file.malware": "This file was refused because a virus scanner found something in it.",
} as const;
