// The pre-chat form and the offline email on a real server: the owner's form goes to the widget in the
// verdict's config; a new chat's answers are checked against it (never trusted from the widget) and
// kept with the chat for the agent; while nobody is online the email is asked as the owner chose.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askVerdict, editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

const SITE = "https://shop.example";
const FORM = {
  fields: [
    { kind: "name", required: true },
    { kind: "email", required: false },
    { kind: "choice", label: "Topic", required: true, options: ["Billing", "Delivery"] },
    { kind: "text", label: "Order number", required: false },
  ],
};

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let nextAddress = 10;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent } = await signInAll(h));
  // The owner's console counts as online; away, the agent alone decides whether anyone is.
  await owner.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
});
afterAll(() => h.stop());

/** Starts a chat as a new visitor from a new address, with `body` as the widget sends it. */
async function start(body?: unknown): Promise<Response> {
  const ip = `198.51.100.${nextAddress++}`;
  const { ticket } = await (await askVerdict(h, { ip, route: "ticket" })).json();
  return fetch(`${h.url}/api/v1/widget/acme/conversations`, {
    method: "POST",
    headers: {
      origin: SITE,
      "x-forwarded-for": ip,
      authorization: `Bearer ${ticket}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

/** The chat as the console reads it. */
async function inConsole(id: string) {
  return (await (await agent.fetch(`/api/v1/console/conversations/${id}`)).json()).conversation;
}

const config = async () => (await (await askVerdict(h, { ip: "198.51.100.250" })).json()).config;

describe("the pre-chat form", () => {
  beforeAll(() =>
    editPolicy(owner, (doc) => {
      doc.window = { prechat: FORM };
    }),
  );

  it("goes to the widget in the verdict's config", async () => {
    expect((await config()).prechat).toEqual(FORM.fields);
  });

  it("keeps the answers with the chat, trimmed, the email in lower case, for the agent to read", async () => {
    const answer = await start({ prechat: { answers: [" Ada Lovelace ", "Ada@Example.COM", "Billing", "A-1042"] } });
    expect(answer.status).toBe(201);
    const { conversation } = await answer.json();
    // The visitor's own view of the chat carries none of it.
    expect(Object.keys(conversation)).not.toContain("visitorEmail");
    expect(await inConsole(conversation.id)).toMatchObject({
      visitorName: "Ada Lovelace",
      visitorEmail: "ada@example.com",
      answers: [
        { label: "Topic", value: "Billing" },
        { label: "Order number", value: "A-1042" },
      ],
    });
  });

  it("masks abusive words and card numbers in the name and answers before anyone reads them", async () => {
    const answer = await start({
      prechat: { answers: ["Fuck You", "", "Delivery", "card 4242 4242 4242 4242, shit"] },
    });
    expect(answer.status).toBe(201);
    const { conversation } = await answer.json();
    expect(await inConsole(conversation.id)).toMatchObject({
      visitorName: "••• You",
      answers: [
        { label: "Topic", value: "Delivery" },
        { label: "Order number", value: "card •••• 4242, •••" },
      ],
    });
  });

  it.each([
    ["no answers at all", undefined, "prechat.answers.0", "Name is required: answer it to start the chat."],
    [
      "a required choice left empty",
      { prechat: { answers: ["Ada", "", ""] } },
      "prechat.answers.2",
      "Topic is required",
    ],
    [
      "a choice that is not one of its options",
      { prechat: { answers: ["Ada", "", "Refund"] } },
      "prechat.answers.2",
      "Topic is one of: Billing, Delivery.",
    ],
    [
      "an email that is not an address",
      { prechat: { answers: ["Ada", "ada at example", "Billing"] } },
      "prechat.answers.1",
      "Email: Enter an email address like name@example.com.",
    ],
    [
      "an email a mailer would read as another address",
      { prechat: { answers: ["Ada", "root,ada@example.com", "Billing"] } },
      "prechat.answers.1",
      "Email: Enter an email address like name@example.com.",
    ],
    [
      "a name with a bidi override",
      { prechat: { answers: ["Ada\u202Enimda", "", "Billing"] } },
      "prechat.answers.0",
      "U+202E",
    ],
    [
      "an answer longer than 200 characters",
      { prechat: { answers: ["Ada", "", "Billing", "x".repeat(201)] } },
      "prechat.answers.3",
      "Order number is at most 200 characters.",
    ],
    [
      "more answers than any form has fields",
      { prechat: { answers: ["1", "2", "3", "4", "5", "6"] } },
      "prechat.answers",
      "fewer fields",
    ],
    ["a field the body does not know", { prechat: { answers: [] }, name: "Ada" }, "name", "name"],
  ])("refuses %s with 400, naming the field, and opens no chat", async (_case, body, field, message) => {
    const before = await h.server.deps.db.selectFrom("conversations").select("id").execute();
    const answer = await start(body);
    expect(answer.status).toBe(400);
    const { error } = await answer.json();
    expect(error.code).toBe("invalid");
    expect(error.fields[field]).toContain(message);
    const after = await h.server.deps.db.selectFrom("conversations").select("id").execute();
    expect(after.length).toBe(before.length);
  });

  it("costs the visitor no strike toward an automatic ban when its answers are refused", async () => {
    const ip = "198.51.100.200";
    const { ticket } = await (await askVerdict(h, { ip, route: "ticket" })).json();
    const headers = { origin: SITE, "x-forwarded-for": ip, authorization: `Bearer ${ticket}` };
    // More refusals than the chats an address may open in an hour (6 by default).
    for (let i = 0; i < 8; i++) {
      const refused = await fetch(`${h.url}/api/v1/widget/acme/conversations`, { method: "POST", headers });
      expect(refused.status).toBe(400);
    }
    const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ prechat: { answers: ["Ada", "", "Billing"] } }),
    });
    expect(started.status).toBe(201);
  });

  it("refuses a body larger than 32 KiB with 413 before reading it as answers", async () => {
    const answer = await start({ prechat: { answers: ["x".repeat(40_000)] } });
    expect(answer.status).toBe(413);
  });
});

describe("the email asked while nobody is online", () => {
  async function nobodyOnline(offlineEmail?: string) {
    await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    await editPolicy(owner, (doc) => {
      doc.window = offlineEmail === undefined ? {} : { offlineEmail };
    });
    await expect.poll(async () => (await config()).away).toBe(true);
  }

  it("is optional by default: a chat starts without one, and keeps one given", async () => {
    await nobodyOnline();
    expect((await config()).offlineEmail).toBeUndefined();
    expect((await start()).status).toBe(201);
    const answer = await start({ email: " Grace@Example.org" });
    expect(answer.status).toBe(201);
    const chat = await inConsole((await answer.json()).conversation.id);
    expect(chat).toMatchObject({ offline: true, visitorEmail: "grace@example.org" });
  });

  it("is demanded when the owner makes it required, and checked as an address", async () => {
    await nobodyOnline("required");
    expect((await config()).offlineEmail).toBe("required");
    const without = await start();
    expect(without.status).toBe(400);
    expect((await without.json()).error.fields.email).toBe("Email is required: the answer goes there.");
    const wrong = await start({ email: "grace@" });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.fields.email).toBe("Enter an email address like name@example.com.");
    expect((await start({ email: "grace@example.org" })).status).toBe(201);
  });

  it("is not asked, nor kept, when the owner turns it off", async () => {
    await nobodyOnline("off");
    const answer = await start({ email: "grace@example.org" });
    expect(answer.status).toBe(201);
    expect((await inConsole((await answer.json()).conversation.id)).visitorEmail).toBeNull();
  });

  it("is not asked while an agent is online, even when the owner requires it", async () => {
    await nobodyOnline("required");
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "online" } });
    await expect.poll(async () => (await config()).away ?? false).toBe(false);
    const answer = await start();
    expect(answer.status).toBe(201);
    expect((await inConsole((await answer.json()).conversation.id)).offline).toBe(false);
    await feed.close();
  });
});

describe("the policy's form", () => {
  it.each([
    [
      [
        { kind: "name", required: true },
        { kind: "name", required: false },
      ],
      "asks for the name once",
    ],
    [
      ["A", "B", "C", "D"].map((label) => ({ kind: "text", label, required: false })),
      "at most 3 questions beside name and email",
    ],
    [[{ kind: "text", required: true }], "A text question needs its label"],
    [[{ kind: "choice", label: "Topic", required: true }], 'The choice "Topic" needs its options'],
    [[{ kind: "choice", label: "Topic", required: true, options: ["A"] }], "at least 2 options"],
    [[{ kind: "choice", label: "Topic", required: true, options: ["A", "A"] }], "different from each other"],
    [[{ kind: "email", required: true, options: ["A", "B"] }], "Only a choice has options"],
    [[{ kind: "phone", required: true }], "kind is"],
  ])("is refused when it cannot be filled: %j", async (fields, message) => {
    const current = await owner.fetch("/api/v1/console/policy");
    const answer = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: { ...(await current.json()), window: { prechat: { fields } } },
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.message).toContain(message);
  });
});

describe("the privacy notice", () => {
  const NOTICE = { text: "We keep chats for 90 days.", url: "https://shop.example/privacy", version: 2 };

  it("goes to the widget as written; a chat starts without agreement unless the owner requires it", async () => {
    await editPolicy(owner, (doc) => {
      doc.window = { privacy: NOTICE };
    });
    expect((await config()).privacy).toEqual(NOTICE);
    const answer = await start();
    expect(answer.status).toBe(201);
    expect((await inConsole((await answer.json()).conversation.id)).consent).toBeNull();
  });

  it("refuses a chat without agreement to the notice's current version, and keeps the agreement given", async () => {
    await editPolicy(owner, (doc) => {
      doc.window = { privacy: { ...NOTICE, requireConsent: true } };
    });
    expect((await config()).privacy).toEqual({ ...NOTICE, requireConsent: true });
    for (const body of [undefined, {}, { consent: { version: 1 } }]) {
      const refused = await start(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await refused.json()).error).toMatchObject({
        code: "invalid",
        fields: { consent: "Agree to the privacy notice to start the chat." },
      });
    }
    const wrongShape = await start({ consent: { version: "2" } });
    expect(wrongShape.status).toBe(400);
    const answer = await start({ consent: { version: 2 } });
    expect(answer.status).toBe(201);
    const consent = (await inConsole((await answer.json()).conversation.id)).consent;
    expect(consent).toEqual({ version: 2, at: expect.any(String) });
    expect(Math.abs(Date.parse(consent.at) - h.clock.now())).toBeLessThan(60_000);
  });

  it("is refused a link that is not a web page, and a notice without words", async () => {
    for (const [privacy, field] of [
      [{ text: "Hi", url: "javascript:alert(1)" }, /Privacy policy link is a web page's full address/],
      [{ text: "Hi", url: "/privacy" }, /Privacy policy link is a web page's full address/],
      [{ text: "  ", url: "https://shop.example/privacy" }, /Privacy notice text is empty/],
      [{ text: "Hi", version: 0 }, /Privacy notice version is at least 1/],
      [{ url: "https://shop.example/privacy" }, /Privacy notice text is missing: write the notice/],
    ] as const) {
      const current = await owner.fetch("/api/v1/console/policy");
      const doc = await current.json();
      const refused = await owner.fetch("/api/v1/console/policy", {
        method: "PUT",
        json: { ...doc, window: { privacy } },
        headers: { "if-match": current.headers.get("etag") ?? "" },
      });
      expect(refused.status, JSON.stringify(privacy)).toBe(400);
      expect((await refused.json()).error.message).toMatch(field);
    }
  });
});
