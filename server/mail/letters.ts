// The mails Hatch sends, written here in plain text and the same in HTML: an offline message for the
// team, and an agent's answer for the visitor who left an address. Everything a visitor or an agent
// wrote is escaped into the HTML; no image, no tracking, no link but the one the mail is for.

import type { Conversation, Message } from "../store/conversations";
import type { Letter } from "./mailer";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);

/** Paragraphs as HTML, each line kept. */
const htmlOf = (paragraphs: string[]) =>
  paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll("\n", "<br>")}</p>`).join("\n");

/** Who wrote a line of the transcript, as the visitor reads it. */
const authorOf = (message: Message) => (message.author === "visitor" ? "You" : (message.agentName ?? "Agent"));

/** A line of the chat, with the file named when it is one. */
const lineOf = (message: Message) => `${authorOf(message)}: ${message.file ? `[${message.file.name}]` : message.text}`;

/**
 * For an owner or agent: a visitor wrote while nobody was online. The visitor's words are quoted and
 * the link opens the chat in the console.
 */
export function offlineMessageLetter(to: string, conversation: Conversation, text: string, chatUrl: string): Letter {
  const who = conversation.visitorName ?? `A visitor from ${conversation.visitorIp}`;
  const lines = [
    `${who} wrote while nobody was online, on ${conversation.page}:`,
    text,
    conversation.visitorEmail
      ? `They left ${conversation.visitorEmail} for the answer: your answer in the console is mailed to them.`
      : "They left no address: they read your answer on their next visit.",
    `Open the chat: ${chatUrl}`,
  ];
  return {
    to,
    subject: `Offline message from ${who}`,
    text: lines.join("\n\n"),
    html: htmlOf(lines.slice(0, 3)) + `\n<p><a href="${escapeHtml(chatUrl)}">Open the chat</a></p>`,
  };
}

/** For the visitor: the agent's answer, with the chat so far, and the page where it goes on. */
export function answerLetter(to: string, conversation: Conversation, messages: Message[], team: string): Letter {
  const transcript = messages.map(lineOf);
  const intro = `${team} answered the message you left on ${conversation.page}.`;
  const outro = `To reply, open ${conversation.page} in the browser you wrote from: the chat goes on there.`;
  return {
    to,
    subject: `${team} answered your message`,
    text: [intro, transcript.join("\n"), outro].join("\n\n"),
    html: htmlOf([intro]) + `\n<blockquote>${htmlOf(transcript)}</blockquote>\n` + htmlOf([outro]),
  };
}

/** For an owner: a webhook endpoint failed for a day and was switched off. */
export function switchedOffLetter(to: string, page: string): Letter {
  const lines = [
    "A webhook endpoint of your Hatch account has failed for a day, so Hatch switched it off: no more events go to it.",
    `Fix the receiver, then switch it on again in Integrations: ${page}`,
  ];
  return { to, subject: "A webhook endpoint was switched off", text: lines.join("\n\n"), html: htmlOf(lines) };
}

/** For a user whose owner made them a password-reset link: it works once, for a day. */
export function resetLetter(to: string, link: string): Letter {
  const lines = [
    "An owner of your Hatch account made you a link to set a new password. It works once, for 24 hours.",
    link,
    "If you did not ask for it, you can ignore this mail: your password stays as it is.",
  ];
  return {
    to,
    subject: "Set a new password for Hatch",
    text: lines.join("\n\n"),
    html: htmlOf([lines[0]!]) + `\n<p><a href="${escapeHtml(link)}">Set a new password</a></p>\n` + htmlOf([lines[2]!]),
  };
}

/** For a user who chose it: a chat request has waited their minutes, and nobody took it. */
export function unansweredLetter(to: string, conversation: Conversation, minutes: number, chatUrl: string): Letter {
  const who = conversation.visitorName ?? `A visitor from ${conversation.visitorIp}`;
  const lines = [`${who} has waited ${minutes} minutes on ${conversation.page}, and nobody has taken the chat.`];
  return {
    to,
    subject: `A chat has waited ${minutes} minutes`,
    text: [...lines, `Open the chat: ${chatUrl}`].join("\n\n"),
    html: htmlOf(lines) + `\n<p><a href="${escapeHtml(chatUrl)}">Open the chat</a></p>`,
  };
}

/** For an owner who chose it: the day's automatic bans (held messages join them with screening). */
export function digestLetter(
  to: string,
  day: { bans: { text: string; comment: string }[]; held: { count: number; url: string }[] },
  blockUrl: string,
): Letter {
  const { bans, held } = day;
  const summary =
    bans.length === 0
      ? "Automatic protection banned nobody in the last 24 hours."
      : `Automatic protection made ${bans.length} ${bans.length === 1 ? "ban" : "bans"} in the last 24 hours:`;
  const list = bans.map((ban) => `${ban.text}: ${ban.comment}`);
  const heldCount = held.reduce((sum, chat) => sum + chat.count, 0);
  const heldSummary =
    heldCount === 0
      ? ""
      : `Screening held ${plural(heldCount, "message")} that no agent has released yet, in ${plural(held.length, "chat")}:`;
  const heldList = held.map((chat) => `${plural(chat.count, "held message")}: ${chat.url}`);
  const outro = `Review or lift them in Block Visitors: ${blockUrl}`;
  const heldSubject = heldCount === 0 ? "" : `, ${plural(heldCount, "held message")}`;
  return {
    to,
    subject: `Hatch daily digest: ${bans.length} automatic ${bans.length === 1 ? "ban" : "bans"}${heldSubject}`,
    text: [summary, list.join("\n"), heldSummary, heldList.join("\n"), outro].filter(Boolean).join("\n\n"),
    html:
      htmlOf([summary]) +
      (list.length > 0 ? `\n<ul>${list.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>` : "") +
      (heldCount > 0
        ? `\n${htmlOf([heldSummary])}\n<ul>${held
            .map(
              (chat) =>
                `<li><a href="${escapeHtml(chat.url)}">${escapeHtml(plural(chat.count, "held message"))}</a></li>`,
            )
            .join("")}</ul>`
        : "") +
      `\n<p><a href="${escapeHtml(blockUrl)}">Block Visitors</a></p>`,
  };
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
