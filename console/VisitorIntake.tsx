// What the visitor told before the chat, in the chat's header: their name, their email (to write to),
// the answers to the form's questions, and for an offline message how the answer reaches them.

import type { Conversation } from "./types";

/** A mailto: link's address, each part escaped so that no character of it reads as the link's own syntax. */
const mailtoOf = (email: string) => `mailto:${email.split("@").map(encodeURIComponent).join("@")}`;

export function VisitorIntake({ conversation }: { conversation: Conversation }) {
  const { visitorName: name, visitorEmail: email, offline, answers } = conversation;
  return (
    <>
      {offline && (
        <p class="offline-note">
          <span class="tag">Offline message</span>{" "}
          {email
            ? "Written while no agent was online. Left an address for the answer: they are not on the page, so answer by email."
            : "Written while no agent was online: the visitor reads your answer on their next visit."}
        </p>
      )}
      {(name || email || answers.length > 0) && (
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
        </dl>
      )}
    </>
  );
}
