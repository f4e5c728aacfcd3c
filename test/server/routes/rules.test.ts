// Rules of every kind on a real server: pasted addresses, networks and AS numbers; visitors banned
// from a chat whatever address they come from next; hosting networks and Tor exits by switch; CSV
// out and back in; expiry; the audit log; and another account's rules out of reach.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REASON_CHECKS } from "../../../policy/verdict";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
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
/** Addresses the bundled ASN data places: Cloudflare (AS13335), Amazon (AS16509), Deutsche Telekom (AS3320). */
const CLOUDFLARE_IP = "1.0.0.1";
const AMAZON_IP = "1.44.96.7";
const TELEKOM_IP = "2.58.100.9";
const TOR_EXIT = "198.51.100.200";

const torDir = mkdtempSync(join(tmpdir(), "hatch-tor-"));
const torList = join(torDir, "exits.txt");
writeFileSync(torList, `# a bulk exit list\n${TOR_EXIT}\n2001:db8::dead\n`);

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

/** Whether the chat shows to a visitor from `ip` (and with `visitor`'s id, when given). */
async function shows(ip: string, visitor?: string): Promise<boolean> {
  const response = await askVerdict(h, { ip, visitor: visitor || undefined, route: "ticket" });
  return ((await response.json()) as { show: boolean }).show;
}

async function rules(client: ConsoleClient, query = "") {
  return (await (await client.fetch(`/api/v1/console/rules${query}`)).json()).rules as {
    id: string;
    kind: string;
    rule: string;
    label: string | null;
    comment: string;
    expiresAt: string | null;
  }[];
}

describe("rules of every kind", () => {
  it("takes a paste of addresses, networks and AS numbers, and names each AS", async () => {
    const response = await owner.fetch("/api/v1/console/rules", {
      method: "POST",
      json: { text: "203.0.113.7\n203.0.113.7/24\nas13335", comment: "abuse report" },
    });
    expect(response.status).toBe(201);
    const { rules: added, lines } = await response.json();
    expect(lines.map((line: { status: string; rule: string }) => [line.status, line.rule])).toEqual([
      ["merged", "203.0.113.7"],
      ["added", "203.0.113.0/24"],
      ["added", "AS13335"],
    ]);
    expect(
      added.map((rule: { kind: string; rule: string; label: string | null }) => [rule.kind, rule.rule, rule.label]),
    ).toEqual([
      ["network", "203.0.113.0/24", null],
      ["as", "AS13335", "Cloudflare, Inc."],
    ]);
  });

  it("hides every address an AS rule's network announces, and no other", async () => {
    expect(await shows(CLOUDFLARE_IP)).toBe(false);
    expect(await shows(TELEKOM_IP)).toBe(true);
  });

  it("refuses a paste with a bad line, saying which and why, and stores nothing", async () => {
    const before = (await rules(owner)).length;
    const response = await owner.fetch("/api/v1/console/rules", {
      method: "POST",
      json: { text: "AS3320\nAS12x\n10.0.0.1", comment: "" },
    });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.message).toMatch(/^Line 2: AS12x is not an AS number/);
    expect((await rules(owner)).length).toBe(before);
  });

  it("keeps /ip-rules to addresses and networks", async () => {
    const listed = (await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules;
    expect(listed.map((rule: { network: string }) => rule.network)).toEqual(["203.0.113.0/24"]);
    const refused = await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "AS3320", comment: "" },
    });
    expect((await refused.json()).error.message).toContain("add it under Rules");
  });

  test.each([
    ["?kind=as", ["AS13335"]],
    ["?kind=network", ["203.0.113.0/24"]],
    ["?q=cloudflare", ["AS13335"]],
    ["?q=ABUSE", ["203.0.113.0/24", "AS13335"]],
  ])("lists only what %s asks for", async (query, expected) => {
    expect((await rules(agent, query)).map((rule) => rule.rule).sort()).toEqual([...expected].sort());
  });

  it("refuses a filter it does not know, saying what it takes", async () => {
    const response = await owner.fetch("/api/v1/console/rules?kind=country");
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.kind).toContain("address, network, as, visitor");
  });

  it("keeps another account's rules out of reach", async () => {
    expect(await rules(rival)).toEqual([]);
    const theirs = (await rules(owner))[0]!;
    expect((await rival.fetch(`/api/v1/console/rules/${theirs.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await agent.fetch(`/api/v1/console/rules/${theirs.id}`, { method: "DELETE" })).status).toBe(403);
  });
});

describe("blocking from a chat", () => {
  it("bans the visitor, who stays hidden from a new address, and blocks the address in use now, for a while", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "192.0.2.30" });
    const visitorId = Buffer.from(visitor.ticket.split(".")[0]!, "base64url").toString().split("\n")[1]!;
    const until = new Date(Date.now() + 3600_000).toISOString();
    const response = await agent.fetch(`/api/v1/console/conversations/${visitor.conversationId}/block`, {
      method: "POST",
      json: { scope: ["visitor", "address"], comment: "threats", expiresAt: until },
    });
    expect(response.status).toBe(201);
    const { rules: made, conversation } = await response.json();
    expect(
      made.map((rule: { kind: string; rule: string; created: boolean; expiresAt: string }) => [
        rule.kind,
        rule.rule,
        rule.created,
        rule.expiresAt,
      ]),
    ).toEqual([
      ["visitor", visitorId, true, until],
      ["address", "192.0.2.30", true, until],
    ]);
    expect(conversation.closedReason).toBe("blocked");
    // The same browser on another network: still hidden. Another browser there: shown.
    expect(await shows("198.51.100.77", visitorId)).toBe(false);
    expect(await shows("198.51.100.77")).toBe(true);
  });

  it("blocks the visitor's network operator, and finds what is already blocked instead of storing it twice", async () => {
    const conversation = await chatRequest(h, { visitorIp: TELEKOM_IP });
    const first = await (
      await agent.fetch(`/api/v1/console/conversations/${conversation.id}/block`, {
        method: "POST",
        json: { scope: "as", comment: "" },
      })
    ).json();
    expect(
      first.rules.map((rule: { rule: string; label: string; created: boolean }) => [rule.rule, rule.created]),
    ).toEqual([["AS3320", true]]);
    expect(await shows("2.58.102.1")).toBe(false);
    const again = await chatRequest(h, { visitorIp: "2.58.102.5" });
    const second = await agent.fetch(`/api/v1/console/conversations/${again.id}/block`, {
      method: "POST",
      json: { scope: ["as"], comment: "" },
    });
    expect(second.status).toBe(200);
    expect((await second.json()).rules.map((rule: { created: boolean }) => rule.created)).toEqual([false]);
  });

  it("shows the chat's network operator to the agent", async () => {
    const conversation = await chatRequest(h, { visitorIp: AMAZON_IP });
    const detail = await (await agent.fetch(`/api/v1/console/conversations/${conversation.id}`)).json();
    expect(detail.visitorAs).toEqual({ asn: 16509, name: "Amazon.com, Inc." });
  });

  it("lists each rule with the chat it came from, named by the visitor's address and start, or null once gone", async () => {
    const conversation = await chatRequest(h, { visitorIp: "198.51.100.61" });
    await agent.fetch(`/api/v1/console/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: "named chat" },
    });
    // An automatic ban from a chat that is no longer stored (erased with its visitor's data).
    const { rules: store, now } = h.server.deps;
    const author = { kind: "automatic", conversationId: "conv_gone" } as const;
    const target = { kind: "visitor", visitorId: "v_GoneGoneGoneGone" } as const;
    await store.addUncovered(
      "acme",
      [{ target, text: target.visitorId }],
      { comment: "named chat", author, expiresAt: null },
      now(),
    );
    const listed = (await (await agent.fetch("/api/v1/console/rules?q=named%20chat")).json()).rules;
    expect(
      listed
        .map((rule: { rule: string; conversationId: string; chat: unknown }) => [
          rule.rule,
          rule.conversationId,
          rule.chat,
        ])
        .sort(),
    ).toEqual([
      [
        "198.51.100.61",
        conversation.id,
        { id: conversation.id, visitorIp: "198.51.100.61", startedAt: conversation.createdAt },
      ],
      ["v_GoneGoneGoneGone", "conv_gone", null],
    ]);
    const byOwner = (await (await owner.fetch("/api/v1/console/rules?author=console")).json()).rules;
    expect(byOwner.length).toBeGreaterThan(0);
    expect(byOwner.every((rule: { chat: unknown }) => rule.chat === null)).toBe(true);
  });

  it("refuses a scope it does not know, and an expiry in the past", async () => {
    const conversation = await chatRequest(h, { visitorIp: "192.0.2.40" });
    const block = (json: unknown) =>
      agent.fetch(`/api/v1/console/conversations/${conversation.id}/block`, { method: "POST", json });
    expect((await block({ scope: "country", comment: "" })).status).toBe(400);
    expect((await block({ scope: "visitor", comment: "", expiresAt: "2020-01-01T00:00:00Z" })).status).toBe(400);
    expect(await shows("192.0.2.40")).toBe(true);
  });
});

describe("hosting networks and Tor exits", () => {
  it("hide an Amazon address and a listed Tor exit once their switches say so, and no one else", async () => {
    expect(await shows(AMAZON_IP)).toBe(true);
    expect(await shows(TOR_EXIT)).toBe(true);
    await editPolicy(owner, (doc) => {
      doc.networks = { hosting: "hide", tor: "hide" };
    });
    expect(await shows(AMAZON_IP)).toBe(false);
    expect(await shows(TOR_EXIT)).toBe(false);
    expect(await shows("192.0.2.99")).toBe(true);
    await editPolicy(owner, (doc) => {
      doc.networks = { hosting: "off", tor: "off" };
    });
  });

  it("says whether there is a Tor list and how many exits it holds", async () => {
    const { tor } = await (await agent.fetch("/api/v1/console/networks")).json();
    expect(tor).toMatchObject({ addresses: 2, error: null });
  });

  it("names the AS, the switches and the visitor rules in the preview", async () => {
    const preview = await owner.fetch("/api/v1/console/preview", {
      method: "POST",
      json: { ip: CLOUDFLARE_IP, page: `${SITE}/`, visitor: "v_nobodynobodynobo" },
    });
    const { show, reasons } = await preview.json();
    expect(show).toBe(false);
    expect(reasons.find((r: { check: string }) => r.check === "as")).toMatchObject({
      hides: true,
      message: "1.0.0.1 is in AS13335 Cloudflare, Inc., blocked by the rule AS13335.",
    });
    expect(reasons.map((r: { check: string }) => r.check)).toEqual([...REASON_CHECKS]);
  });
});

describe("rules as CSV", () => {
  it("exports every rule, and the export read into another account restores them with their comments and expiry", async () => {
    const exported = await owner.fetch("/api/v1/console/rules.csv");
    expect(exported.headers.get("content-type")).toContain("text/csv");
    const csv = await exported.text();
    expect(csv.split("\n")[0]).toBe("kind,rule,comment,author,created,expires");
    const restored = await rival.fetch("/api/v1/console/rules", { method: "POST", json: { csv } });
    expect(restored.status).toBe(201);
    const summary = (list: { kind: string; rule: string; comment: string; expiresAt: string | null }[]) =>
      list.map((rule) => [rule.kind, rule.rule, rule.comment, rule.expiresAt]).sort();
    expect(summary(await rules(rival))).toEqual(summary(await rules(owner)));
    // Read again, it adds nothing: each rule is there already.
    const twice = await (await rival.fetch("/api/v1/console/rules", { method: "POST", json: { csv } })).json();
    expect(twice.rules).toEqual([]);
  });

  it("exports a comment a spreadsheet would run as a formula as text, and reads it back unchanged", async () => {
    const comment = '=HYPERLINK("https://evil.example","click")';
    await owner.fetch("/api/v1/console/rules", { method: "POST", json: { text: "192.0.2.77", comment } });
    const csv = await (await owner.fetch("/api/v1/console/rules.csv")).text();
    const line = csv.split("\n").find((l) => l.startsWith("address,192.0.2.77,"));
    expect(line).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    await rival.fetch("/api/v1/console/rules", { method: "POST", json: { csv } });
    expect((await rules(rival)).find((rule) => rule.rule === "192.0.2.77")?.comment).toBe(comment);
  });

  it("restores nothing from a CSV with a bad line, and names each bad line", async () => {
    const before = (await rules(rival)).length;
    const csv =
      "kind,rule,comment,author,created,expires\nnetwork,10.1.0.0/16,ok,,,\nas,ASX,bad,,,\nvisitor,nobody,bad,,,\n";
    const response = await rival.fetch("/api/v1/console/rules", { method: "POST", json: { csv } });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.fields.csv.split("\n").map((line: string) => line.split(":")[0])).toEqual(["line 3", "line 4"]);
    expect((await rules(rival)).length).toBe(before);
  });
});

describe("expiry", () => {
  it("stops hiding at the expiry, lists the rule as expired, and removes it 30 days later", async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    await owner.fetch("/api/v1/console/rules", {
      method: "POST",
      json: { text: "192.0.2.250", comment: "a minute", expiresAt: soon },
    });
    expect(await shows("192.0.2.250")).toBe(false);
    h.clock.skip(120_000);
    try {
      expect(await shows("192.0.2.250")).toBe(true);
      expect((await rules(owner, "?status=expired")).map((rule) => rule.rule)).toContain("192.0.2.250");
      expect((await rules(owner, "?status=active")).map((rule) => rule.rule)).not.toContain("192.0.2.250");
    } finally {
      h.clock.reset();
    }
    expect(await h.server.deps.rules.removeExpired(Date.now() + 121_000)).toBeGreaterThan(0);
    expect((await rules(owner)).map((rule) => rule.rule)).not.toContain("192.0.2.250");
  });
});

describe("the audit log", () => {
  it("lists every change to rules and the policy, newest first, a page at a time, to owners only", async () => {
    const first = await (await owner.fetch("/api/v1/console/audit?limit=3")).json();
    expect(first.entries).toHaveLength(3);
    const ids = first.entries.map((entry: { id: number }) => entry.id);
    expect([...ids].sort((a: number, b: number) => b - a)).toEqual(ids);
    expect(first.entries[0]).toMatchObject({
      action: expect.stringMatching(/^(rule|policy)\./),
      email: expect.any(String),
    });
    const second = await (await owner.fetch(`/api/v1/console/audit?limit=3&before=${first.next}`)).json();
    expect(Math.max(...second.entries.map((entry: { id: number }) => entry.id))).toBeLessThan(Math.min(...ids));
    expect((await agent.fetch("/api/v1/console/audit")).status).toBe(403);
    expect(
      (await (await rival.fetch("/api/v1/console/audit")).json()).entries.every(
        (entry: { email: string | null }) => entry.email !== "owner@acme.test",
      ),
    ).toBe(true);
  });
});
