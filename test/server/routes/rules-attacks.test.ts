// Attacks on rules of every kind on a real server: another account's rules and audit, roles, CSRF,
// the size and shape of CSV imports, expiry, the verdict's `&visitor=`, the Tor list, NUL bytes.
// Each test states the safe behaviour; see the security review for which ones fail before a fix.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import { VISITOR_ID } from "../../../policy/rules";
import {
  askVerdict,
  chatRequest,
  editPolicy,
  signInAll,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
} from "../harness";

const SITE = "https://shop.example";
const TOR_EXITS = ["198.51.100.201", "198.51.100.202"];

// A Tor list with junk around its two exits: binary bytes, a 2 MB line, a line of spaces.
const torDir = mkdtempSync(join(tmpdir(), "hatch-tor-attack-"));
const torList = join(torDir, "exits.txt");
writeFileSync(
  torList,
  Buffer.concat([
    Buffer.from(`${TOR_EXITS[0]}\n`),
    Buffer.from([0, 255, 254, 10, 0xc3, 0x28, 10, 13, 10]),
    Buffer.from(`${"9".repeat(2_000_000)}\n${" ".repeat(1000)}\n${TOR_EXITS[1]} # trailing comment\r\n`),
  ]),
);

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback", TOR_EXIT_LIST: torList });
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(async () => {
  await h.stop();
  rmSync(torDir, { recursive: true, force: true });
});

interface ListedRule {
  id: string;
  kind: string;
  rule: string;
  comment: string;
  expiresAt: string | null;
}

async function rules(client: ConsoleClient, query = ""): Promise<ListedRule[]> {
  return (await (await client.fetch(`/api/v1/console/rules${query}`)).json()).rules as ListedRule[];
}

function post(client: ConsoleClient, path: string, json: unknown, headers: Record<string, string> = {}) {
  return client.fetch(`/api/v1/console${path}`, { method: "POST", json, headers });
}

/** A verdict as the loader asks it, from `ip` (through the trusted proxy), with `visitorParam` verbatim. */
async function verdict(ip: string, visitorParam?: string): Promise<{ status: number; body: string }> {
  const response = await askVerdict(h, { ip, visitor: visitorParam });
  return { status: response.status, body: await response.text() };
}

/** The visitor id a ticket was signed for. */
function ticketVisitor(ticket: string): string {
  return Buffer.from(ticket.split(".")[0]!, "base64url").toString().split("\n")[1]!;
}

describe("another account", () => {
  let secret: ListedRule;

  beforeAll(async () => {
    const added = await post(owner, "/rules", { text: "198.51.100.1\nAS64500", comment: "acme-secret" });
    expect(added.status).toBe(201);
    secret = (await rules(owner, "?q=acme-secret")).find((rule) => rule.rule === "198.51.100.1")!;
  });

  it("cannot find, export or remove acme's rules, by id or by search", async () => {
    expect(await rules(rival, "?q=acme-secret")).toEqual([]);
    expect(await (await rival.fetch("/api/v1/console/rules.csv")).text()).not.toContain("acme-secret");
    expect((await rival.fetch(`/api/v1/console/rules/${secret.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await rival.fetch(`/api/v1/console/ip-rules/${secret.id}`, { method: "DELETE" })).status).toBe(404);
    for (const guess of [`${secret.id.slice(0, -1)}A`, "rule_", "x".repeat(8_000), "*"])
      expect((await rival.fetch(`/api/v1/console/rules/${guess}`, { method: "DELETE" })).status).toBe(404);
    // NUL is refused before any route: PostgreSQL cannot compare text with it.
    expect((await rival.fetch("/api/v1/console/rules/%00", { method: "DELETE" })).status).toBe(400);
    expect((await rules(owner, "?q=acme-secret")).map((rule) => rule.id)).toContain(secret.id);
  });

  it("never reads acme's audit, whatever `before` it pages from", async () => {
    for (const before of ["", "?before=999999999999999", "?before=1&limit=100", "?limit=100"]) {
      const answer = await rival.fetch(`/api/v1/console/audit${before}`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).not.toMatch(/acme-secret|owner@acme\.test|agent@acme\.test/);
    }
  });

  it("cannot block from acme's chat", async () => {
    const conversation = await chatRequest(h, { visitorIp: "198.51.100.2" });
    const answer = await post(rival, `/conversations/${conversation.id}/block`, {
      scope: ["visitor", "address", "network"],
      comment: "rival",
    });
    expect(answer.status).toBe(404);
    expect(await rules(owner, "?q=198.51.100.")).toHaveLength(1);
    expect(await rules(rival)).toEqual([]);
  });
});

describe("an agent", () => {
  it("cannot add, import, remove or switch anything, nor read the audit or preview", async () => {
    const [target] = await rules(owner);
    const csv = "kind,rule\nas,AS64501\n";
    const refused = await Promise.all([
      post(agent, "/rules", { text: "192.0.2.201", comment: "" }),
      post(agent, "/rules", { csv }),
      post(agent, "/ip-rules", { text: "192.0.2.202", comment: "" }),
      agent.fetch(`/api/v1/console/rules/${target!.id}`, { method: "DELETE" }),
      agent.fetch(`/api/v1/console/ip-rules/${target!.id}`, { method: "DELETE" }),
      agent.fetch("/api/v1/console/policy", {
        method: "PUT",
        json: { networks: { hosting: "hide", tor: "hide" } },
        headers: { "if-match": "*" },
      }),
      post(agent, "/preview", { ip: "192.0.2.1", page: `${SITE}/`, visitor: "v_aaaaaaaaaaaaaaaa" }),
      agent.fetch("/api/v1/console/audit"),
    ]);
    expect(refused.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    const after = (await rules(owner)).map((rule) => rule.rule);
    expect(after).not.toContain("192.0.2.201");
    expect(after).not.toContain("AS64501");
    expect(after).toContain(target!.rule);
  });

  // DESIGN.md: `GET /api/v1/console/rules.csv` is for owners.
  it("cannot download the rules export, which the contract gives to owners", async () => {
    expect((await agent.fetch("/api/v1/console/rules.csv")).status).toBe(403);
  });

  it("is not told where on the server the Tor list lives", async () => {
    const answer = await agent.fetch("/api/v1/console/networks");
    expect(answer.status).toBe(200);
    expect(await answer.text()).not.toContain(torDir);
  });
});

describe("changes from another site (CSRF)", () => {
  test.each([
    ["another origin", { origin: "https://evil.example" }],
    ["a sandboxed page", { origin: "null" }],
    ["the console's origin on another port", { origin: "http://127.0.0.1:1" }],
  ])("are refused from %s, and change nothing", async (_, headers) => {
    const [target] = await rules(owner);
    const conversation = await chatRequest(h, { visitorIp: "192.0.2.210" });
    const answers = await Promise.all([
      post(owner, "/rules", { text: "192.0.2.211", comment: "csrf" }, headers),
      post(owner, "/rules", { csv: "kind,rule\naddress,192.0.2.212\n" }, headers),
      owner.fetch(`/api/v1/console/rules/${target!.id}`, { method: "DELETE", headers }),
      post(owner, `/conversations/${conversation.id}/block`, { scope: "address", comment: "csrf" }, headers),
      post(owner, "/preview", { ip: "192.0.2.1", page: `${SITE}/` }, headers),
      owner.fetch("/api/v1/console/policy", {
        method: "PUT",
        json: { networks: { hosting: "hide", tor: "hide" } },
        headers: { ...headers, "if-match": "*" },
      }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403, 403]);
    const listed = (await rules(owner)).map((rule) => rule.rule);
    expect(listed).toContain(target!.rule);
    expect(listed.filter((rule) => rule.startsWith("192.0.2.21"))).toEqual([]);
  });
});

describe("a CSV import", () => {
  it("refuses more than 10,000 lines with a short answer, not one error per line", async () => {
    const csv = "kind,rule\n" + ",\n".repeat(30_000);
    const answer = await post(owner, "/rules", { csv });
    expect(answer.status).toBe(400);
    expect((await answer.text()).length).toBeLessThan(64 * 1024);
  });

  it("counts expired lines toward the 10,000, and stores nothing from a longer CSV", async () => {
    const csv = "kind,rule,comment,author,created,expires\n" + "as,AS64502,,,,2000-01-01T00:00:00Z\n".repeat(20_000);
    const answer = await post(owner, "/rules", { csv });
    expect(answer.status).toBe(400);
    expect((await answer.text()).length).toBeLessThan(64 * 1024);
  });

  it("does not echo a huge bad field back whole", async () => {
    const csv = `kind,rule\nas,${"A".repeat(200_000)}\n`;
    const answer = await post(owner, "/rules", { csv });
    expect(answer.status).toBe(400);
    expect((await answer.text()).length).toBeLessThan(8 * 1024);
  });

  it("takes exactly 10,000 rules", async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `address,10.9.${i >> 8}.${i & 255}`);
    const answer = await post(rival, "/rules", { csv: `kind,rule\n${lines.join("\n")}\n` });
    expect(answer.status).toBe(201);
    expect((await answer.json()).rules).toHaveLength(10_000);
  });

  test.each([
    ["an unterminated quote", 'kind,rule\nas,"AS64503\n'],
    ["a quote inside a field", 'kind,rule\nas,AS6"4503\n'],
    ["a line with a column too many", "kind,rule\nas,AS64503,extra\n"],
    ["a header alone", "kind,rule,comment,author,created,expires\n"],
    ["no header", "as,AS64503\n"],
    ["a kind it does not know", "kind,rule\ncountry,DE\n"],
    ["an address written as a network", "kind,rule\naddress,192.0.2.0/24\n"],
    ["a visitor id that is not one", "kind,rule\nvisitor,v_short\n"],
    ["a comment of 501 characters", `kind,rule,comment\nas,AS64503,${"x".repeat(501)}\n`],
  ])("refuses %s and stores nothing", async (_, csv) => {
    const answer = await post(owner, "/rules", { csv });
    expect(answer.status).toBe(400);
    expect((await rules(owner)).map((rule) => rule.rule)).not.toContain("AS64503");
  });

  // What co-workers read as a rule's comment: "spam" + U+202E reads backwards, a line break fakes a second line.
  test.each([
    ["a right-to-left override", "spam\u202Eniamod"],
    ["a zero-width space", "sp\u200Bam"],
    ["a line break", "spam\nAS64500 trusted"],
    ["a control character", "spam\u0007"],
  ])("refuses a comment with %s by every way in, and stores nothing", async (_, comment) => {
    const conversation = await chatRequest(h, { visitorIp: "192.0.2.240" });
    const answers = await Promise.all([
      post(owner, "/rules", { text: "192.0.2.241", comment }),
      post(owner, "/ip-rules", { text: "192.0.2.242", comment }),
      post(owner, "/rules", { csv: `kind,rule,comment\naddress,192.0.2.243,"${comment}"\n` }),
      post(owner, `/conversations/${conversation.id}/block`, { scope: "address", comment }),
    ]);
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
    for (const body of bodies) expect(body).toContain("one line of visible text");
    expect((await rules(owner, "?q=192.0.2.24")).map((rule) => rule.rule)).toEqual([]);
  });

  // Date.parse() guesses: "2030-12-31 junk" is 12 June 2030, "12345" the year 12345.
  test.each(["2030-12-31 junk", "12345", "tomorrow-ish 2031"])(
    "reads an expiry of %j as the API does (ISO 8601 only): refused",
    async (expires) => {
      const csv = `kind,rule,comment,author,created,expires\nas,AS64504,,,,${expires}\n`;
      const answer = await post(owner, "/rules", { csv });
      expect(answer.status).toBe(400);
      expect((await rules(owner)).map((rule) => rule.rule)).not.toContain("AS64504");
    },
  );

  // Each refused at its seventh field or 4,096th byte: csv-parse is not left to read it all first.
  test.each([
    [
      "six million commas on one line",
      () => `kind,rule\nas,AS64506\n${",".repeat(6_000_000)}\n`,
      /^Line 3: more than 6 columns/,
    ],
    [
      "a header of 3.9 million columns",
      () => `${"c,".repeat(3_900_000)}c\nas,AS64506\n`,
      /^Line 1: the header's column 1 \("c"\) is not one of kind, rule/,
    ],
    [
      "a field of 5 MB",
      () => `kind,rule,comment\nas,AS64506,"${"x".repeat(5_000_000)}"\n`,
      /^Line 2: longer than 4,096 bytes/,
    ],
  ])("refuses %s, naming the line, and stores nothing", async (_, csv, message) => {
    const answer = await post(owner, "/rules", { csv: csv() });
    expect(answer.status).toBe(400);
    const { error } = await answer.json();
    expect(error.code).toBe("invalid_lines");
    expect(error.message).toMatch(message);
    expect((await rules(owner)).map((rule) => rule.rule)).not.toContain("AS64506");
  });

  it("refuses an expiry or comment sent beside the CSV rather than ignoring it", async () => {
    const csv = "kind,rule\nas,AS64505\n";
    const until = new Date(Date.now() + 3600_000).toISOString();
    const withExpiry = await post(owner, "/rules", { csv, expiresAt: until });
    expect(withExpiry.status).toBe(400);
    const withComment = await post(owner, "/rules", { csv, comment: "lost" });
    expect(withComment.status).toBe(400);
    expect((await rules(owner)).map((rule) => rule.rule)).not.toContain("AS64505");
  });

  it("reads back a comment that starts with an apostrophe unchanged", async () => {
    const comment = "'=1+1 was typed as is";
    await post(owner, "/rules", { text: "192.0.2.220", comment });
    const csv = await (await owner.fetch("/api/v1/console/rules.csv")).text();
    const line = csv.split("\n").find((l) => l.startsWith("address,192.0.2.220,"));
    expect(line).toBeDefined();
    const restored = await post(rival, "/rules", { csv: `kind,rule,comment,author,created,expires\n${line}\n` });
    expect(restored.status).toBe(201);
    expect((await rules(rival)).find((rule) => rule.rule === "192.0.2.220")?.comment).toBe(comment);
  });
});

describe("a CSV's repeated lines, dates and columns", () => {
  const DAY = 86_400_000;
  let asn = 64_600;

  test.each([
    ["a one-day line, then a permanent one", [DAY, null], null],
    ["a permanent line, then a one-day one", [null, DAY], null],
    ["a one-day line, then a week-long one", [DAY, 7 * DAY], 7 * DAY],
    ["a week-long, a permanent and a one-day line", [7 * DAY, null, DAY], null],
    ["two one-day lines", [DAY, DAY], DAY],
  ])("keeps the longest-lived of %s, whatever their order", async (_, lives, kept) => {
    const rule = `AS${(asn += 1)}`;
    const from = Math.ceil(Date.now() / 1000) * 1000 + DAY;
    const until = (life: number | null) => (life === null ? "" : new Date(from + life).toISOString());
    const lines = (lives as (number | null)[]).map((life) => `as,${rule},,,,${until(life)}`);
    const answer = await post(owner, "/rules", {
      csv: `kind,rule,comment,author,created,expires\n${lines.join("\n")}\n`,
    });
    expect(answer.status).toBe(201);
    expect((await answer.json()).merged).toHaveLength(lines.length - 1);
    const stored = (await rules(owner, `?q=${rule}`)).filter((listed) => listed.rule === rule);
    expect(stored.map((listed) => listed.expiresAt)).toEqual([kept === null ? null : until(kept as number)]);
  });

  // One check for every way in (policy/schema.ts's expiryTimeSchema): Date.parse() reads 31 February as 3 March.
  test.each([
    "2027-02-31T00:00:00Z",
    "2027-02-29T12:00:00Z",
    "2027-04-31T00:00:00Z",
    "2027-13-01T00:00:00Z",
    "2027-12-31T24:00:00Z",
  ])("refuses an expiry of %s, which no calendar has, in a CSV (naming the line) as in a paste", async (expires) => {
    const csv = `kind,rule,comment,author,created,expires\nas,AS64520,,,,\nas,AS64521,,,,${expires}\n`;
    const imported = await post(owner, "/rules", { csv });
    expect(imported.status).toBe(400);
    expect((await imported.json()).error.message).toMatch(
      new RegExp(`^Line 3: expires "${expires}" is not a date and time that exists`),
    );
    const pasted = await post(owner, "/rules", { text: "192.0.2.240", comment: "", expiresAt: expires });
    expect(pasted.status).toBe(400);
    expect((await pasted.json()).error.fields.expiresAt).toContain("a day the calendar has");
    const listed = (await rules(owner)).map((rule) => rule.rule);
    expect(listed).not.toContain("AS64520");
    expect(listed).not.toContain("192.0.2.240");
  });

  test.each([
    ["a column it does not know", "kind,rule,colour", 'the header\'s column 3 ("colour") is not one of kind, rule'],
    ["a column twice", "kind,rule,comment,comment", 'the header\'s column 4 ("comment") repeats column 3'],
    ["a column in capitals", "kind,Rule", 'the header\'s column 2 ("Rule") is not one of'],
    ["a seventh column", "kind,rule,comment,author,created,expires,kind", "more than 6 columns"],
  ])("refuses a header with %s, naming line 1 and the column", async (_, header, named) => {
    const answer = await post(owner, "/rules", { csv: `${header}\nas,AS64530\n` });
    expect(answer.status).toBe(400);
    const { message } = (await answer.json()).error;
    expect(message).toMatch(/^Line 1: /);
    expect(message).toContain(named);
    expect((await rules(owner)).map((rule) => rule.rule)).not.toContain("AS64530");
  });

  it("names the line a bad record starts on, after a field written over two lines", async () => {
    // The author column is not read back (the one who restores a rule is its author), so any text goes there.
    const csv = 'kind,rule,author\nas,AS64531,"one\ntwo"\nas,AS64x,\n';
    const answer = await post(owner, "/rules", { csv });
    expect((await answer.json()).error.message).toMatch(/^Line 4: "AS64x" is not an AS number/);
  });
});

describe("a paste against the rules stored", () => {
  let wideId: string;
  beforeAll(async () => {
    wideId = (await (await post(owner, "/rules", { text: "10.77.0.0/16", comment: "wide" })).json()).rules[0].id;
  });

  // Up to 200 new rules are looked up one by one; more are checked against all rules compiled at once.
  test.each([
    ["a short one, looked up line by line", 3, "10.77.1"],
    ["a long one, checked against all rules at once", 250, "10.77.2"],
  ])(
    "merges %s into the stored network that covers it, pasted or imported, and stores nothing",
    async (_, count, prefix) => {
      const addresses = [...Array(count).keys()].map((i) => `${prefix}.${i}`);
      const pasted = await post(owner, "/rules", { text: addresses.join("\n"), comment: "" });
      expect(pasted.status).toBe(201);
      const { rules: stored, lines } = await pasted.json();
      expect(stored).toEqual([]);
      expect(new Set(lines.map((line: { status: string; into: string }) => `${line.status} ${line.into}`))).toEqual(
        new Set([`merged ${wideId}`]),
      );
      const csv = `kind,rule\n${addresses.map((address) => `address,${address}`).join("\n")}\n`;
      const imported = await (await post(owner, "/rules", { csv })).json();
      expect(imported.rules).toEqual([]);
      expect(imported.merged).toHaveLength(count);
    },
  );
});

describe("the export's download", () => {
  it("names the file after the account alone", async () => {
    const answer = await owner.fetch("/api/v1/console/rules.csv");
    expect(answer.headers.get("content-disposition")).toBe('attachment; filename="hatch-rules-acme.csv"');
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("expiry", () => {
  test.each([
    ["in the past", "2020-01-01T00:00:00Z"],
    ["on a day that does not exist", "2030-02-30T00:00:00Z"],
    ["a date without a time", "2030-01-01"],
    ["without an offset", "2030-01-01T00:00:00"],
    ["a word", "tomorrow"],
    ["a number", 4102444800000],
  ])("refuses an expiry %s, on a paste and on a block", async (_, expiresAt) => {
    const pasted = await post(owner, "/rules", { text: "192.0.2.230", comment: "", expiresAt });
    expect(pasted.status).toBe(400);
    const conversation = await chatRequest(h, { visitorIp: "192.0.2.231" });
    const blocked = await post(owner, `/conversations/${conversation.id}/block`, {
      scope: "address",
      comment: "",
      expiresAt,
    });
    expect(blocked.status).toBe(400);
    const listed = (await rules(owner)).map((rule) => rule.rule);
    expect(listed).not.toContain("192.0.2.230");
    expect(listed).not.toContain("192.0.2.231");
  });

  it("refuses a JSON number too large for a double (Infinity) as an expiry", async () => {
    const answer = await owner.fetch("/api/v1/console/rules", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"text":"192.0.2.232","comment":"","expiresAt":1e309}',
    });
    expect(answer.status).toBe(400);
  });

  it("keeps an expiry in the year 9999 as written, and hides until then", async () => {
    const answer = await post(owner, "/rules", { text: "192.0.2.233", comment: "", expiresAt: "9999-12-31T23:59:59Z" });
    expect(answer.status).toBe(201);
    expect((await rules(owner)).find((rule) => rule.rule === "192.0.2.233")?.expiresAt).toBe(
      "9999-12-31T23:59:59.000Z",
    );
    expect(JSON.parse((await verdict("192.0.2.233")).body).show).toBe(false);
  });
});

describe("the verdict's visitor id", () => {
  let banned: string;

  beforeAll(async () => {
    const visitor = await visitorSession(h, { forwardedFor: "192.0.2.240" });
    banned = ticketVisitor(visitor.ticket);
    const answer = await post(agent, `/conversations/${visitor.conversationId}/block`, {
      scope: "visitor",
      comment: "",
    });
    expect(answer.status).toBe(201);
  });

  it("hides a banned visitor on any address, and a banned visitor's old ticket is refused at once", async () => {
    expect(JSON.parse((await verdict("203.0.113.240", banned)).body).show).toBe(false);
    const visitor = await visitorSession(h, { forwardedFor: "192.0.2.241" });
    const id = ticketVisitor(visitor.ticket);
    await post(agent, `/conversations/${visitor.conversationId}/block`, { scope: "visitor", comment: "" });
    const message = await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
      method: "POST",
      json: { text: "still here?" },
    });
    expect(message.status).toBe(403);
    expect(JSON.parse((await verdict("203.0.113.241", id)).body).show).toBe(false);
  });

  test.each([
    ["empty", ""],
    ["too short", "v_abc"],
    ["a banned id with a NUL after it", () => `${banned}%00`],
    ["a banned id with a line break after it", () => `${banned}%0A`],
    ["a banned id with a space after it", () => `${banned}+`],
    ["broken percent-encoding", "%E0%A4%A"],
    ["a lone surrogate", "v_%ED%A0%80aaaaaaaaaaaaaaa"],
    ["JSON that would break the answer", encodeURIComponent('v_aaaaaaaaaaaaaaa","show":false,"x":"')],
    ["8 KB long", "v_" + "a".repeat(8_000)],
  ])("ignores a visitor id that is %s: shown, with a fresh id, never echoed", async (_, param) => {
    const value = typeof param === "function" ? param() : param;
    const answer = await verdict("203.0.113.250", value);
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { show: boolean; config: { visitor: string } };
    expect(body.show).toBe(true);
    expect(body.config.visitor).toMatch(VISITOR_ID);
    expect(body.config.visitor).not.toBe(banned);
    expect(answer.body.length).toBeLessThan(4096);
  });

  it("signs a ticket for a fresh id when the one sent is malformed, and stores the chat under it", async () => {
    const malformed = `${banned}x`;
    const answer = await fetch(
      `${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/`)}&visitor=${malformed}`,
      { headers: { origin: SITE, "x-forwarded-for": "203.0.113.251" } },
    );
    const { ticket } = (await answer.json()) as { ticket: string };
    const id = ticketVisitor(ticket);
    expect(id).toMatch(VISITOR_ID);
    expect(id).not.toBe(malformed);
    const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "POST",
      headers: { authorization: `Bearer ${ticket}`, origin: SITE, "x-forwarded-for": "203.0.113.251" },
    });
    expect(started.status).toBe(201);
    const { conversations } = await (await agent.fetch("/api/v1/console/conversations?status=pending")).json();
    const ids = conversations.map((c: { visitorId: string }) => c.visitorId);
    expect(ids).toContain(id);
    expect(ids).not.toContain(malformed);
  });
});

describe("listing and paging", () => {
  test.each([
    "/audit?before=-1",
    "/audit?before=1e309",
    "/audit?before=NaN",
    "/audit?before=9999999999999999",
    "/audit?before=",
    "/audit?before=0x10",
    "/audit?limit=0",
    "/audit?limit=101",
    "/audit?limit=1.5",
    "/audit?limit=-1",
    "/audit?page=2",
    `/rules?q=${"a".repeat(201)}`,
    "/rules?kind=as&extra=1",
    "/rules?status=all",
    "/rules?author=owner",
    "/rules?after=garbage",
    "/rules?after=1.rule_x%27%20or%201=1",
    "/rules?after=99999999999999999.rule_x",
    "/rules?limit=0",
    "/rules?limit=1001",
    "/rules?limit=1.5",
    "/rules.csv?status=all",
  ])("refuses %s with a 400", async (path) => {
    const answer = await owner.fetch(`/api/v1/console${path}`);
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.code).toBe("invalid");
  });

  it("searches for text, not patterns", async () => {
    expect(await rules(owner, `?q=${encodeURIComponent(".*")}`)).toEqual([]);
    expect(await rules(owner, `?q=${encodeURIComponent("%")}`)).toEqual([]);
  });
});

describe("the Tor list", () => {
  it("reads the exits around binary junk and a 2 MB line, and hides them once switched on", async () => {
    const { tor } = await (await owner.fetch("/api/v1/console/networks")).json();
    expect(tor.addresses).toBe(2);
    await editPolicy(owner, (doc) => {
      doc.networks = { hosting: "off", tor: "hide" };
    });
    try {
      for (const exit of TOR_EXITS) expect(JSON.parse((await verdict(exit)).body).show).toBe(false);
      expect(JSON.parse((await verdict("198.51.100.203")).body).show).toBe(true);
    } finally {
      await editPolicy(owner, (doc) => {
        doc.networks = { hosting: "off", tor: "off" };
      });
    }
  });
});

// PostgreSQL refuses NUL in text: the request must be refused or stored, never a 500.
describe("NUL bytes", () => {
  it("in a rule's comment, by paste, CSV or block, are refused or stored, never a server error", async () => {
    const conversation = await chatRequest(h, { visitorIp: "192.0.2.250" });
    const answers = await Promise.all([
      post(owner, "/rules", { text: "192.0.2.251", comment: "a\u0000b" }),
      post(owner, "/rules", { csv: 'kind,rule,comment\naddress,192.0.2.252,"a\u0000b"\n' }),
      post(agent, `/conversations/${conversation.id}/block`, { scope: "address", comment: "a\u0000b" }),
    ]);
    for (const answer of answers) expect([200, 201, 400]).toContain(answer.status);
  });

  it("in a visitor's message are refused or stored, never a server error", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "192.0.2.253" });
    const answer = await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
      method: "POST",
      json: { text: "hi\u0000there" },
    });
    expect([201, 400]).toContain(answer.status);
  });
});

describe("an account's rules", () => {
  it("are capped: a change past the cap is refused whole, saying how many there are", async () => {
    const { db, now } = h.server.deps;
    const { RuleStore } = await import("../../../server/store/rules");
    const user = (await h.server.deps.accounts.listUsers("rival"))[0]!;
    const origin = {
      comment: "",
      author: { kind: "console" as const, userId: user.id, email: user.email },
      expiresAt: null,
    };
    const held = (await h.server.deps.rules.entries("rival", now())).length;
    const capped = new RuleStore(db, held + 1);
    const one = { target: { kind: "as" as const, asn: 64_990 }, text: "AS64990" };
    const two = { target: { kind: "as" as const, asn: 64_991 }, text: "AS64991" };
    await expect(capped.add("rival", () => ({ add: [one, two], result: null }), origin, now())).rejects.toMatchObject({
      status: 409,
      code: "too_many_rules",
    });
    expect((await h.server.deps.rules.entries("rival", now())).length).toBe(held);
    // An expired rule does not count: a long attack's automatic bans cannot fill the cap with dead rules.
    const expired = { target: { kind: "as" as const, asn: 64_992 }, text: "AS64992", expiresAt: now() - 1 };
    await new RuleStore(db).add("rival", () => ({ add: [expired], result: null }), origin, now());
    await capped.add("rival", () => ({ add: [one], result: null }), origin, now());
    expect((await h.server.deps.rules.entries("rival", now())).length).toBe(held + 1);
  });

  it("are listed newest first, at most 1,000 of them, with the total", async () => {
    const lines = Array.from({ length: 1_200 }, (_, i) => `10.8.${i >> 8}.${i & 255}`).join("\n");
    expect((await post(rival, "/rules", { text: lines, comment: "many" })).status).toBe(201);
    const listed = await (await rival.fetch("/api/v1/console/rules?q=many")).json();
    expect(listed.rules).toHaveLength(1_000);
    expect(listed.total).toBe(1_200);
  });

  it("are paged newest first with `next`, each rule once, the total on every page", async () => {
    const pages: { rules: { id: string; createdAt: string }[]; total: number; next: string | null }[] = [];
    let next: string | null = "";
    while (next !== null) {
      const after: string = next === "" ? "" : `&after=${encodeURIComponent(next)}`;
      pages.push(await (await rival.fetch(`/api/v1/console/rules?q=many&limit=500${after}`)).json());
      next = pages.at(-1)!.next;
    }
    expect(pages.map((page) => [page.rules.length, page.total])).toEqual([
      [500, 1_200],
      [500, 1_200],
      [200, 1_200],
    ]);
    const listed = pages.flatMap((page) => page.rules);
    expect(new Set(listed.map((rule) => rule.id)).size).toBe(1_200);
    const times = listed.map((rule) => Date.parse(rule.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("are exported whole, a batch at a time, each rule once", async () => {
    const { total } = await (await rival.fetch("/api/v1/console/rules")).json();
    const csv = await (await rival.fetch("/api/v1/console/rules.csv")).text();
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("kind,rule,comment,author,created,expires");
    expect(lines).toHaveLength(total + 1);
    expect(new Set(lines).size).toBe(total + 1);
    expect(total).toBeGreaterThan(1_200);
  });
});
