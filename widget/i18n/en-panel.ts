// English words that only the chat panel shows, in the panel's chunk rather than the first bundle, which
// has no room to spare (bench/size.ts): the form before the chat and the email asked while nobody is
// online. Every other language has them in its own table; the translator lays that over these.

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
} as const;
