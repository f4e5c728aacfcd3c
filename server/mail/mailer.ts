// Mail through the operator's SMTP server (SMTP_URL, MAIL_FROM), with nodemailer: the one library that
// speaks SMTP, STARTTLS and authentication well. A letter is plain text and the same in HTML, with no
// tracking pixel and no remote image.

import nodemailer from "nodemailer";

export interface Letter {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(letter: Letter): Promise<void>;
  close(): void;
}

/** An SMTP server that does not answer in this long is tried again later, through the outbox. */
const TIMEOUT_MS = 15_000;

/** A mailer for `smtpUrl` (`smtp://user:pass@host:587` or `smtps://…`), sending as `from`. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    async send(letter) {
      await transport.sendMail({ from, ...letter });
    },
    close: () => transport.close(),
  };
}
