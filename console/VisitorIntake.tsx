// What the visitor told before the chat, in the chat's header: their name, their email (to write to),
// the answers to the form's questions, their agreement to the privacy notice, and for an offline message
// how the answer reaches them.

import type { Conversation } from "./types";

/** A mailto: link's address, each part escaped so that no character of it reads as the link's own syntax. */
const mailtoOf = (email: string) => `mailto:${email.split("@").map(encodeURIComponent).join("@")}`;

/** The offline note's words: with mail, Hatch mails the answer itself, and an agent who also wrote would answer twice. */
function offlineNote(email: string | null, mailsAnswers: boolean): string {
  if (!email) return "Written while no agent was online: the visitor reads your answer on their next visit.";
  return mailsAnswers
    ? "Written while no agent was online. Left an address for the answer: answer here, and Hatch mails your answer to them."
    : "Written while no agent was online. Left an address for the answer: they are not on the page, so answer by email.";
}

export function VisitorIntake({ conversation, mailsAnswers }: { conversation: Conversation; mailsAnswers: boolean }) {
  const { visitorName: name, visitorEmail: email, offline, answers, consent } = conversation;
  return (
    <>
      {offline && (
        <p class="offline-note">
          <span class="tag">Offline message</span> {offlineNote(email, mailsAnswers)}
        </p>
      )}
      {(name || email || answers.length > 0 || consent) && (
        <dl class="visitor-intake">
          {name && (
            <div>
              <dt>Name</dt>
              <dd>{name}</dd>
            </div>
          )}
          {email && (
            <div>
              <dt>Email</dt>
              <dd>
                <a href={mailtoOf(email)}>{email}</a>
              </dd>
            </div>
          )}
          {answers.map((answer, index) => (
            <div key={index}>
              <dt>{answer.label}</dt>
              <dd>{answer.value}</dd>
            </div>
          ))}
          {consent && (
            <div>
              <dt>Privacy notice</dt>
              <dd>
                Agreed to version {consent.version} on {new Date(consent.at).toLocaleString()}
              </dd>
            </div>
          )}
        </dl>
      )}
    </>
  );
}
