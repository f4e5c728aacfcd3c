// The policy document's fields by the labels the console shows them under: one table for the schema's
// messages ("Chats per hour is at least 1."), the console's inputs and the audit's "what changed".

const POLICY_FIELD_LABELS: Readonly<Record<string, string>> = {
  "countries.mode": "Country rule",
  "countries.list": "Countries",
  "countries.unknown": "Visitors whose country is unknown",
  "websites.allowed": "Allowed websites",
  "websites.blocked": "Blocked websites",
  "files.categories": "Files visitors may send",
  "files.maxBytes": "Largest file",
  "networks.hosting": "Hosting, cloud and VPN networks",
  "networks.tor": "Tor exits",
  "protection.chatsPerHour": "Chats per hour",
  "protection.messagesPerMinute": "Messages per minute",
  "protection.spamCloses": "Chats closed as spam before a ban",
  "protection.banMinutes": "Ban length (minutes)",
  "protection.challengeEveryone": "Challenge every visitor",
  "protection.challengeDifficulty": "Challenge difficulty",
  "screening.abuse": "Abusive words",
  "screening.words": "Words to treat as abuse",
  "screening.allowed": "Words never treated as abuse",
  "screening.cards": "Hide card numbers",
  "screening.links": "Links in visitors' messages",
  "screening.abusiveMessages": "Abusive messages before a ban",
  "window.away": "When no agent is online",
  "window.language": "Language",
  "window.accent": "Accent colour",
  "window.position": "Position",
  "window.offset": "Distance from the corner",
  "window.label": "Button label",
  "window.greeting": "Greeting",
  "window.teamName": "Team name",
  "window.avatar": "Team avatar",
  "window.scheme": "Colour scheme",
  "window.prechat": "Pre-chat form",
  "window.prechat.label": "A pre-chat question",
  "window.prechat.option": "A choice's option",
  "window.offlineEmail": "Email while nobody is online",
};

/** A field's label, or its path when the table has none (a field added since). */
export const labelOf = (field: string): string => POLICY_FIELD_LABELS[field] ?? field;
