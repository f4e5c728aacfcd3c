// A real SMTP server for the tests (smtp-server, from nodemailer's authors) on a free loopback port:
// it takes every mail, parses it (mailparser) and keeps it for the test to read. With a certificate it
// speaks SMTP over TLS from the first byte, as an `smtps://` server on port 465 does.

import { simpleParser, type ParsedMail } from "mailparser";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Inbox {
  /** SMTP_URL for Hatch. */
  url: string;
  mails: ParsedMail[];
  /** The mails to `address` so far. */
  to(address: string): ParsedMail[];
  /** Refuse the next `count` mails (a 451, as a busy server answers): the sender must try again. */
  refuseNext(count: number): void;
  stop(): Promise<void>;
}

export async function startSmtp(tls?: { cert: string; key: string }): Promise<Inbox> {
  const mails: ParsedMail[] = [];
  let refusing = 0;
  const server = new SMTPServer({
    authOptional: true,
    ...(tls && { secure: true, cert: readFileSync(tls.cert), key: readFileSync(tls.key) }),
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      if (refusing > 0) {
        refusing -= 1;
        stream.resume();
        stream.on("end", () => done(Object.assign(new Error("Try again later"), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          done();
        },
        (error: Error) => done(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `${tls ? "smtps" : "smtp"}://127.0.0.1:${port}`,
    mails,
    to: (address) =>
      mails.filter((mail) => {
        const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
        return to.some((group) => group.value.some((entry) => entry.address === address));
      }),
    refuseNext: (count) => void (refusing = count),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
