// The policy document (ETag/If-Match), IP rules and the visitor preview, over HTTP with real SQLite.
import { REASON_CHECKS } from "../../../policy/verdict";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../policy/schema";
import { editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

async function load(client: ConsoleClient) {
  const response = await client.fetch("/api/v1/console/policy");
  return { etag: response.headers.get("etag")!, doc: await response.json() };
}

describe("the policy document", () => {
  it("starts a new account on the design's defaults, with an ETag", async () => {
    const { etag, doc } = await load(owner);
    expect(doc).toEqual(DEFAULT_POLICY);
    expect(etag).toMatch(/^"\d+"$/);
  });

  it("saves with If-Match and returns the next ETag", async () => {
    const { etag, doc } = await load(owner);
    doc.countries = { mode: "allow", list: ["DE", "AT"], unknown: "hide" };
    const saved = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": etag },
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get("etag")).not.toBe(etag);
    expect((await load(owner)).doc.countries).toEqual({ mode: "allow", list: ["DE", "AT"], unknown: "hide" });
  });

  it("lets one of two concurrent edits win and tells the other with 412", async () => {
    const a = await load(owner);
    const b = await load(owner);
    a.doc.websites = { allowed: ["a.example"], blocked: [] };
    b.doc.websites = { allowed: ["b.example"], blocked: [] };
    const [first, second] = await Promise.all([
      owner.fetch("/api/v1/console/policy", { method: "PUT", json: a.doc, headers: { "if-match": a.etag } }),
      owner.fetch("/api/v1/console/policy", { method: "PUT", json: b.doc, headers: { "if-match": b.etag } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 412]);
    const loser = first.status === 412 ? first : second;
    expect((await loser.json()).error.message).toContain("Someone else saved");
  });

  it("takes If-Match: * as the caller's choice to overwrite whatever is current", async () => {
    const { doc } = await load(owner);
    const response = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": "*" },
    });
    expect(response.status).toBe(200);
  });

  it("needs If-Match (428)", async () => {
    const { doc } = await load(owner);
    const response = await owner.fetch("/api/v1/console/policy", { method: "PUT", json: doc });
    expect(response.status).toBe(428);
  });

  it("rejects a bad document with each bad field and changes nothing", async () => {
    const before = await load(owner);
    const bad = {
      ...before.doc,
      countries: { mode: "block", list: ["XX"] },
      websites: { allowed: ["ex*ample.com"], blocked: [] },
      extra: true,
    };
    const response = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: bad,
      headers: { "if-match": before.etag },
    });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(Object.keys(error.fields).sort()).toEqual(["countries.list.0", "extra", "websites.allowed.0"]);
    expect(error.fields["countries.list.0"]).toContain("is not an ISO 3166-1 alpha-2 country code");
    expect(await load(owner)).toEqual(before);
  });

  it("lets agents read but not change it", async () => {
    const { etag, doc } = await load(agent);
    expect(doc.files).toBeDefined();
    const response = await agent.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": etag },
    });
    expect(response.status).toBe(403);
  });

  it("never shows or changes another account's policy", async () => {
    const acme = await load(owner);
    const theirs = await load(rival);
    expect(theirs.doc).toEqual(DEFAULT_POLICY);
    const attempt = await rival.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: { ...theirs.doc, files: { categories: ["image"], maxBytes: 5 } },
      headers: { "if-match": theirs.etag },
    });
    expect(attempt.status).toBe(200);
    expect(await load(owner)).toEqual(acme);
  });

  it("refuses a cross-origin change (CSRF)", async () => {
    const { etag, doc } = await load(owner);
    const response = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: doc,
      headers: { "if-match": etag, origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
  });
});

describe("IP rules", () => {
  it("adds many lines at once, showing the stored network and merged duplicates", async () => {
    const response = await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "203.0.113.7/24\n198.51.100.1\n198.51.100.1\n2001:db8::1/64", comment: "spam wave" },
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.rules.map((r: { network: string }) => r.network).sort()).toEqual([
      "198.51.100.1",
      "2001:db8::/64",
      "203.0.113.0/24",
    ]);
    expect(body.lines[0]).toMatchObject({ status: "added", network: "203.0.113.0/24", hostBitsCleared: true });
    expect(body.lines[2]).toMatchObject({ status: "merged", into: "line 2" });
    expect(body.rules[0].createdBy).toMatchObject({ kind: "console", email: "owner@acme.test" });
  });

  it("stores nothing when a line is bad, naming each bad line", async () => {
    const before = (await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules.length;
    const response = await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "10.0.0.1\n01.2.3.4\n1.2.3.4/33", comment: "" },
    });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.message).toMatch(/^Line 2: "01" has a leading zero/);
    expect(error.fields.text).toContain("line 3: /33 is too long");
    expect((await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules).toHaveLength(before);
  });

  it("merges a line an existing wider rule covers instead of storing it", async () => {
    const response = await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "203.0.113.99", comment: "" },
    });
    const body = await response.json();
    expect(body.rules).toEqual([]);
    expect(body.lines[0]).toMatchObject({
      status: "merged",
      message: "203.0.113.99 is already covered by 203.0.113.0/24; merged into it.",
    });
  });

  it("refuses an expiry in the past", async () => {
    const response = await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "192.0.2.1", comment: "", expiresAt: "2001-01-01T00:00:00Z" },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.expiresAt).toContain("in the past");
  });

  it("removes a rule, and the verdict preview follows", async () => {
    const preview = () =>
      owner
        .fetch("/api/v1/console/preview", {
          method: "POST",
          json: { ip: "203.0.113.50", country: "DE", page: "https://a.example/" },
        })
        .then((r) => r.json());
    const hidden = await preview();
    expect(hidden.reasons.find((r: { check: string }) => r.check === "ip")).toMatchObject({
      hides: true,
      message: "203.0.113.50 is blocked by the rule 203.0.113.0/24.",
    });
    const rules = (await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules as {
      id: string;
      network: string;
    }[];
    const id = rules.find((r) => r.network === "203.0.113.0/24")!.id;
    expect((await owner.fetch(`/api/v1/console/ip-rules/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await preview()).reasons.find((r: { check: string }) => r.check === "ip").hides).toBe(false);
  });

  it("lets agents read rules but not add or remove them", async () => {
    expect((await agent.fetch("/api/v1/console/ip-rules")).status).toBe(200);
    expect(
      (await agent.fetch("/api/v1/console/ip-rules", { method: "POST", json: { text: "192.0.2.9", comment: "" } }))
        .status,
    ).toBe(403);
    const [rule] = (await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules;
    expect((await agent.fetch(`/api/v1/console/ip-rules/${rule.id}`, { method: "DELETE" })).status).toBe(403);
  });

  it("keeps accounts apart: a rival sees none of acme's rules and cannot delete them", async () => {
    expect((await (await rival.fetch("/api/v1/console/ip-rules")).json()).rules).toEqual([]);
    const [rule] = (await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules;
    expect((await rival.fetch(`/api/v1/console/ip-rules/${rule.id}`, { method: "DELETE" })).status).toBe(404);
    expect(
      (await (await owner.fetch("/api/v1/console/ip-rules")).json()).rules.map((r: { id: string }) => r.id),
    ).toContain(rule.id);
  });

  it("records every rule change in the audit log", async () => {
    const { entries } = await (await owner.fetch("/api/v1/console/audit?limit=100")).json();
    const actions = entries.map((entry: { action: string }) => entry.action);
    expect(actions).toContain("rule.add");
    expect(actions).toContain("rule.remove");
    expect(actions).toContain("policy.update");
  });

  it("says in the audit which fields a save changed, before and after", async () => {
    await editPolicy(owner, (doc) => {
      doc.countries = { mode: "block", list: ["KP", "IR", "SY"] };
      doc.protection = { chatsPerHour: 977 };
    });
    const { entries } = await (await owner.fetch("/api/v1/console/audit?limit=1")).json();
    expect(entries[0]).toMatchObject({ action: "policy.update", email: "owner@acme.test" });
    expect(entries[0].detail.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "countries.list", after: ["KP", "IR", "SY"] }),
        expect.objectContaining({ field: "protection.chatsPerHour", after: 977 }),
      ]),
    );
    expect(JSON.stringify(entries[0].detail)).not.toContain('"websites"');
  });
});

describe("the visitor preview", () => {
  it("gives every reason, and rejects a malformed address", async () => {
    const body = await (
      await owner.fetch("/api/v1/console/preview", {
        method: "POST",
        json: { ip: "192.0.2.1", country: "US", page: "https://a.example/" },
      })
    ).json();
    expect(body.reasons.map((r: { check: string }) => r.check)).toEqual([...REASON_CHECKS]);
    const badCountry = await owner.fetch("/api/v1/console/preview", {
      method: "POST",
      json: { ip: "192.0.2.1", country: "zz", page: "https://a.example/" },
    });
    expect(badCountry.status).toBe(400);
    expect((await badCountry.json()).error.fields.country).toContain("is not an ISO 3166-1 alpha-2 country code");
    const bad = await owner.fetch("/api/v1/console/preview", {
      method: "POST",
      json: { ip: "0x7f.0.0.1", page: "https://a.example/" },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.ip).toContain("is not a decimal number");
  });

  it("is for owners only", async () => {
    expect(
      (
        await agent.fetch("/api/v1/console/preview", {
          method: "POST",
          json: { ip: "192.0.2.1", page: "https://a.example/" },
        })
      ).status,
    ).toBe(403);
  });
});

// Last: the server stops reading an oversized body and closes that connection.
describe("input limits", () => {
  it("refuses an oversized paste with 413", async () => {
    const response = await owner.fetch("/api/v1/console/ip-rules", {
      method: "POST",
      json: { text: "1".repeat(1_200_000), comment: "" },
    });
    expect(response.status).toBe(413);
  });
});
