// Every limit policy/ puts on what people type and send, in one place: the server refuses past them
// and the console and widget say so before sending. Format bounds (DNS names, RFC 5321) stay with their parsers.

/** The longest message, from a visitor or an agent. */
export const MAX_MESSAGE_CHARS = 4000;

/** The longest name an agent shows visitors, in characters as a reader counts them (graphemes). */
export const MAX_DISPLAY_NAME_CHARS = 40;

/** And in UTF-8 bytes: 40 CJK characters take 120, but 40 emoji families would take 1,000. */
export const MAX_DISPLAY_NAME_BYTES = 160;

/** Accents and other marks on one character: real scripts stack up to 4 (a Sanskrit conjunct), "Zalgo" text dozens. */
export const MAX_MARKS_PER_CHARACTER = 5;

/** The most addresses one chat remembers: an abuser walking through a network must not grow it without end. */
export const MAX_VISITOR_ADDRESSES = 20;

/** A paste is at most this many lines; more is almost surely the wrong file. */
export const MAX_RULE_LINES = 10_000;

/** The longest line worth parsing: an IPv6 network with an IPv4 tail is under 60 characters. */
export const MAX_RULE_LINE_CHARS = 100;

/** Website patterns one policy document may hold, allowed and blocked together. */
export const MAX_WEBSITE_PATTERNS = 1_000;

/** The largest file size limit an owner may set. */
export const MAX_UPLOAD_BYTES_LIMIT = 100 * 1024 * 1024;

/** The longest comment on a rule. */
export const MAX_COMMENT_CHARS = 500;

/** A pattern longer than this is not a website pattern: 253 for the host, the rest for a path. */
export const MAX_PATTERN_CHARS = 2048;

/** Longer page URLs are refused (hidden): no request line that reaches the server is this long. */
export const MAX_PAGE_CHARS = 16_384;

/** Canned replies one account keeps: a list agents scan with "/", not a knowledge base. */
export const MAX_CANNED_REPLIES = 200;

/** A canned reply's shortcut, typed after "/": a word, not a sentence. */
export const MAX_SHORTCUT_CHARS = 32;

/** The chat button's own words: a short call to action fits on a phone beside the icon. */
export const MAX_BUTTON_LABEL_CHARS = 40;

/** The greeting at the top of the chat panel: a sentence or two, not a page. */
export const MAX_GREETING_CHARS = 300;

/** The team's name in the panel's header, in place of "Chat with us". */
export const MAX_TEAM_NAME_CHARS = 60;

/** How far the chat button may sit from its corner, across and up, in CSS pixels. */
export const MAX_WIDGET_OFFSET_PX = 200;

/** The owner's own questions on the pre-chat form, beside name and email: a form, not a survey. */
export const MAX_PRECHAT_QUESTIONS = 3;

/** A pre-chat question, as the visitor reads it above its field. */
export const MAX_PRECHAT_LABEL_CHARS = 80;

/** A choice question's options: a short list to pick from, each a few words. */
export const MAX_CHOICE_OPTIONS = 10;
export const MAX_CHOICE_OPTION_CHARS = 60;

/** A visitor's answer to a text question (their name too): a line, not a message. */
export const MAX_PRECHAT_ANSWER_CHARS = 200;

/** The owner's own screening words, and words never treated as abuse: each list, and each entry. */
export const MAX_SCREENING_WORDS = 200;
export const MAX_SCREENING_WORD_CHARS = 60;

/** The privacy notice above the first message: a sentence or two and a link, not the policy itself. */
export const MAX_PRIVACY_TEXT_CHARS = 300;
export const MAX_PRIVACY_URL_CHARS = 500;

/** A privacy notice's version, raised by the owner as the notice changes, and agreed to by visitors. */
export const MAX_PRIVACY_VERSION = 1_000_000;

/** Retention's clocks in days: ten years is longer than any law asks a chat to be kept. */
export const MAX_RETENTION_DAYS = 3650;
