// Mail on a real server and a real SMTP server: a message written while nobody is online is mailed to
// the team (owners by default, each user's choice in Options), once per chat; the agents' answer to it
// is mailed to the visitor who left an address, answers within two minutes in one mail; a refused mail
// is tried again from the outbox; without SMTP_URL nothing is queued.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANSWER_BURST_MS, mailAbout } from "../../../server/mail/notify";
import { backoffMs } from "../../../server/outbox/worker";
import {
  askVerdict,
  editPolicy,
  signInAll,
  startHarness,
  startInstance,
  visitorSession,
  type ConsoleClient,
  type Harness,
} from "../harness";
import { selfSignedCertificate } from "../certificate";
import { startSmtp, type Inbox } from "../smtp";

const SITE = "https://shop.example";
const FROM = "Acme support <hatch@acme.test>";

let inbox: Inbox;
let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let nextAddress = 20;

beforeAll(async () => {
  inbox = await startSmtp();
  h = await startHarness({ TRUST_PROXY: "loopback", SMTP_URL: inbox.url, MAIL_FROM: FROM });
  ({ owner, agent } = await signInAll(h));
  // Nobody online: the owner's console and the agent's choose away.
  for (const user of [owner, agent])
    await user.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
});
afterAll(async () => {
  await h.stop();
  await inbox.stop();
});

/** A new visitor's offline chat with its first message; the visitor leaves `email` when given. */
async function offlineChat(text: string, email?: string): Promise<{ id: string; send(text: string): Promise<void> }> {
  const ip = `198.51.100.${nextAddress++}`;
  const { ticket } = await (await askVerdict(h, { ip, route: "ticket" })).json();
  const headers = { origin: SITE, "x-forwarded-for": ip, authorization: `Bearer ${ticket}` };
  const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(email === undefined ? {} : { email }),
  });
  expect(started.status).toBe(201);
  const { conversation, secret } = await started.json();
  expect(conversation.offline).toBe(true);
  const send = async (words: string) => {
    const sent = await fetch(`${h.url}/api/v1/widget/acme/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: { ...headers, "x-chat-secret": secret, "content-type": "application/json" },
      body: JSON.stringify({ text: words }),
    });
    expect(sent.status).toBe(201);
  };
  await send(text);
  return { id: conversation.id, send };
}

const flush = () => h.server.deps.outbox.flush();

/** An owner's request of a password-reset link for agent@acme.test, mailed when the server has mail. */
async function resetAgent(by: ConsoleClient): Promise<Response> {
  const users = (await (await by.fetch("/api/v1/console/users")).json()).users as { id: string; email: string }[];
  const agentId = users.find((user) => user.email === "agent@acme.test")!.id;
  return by.fetch(`/api/v1/console/users/${agentId}/reset`, { method: "POST" });
}

/** When the daily digest waiting in the outbox is due. */
async function nextDigestAt(): Promise<number> {
  const [row] = await h.server.deps.db
    .selectFrom("outbox")
    .select("next_at")
    .where("dedupe_key", "like", "digest:%")
    .where("done_at", "is", null)
    .execute();
  return Number(row!.next_at);
}

/** The owner chooses the daily digest, and the clock goes on to when the next one is due and sent. */
async function digestSent(): Promise<void> {
  await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { digest: true } } });
  h.clock.skip((await nextDigestAt()) - h.server.deps.now());
  await flush();
}

describe("an offline message", () => {
  it("is mailed to the owner, who hears of it by default, and not to an agent who did not choose it", async () => {
    const chat = await offlineChat("Do you ship <b>to Norway</b>?");
    await flush();
    const [mail, ...more] = inbox.to("owner@acme.test");
    expect(more).toEqual([]);
    expect(inbox.to("agent@acme.test")).toEqual([]);
    expect(mail!.from?.text).toBe(`"Acme support" <hatch@acme.test>`);
    expect(mail!.subject).toBe("Offline message from A visitor from 198.51.100.20");
    expect(mail!.text).toContain("Do you ship <b>to Norway</b>?");
    expect(mail!.text).toContain(`${h.server.deps.config.publicUrl}/console/#/chats/${chat.id}`);
    // The visitor's words are text in the HTML, never markup; nothing is loaded from anywhere.
    expect(mail!.html).toContain("Do you ship &lt;b&gt;to Norway&lt;/b&gt;?");
    expect(mail!.html).not.toMatch(/<img|<script/i);
  });

  it("writes the visitor's links defanged, so no mail program makes them clickable", async () => {
    await offlineChat("Pay at https://paypal.com.evil.example/login please");
    await flush();
    const mail = inbox.to("owner@acme.test").at(-1);
    expect(mail!.text).toContain("Pay at hxxps://paypal[.]com[.]evil[.]example/login please");
    expect(`${mail!.text}${mail!.html}`).not.toContain("paypal.com.evil");
  });

  it("keeps masked words and card numbers masked, as the console first shows them", async () => {
    await offlineChat("You shitty shop, refund card 4242 4242 4242 4242");
    await flush();
    const mail = inbox.to("owner@acme.test").at(-1);
    expect(mail!.text).toMatch(/You •+ shop, refund card •••• 4242/);
    expect(`${mail!.text}${mail!.html}`).not.toMatch(/shitty|4242 4242/);
  });

  it("is mailed once per chat, however many messages follow", async () => {
    const before = inbox.to("owner@acme.test").length;
    const chat = await offlineChat("First");
    await chat.send("Second");
    await chat.send("Third");
    await flush();
    expect(inbox.to("owner@acme.test").length).toBe(before + 1);
  });

  it("reaches an agent once they choose it in Options", async () => {
    const chose = await agent.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { mail: { offlineMessages: true } },
    });
    expect((await chose.json()).mail).toMatchObject({ offlineMessages: true });
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options.mail).toMatchObject({
      offlineMessages: true,
    });
    await offlineChat("For the agent too");
    await flush();
    expect(inbox.to("agent@acme.test").map((mail) => mail.text)).toEqual([
      expect.stringContaining("For the agent too"),
    ]);
  });

  it("names the visitor to an agent by network where the owners show agents networks, to owners in full", async () => {
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { offlineMessages: true } } });
    await editPolicy(owner, (doc) => {
      doc.agentsSeeAddresses = "network";
    });
    try {
      const before = inbox.to("agent@acme.test").length;
      await offlineChat("Which network am I?");
      await flush();
      const [toAgent] = inbox.to("agent@acme.test").slice(before);
      expect(toAgent!.subject).toMatch(/^Offline message from A visitor from 198\.51\.100\.0\/24$/);
      expect(`${toAgent!.text}${toAgent!.html}`).not.toMatch(/198\.51\.100\.(?!0\/24)/);
      expect(inbox.to("owner@acme.test").at(-1)!.subject).toMatch(/from A visitor from 198\.51\.100\.\d+$/);
    } finally {
      await editPolicy(owner, (doc) => {
        delete doc.agentsSeeAddresses;
      });
    }
  });

  it("is tried again after a refusal, and sent once", async () => {
    inbox.refuseNext(2);
    await offlineChat("Retried");
    await flush();
    const sent = () => inbox.mails.filter((mail) => mail.text?.includes("Retried")).length;
    expect(sent()).toBe(0);
    const [row] = await h.server.deps.db.selectFrom("outbox").selectAll().where("done_at", "is", null).execute();
    expect(row).toMatchObject({ attempts: 1 });
    expect(row!.last_error).toContain("451");
    h.clock.skip(backoffMs(1));
    await flush();
    // The refusal took one of the two mails (owner's and agent's); the other went.
    h.clock.skip(backoffMs(2));
    await flush();
    expect(sent()).toBe(2);
    h.clock.skip(backoffMs(3));
    await flush();
    expect(sent()).toBe(2);
  });
});

describe("the answer to an offline message", () => {
  it("is mailed to the visitor who left an address, answers within two minutes together, with the chat so far", async () => {
    const chat = await offlineChat("Is the blue one in stock?", "Visitor@Example.org");
    await flush();
    await agent.fetch(`/api/v1/console/conversations/${chat.id}/accept`, { method: "POST" });
    // A note is the team's: never in the visitor's mail.
    const noted = await agent.fetch(`/api/v1/console/conversations/${chat.id}/notes`, {
      method: "POST",
      json: { text: "Stock system says 3 left" },
    });
    expect(noted.status).toBe(201);
    for (const text of ["Yes, it is.", "It ships tomorrow."])
      expect(
        (await agent.fetch(`/api/v1/console/conversations/${chat.id}/messages`, { method: "POST", json: { text } }))
          .status,
      ).toBe(201);
    await flush();
    expect(inbox.to("visitor@example.org")).toEqual([]);
    h.clock.skip(ANSWER_BURST_MS);
    await flush();
    const [mail, ...more] = inbox.to("visitor@example.org");
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("ACME answered your message");
    expect(mail!.text).toContain("You: Is the blue one in stock?");
    expect(mail!.text).toContain("Agent: Yes, it is.\nAgent: It ships tomorrow.");
    expect(mail!.text).toContain(`open https://shop.example/ in the browser you wrote from`);
    expect(mail!.text).not.toContain("Stock system");
    expect(mail!.html).not.toContain("Stock system");
  });

  it("goes in one mail when answers are sent at the same moment", async () => {
    const chat = await offlineChat("Two questions: price and size?", "both@example.org");
    await agent.fetch(`/api/v1/console/conversations/${chat.id}/accept`, { method: "POST" });
    const answers = ["It costs 20 euros.", "It comes in M and L.", "Anything else?"];
    for (const text of answers)
      await agent.fetch(`/api/v1/console/conversations/${chat.id}/messages`, { method: "POST", json: { text } });
    // Each answer's mail asked for at once, as answers of two agents in one instant would ask for it.
    const { conversations } = h.server.deps;
    const conversation = (await conversations.get("acme", chat.id))!;
    const written = (await conversations.messages(chat.id)).filter((message) => message.author === "agent");
    await h.server.deps.db.deleteFrom("outbox").where("dedupe_key", "like", `answer:${chat.id}:%`).execute();
    await Promise.all(written.map((message) => mailAbout(h.server.deps, conversation, message)));
    h.clock.skip(ANSWER_BURST_MS);
    await flush();
    const mails = inbox.to("both@example.org");
    expect(mails).toHaveLength(1);
    for (const text of answers) expect(mails[0]!.text).toContain(text);
  });

  it("is not mailed to a visitor who left no address", async () => {
    const before = inbox.mails.length;
    const chat = await offlineChat("No address from me");
    await flush();
    const teamMails = inbox.mails.length - before;
    await agent.fetch(`/api/v1/console/conversations/${chat.id}/accept`, { method: "POST" });
    await agent.fetch(`/api/v1/console/conversations/${chat.id}/messages`, { method: "POST", json: { text: "Hi" } });
    h.clock.skip(ANSWER_BURST_MS);
    await flush();
    expect(inbox.mails.length - before).toBe(teamMails);
  });
});

describe("a chat request left unanswered", () => {
  it("is mailed to a user who chose it, after their minutes, only while nobody has taken it", async () => {
    const chose = await owner.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { mail: { unansweredMinutes: 5 } },
    });
    expect((await chose.json()).mail).toMatchObject({ unansweredMinutes: 5 });
    const waiting = await offlineChat("Anyone there?");
    const taken = await offlineChat("Hello?");
    await agent.fetch(`/api/v1/console/conversations/${taken.id}/accept`, { method: "POST" });
    await flush();
    const waited = () => inbox.to("owner@acme.test").filter((mail) => mail.subject === "A chat has waited 5 minutes");
    expect(waited()).toEqual([]);
    h.clock.skip(5 * 60_000);
    await flush();
    expect(waited().map((mail) => mail.text)).toEqual([expect.stringContaining(`/console/#/chats/${waiting.id}`)]);
    await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { unansweredMinutes: null } } });
  });

  it.each([0, 1441, 2.5, "5"])("refuses %j minutes, changing nothing", async (minutes) => {
    const answer = await owner.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { mail: { unansweredMinutes: minutes } },
    });
    expect(answer.status).toBe(400);
    expect((await (await owner.fetch("/api/v1/console/me")).json()).options.mail.unansweredMinutes).toBeNull();
  });
});

describe("the daily digest", () => {
  it("goes to an owner who chose it at 07:00 UTC, then each day after; an agent cannot choose it", async () => {
    const refused = await agent.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { mail: { digest: true } },
    });
    expect(refused.status).toBe(400);
    await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { digest: true } } });
    const digests = () => inbox.to("owner@acme.test").filter((mail) => mail.subject?.startsWith("Hatch daily digest"));
    await flush();
    expect(digests()).toEqual([]);
    const due = await nextDigestAt();
    const at = new Date(due);
    expect([at.getUTCHours(), at.getUTCMinutes()]).toEqual([7, 0]);
    h.clock.skip(due - h.server.deps.now());
    await flush();
    expect(digests().map((mail) => mail.subject)).toEqual(["Hatch daily digest: 0 automatic bans"]);
    h.clock.skip(24 * 60 * 60 * 1000);
    await flush();
    expect(digests()).toHaveLength(2);
    await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { digest: false } } });
    h.clock.skip(24 * 60 * 60 * 1000);
    await flush();
    expect(digests()).toHaveLength(2);
  });
});

describe("the daily digest chosen while the server had no mail", () => {
  it("is queued once a start has SMTP_URL", async () => {
    const quiet = await startHarness();
    const digestRows = () =>
      quiet.server.deps.db.selectFrom("outbox").select("dedupe_key").where("dedupe_key", "like", "digest:%").execute();
    try {
      const chose = await (
        await quiet.login("acme", "owner@acme.test")
      ).fetch("/api/v1/console/me/options", {
        method: "PATCH",
        json: { mail: { digest: true } },
      });
      expect(chose.status).toBe(200);
      expect(await digestRows()).toEqual([]);
      // The same deployment started again with mail (its store: the data folder, or the same database).
      const { dataDir } = quiet.server.deps.config;
      const mailing = await startInstance({ ...quiet.env, DATA_DIR: dataDir, SMTP_URL: inbox.url, MAIL_FROM: FROM });
      await mailing.stop();
      expect(await digestRows()).toHaveLength(1);
    } finally {
      await quiet.stop();
    }
  });
});

describe("the daily digest of automatic bans", () => {
  it("lists each ban automatic protection made in the day, with its reason", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.241" });
    // abusiveMessages is 3 by default: the third bans the browser.
    for (const text of ["fuck you", "you are shit", "fuck off"])
      await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, { method: "POST", json: { text } });
    await digestSent();
    const digest = inbox.to("owner@acme.test").findLast((mail) => mail.subject?.startsWith("Hatch daily digest"));
    // The browser is banned, and its address, which no other browser shares.
    expect(digest?.subject).toBe("Hatch daily digest: 2 automatic bans");
    expect(digest?.text).toContain("Automatic protection made 2 bans in the last 24 hours:");
    expect(digest?.text).toMatch(/^v_[\w-]{16}: Automatic protection: sent 3 abusive messages/m);
    expect(digest?.text).toMatch(/^198\.51\.100\.241: Automatic protection: sent 3 abusive messages/m);
    expect(digest?.text).not.toContain("fuck");
    await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { digest: false } } });
  });
});

describe("the daily digest of held messages", () => {
  it("lists the chats with messages screening held and nobody released, with links to them", async () => {
    await editPolicy(owner, (doc) => {
      doc.screening = { abuse: "hold" };
    });
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.240" });
    for (const text of ["fuck you", "fuck off"])
      await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, { method: "POST", json: { text } });
    await editPolicy(owner, (doc) => {
      delete doc.screening;
    });
    await digestSent();
    const digest = inbox.to("owner@acme.test").findLast((mail) => mail.subject?.includes("2 held messages"));
    expect(digest?.text).toContain(`2 held messages: ${h.url}/console/#/chats/${visitor.conversationId}`);
    expect(digest?.text).not.toContain("fuck");
    await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { digest: false } } });
  });
});

describe("a password-reset link", () => {
  it("is mailed to the user, never shown to the owner, and works", async () => {
    const answer = await resetAgent(owner);
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ mailed: true });
    await flush();
    const mail = inbox.to("agent@acme.test").find((m) => m.subject === "Set a new password for Hatch");
    const token = /#\/reset\/(\S+)/.exec(mail!.text ?? "")?.[1];
    expect(token).toBeDefined();
    const reset = await fetch(`${h.url}/api/v1/console/password-reset`, {
      method: "POST",
      headers: { origin: h.origin, "content-type": "application/json" },
      body: JSON.stringify({ token, password: "a new password for the agent" }),
    });
    expect(reset.status).toBe(204);
  });
});

describe("a mail refused before a restart", () => {
  it("is sent by the next process, from the store, once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hatch-mail-restart-"));
    const env = { DATA_DIR: dataDir, SMTP_URL: inbox.url, MAIL_FROM: FROM };
    const first = await startHarness(env);
    let second: Harness | null = null;
    const resets = () => inbox.to("agent@acme.test").filter((mail) => mail.subject === "Set a new password for Hatch");
    const before = resets().length;
    try {
      const client = await first.login("acme", "owner@acme.test");
      inbox.refuseNext(1);
      expect((await resetAgent(client)).status).toBe(201);
      await first.server.deps.outbox.flush();
      expect(resets()).toHaveLength(before);
      await first.stop();
      second = await startInstance(first.env);
      second.clock.skip(backoffMs(1));
      await second.server.deps.outbox.flush();
      expect(resets()).toHaveLength(before + 1);
      second.clock.skip(backoffMs(2));
      await second.server.deps.outbox.flush();
      expect(resets()).toHaveLength(before + 1);
    } finally {
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("an smtps:// server", () => {
  it("is sent the mail over TLS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-smtps-"));
    const secure = await startSmtp(selfSignedCertificate(dir, "localhost"));
    // The test's own certificate is trusted as an operator trusts a private one (NODE_EXTRA_CA_CERTS
    // is read only as Node starts; nodemailer takes tls.* options in the URL).
    const mailing = await startHarness({
      SMTP_URL: `${secure.url}?tls.rejectUnauthorized=false`,
      MAIL_FROM: FROM,
    });
    try {
      const client = await mailing.login("acme", "owner@acme.test");
      expect((await resetAgent(client)).status).toBe(201);
      await mailing.server.deps.outbox.flush();
      expect(secure.url).toMatch(/^smtps:/);
      expect(secure.to("agent@acme.test").map((mail) => mail.subject)).toEqual(["Set a new password for Hatch"]);
    } finally {
      await mailing.stop();
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("without SMTP_URL", () => {
  it("queues no mail at all", async () => {
    const plain = await startHarness({ TRUST_PROXY: "loopback" });
    try {
      const ip = "198.51.100.250";
      const { ticket } = await (await askVerdict(plain, { ip, route: "ticket" })).json();
      const started = await fetch(`${plain.url}/api/v1/widget/acme/conversations`, {
        method: "POST",
        headers: { origin: SITE, "x-forwarded-for": ip, authorization: `Bearer ${ticket}` },
      });
      const { conversation, secret } = await started.json();
      await fetch(`${plain.url}/api/v1/widget/acme/conversations/${conversation.id}/messages`, {
        method: "POST",
        headers: {
          origin: SITE,
          "x-forwarded-for": ip,
          authorization: `Bearer ${ticket}`,
          "x-chat-secret": secret,
          "content-type": "application/json",
        },
        body: JSON.stringify({ text: "Anyone?" }),
      });
      expect(await plain.server.deps.db.selectFrom("outbox").selectAll().execute()).toEqual([]);
    } finally {
      await plain.stop();
    }
  });
});
