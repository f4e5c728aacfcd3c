// Owners add agents and owners; agents and other accounts cannot; each change to the team is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../policy/wire";
import { auditTeamChange, type User } from "../../../server/store/accounts";
import { PASSWORD, signIn, signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;
beforeAll(async () => {
  h = await startHarness();
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

const emails = async (client: ConsoleClient) =>
  ((await (await client.fetch("/api/v1/console/users")).json()).users as { email: string }[]).map((u) => u.email);

/** The account's audit entries about its team, newest first. */
async function teamAudit(client: ConsoleClient): Promise<AuditEntry[]> {
  const { entries } = (await (await client.fetch("/api/v1/console/audit?limit=100")).json()) as {
    entries: AuditEntry[];
  };
  return entries.filter((entry) => entry.action.startsWith("user."));
}

describe("console users", () => {
  it("lets an owner list the account's users with their roles", async () => {
    const response = await owner.fetch("/api/v1/console/users");
    expect(response.status).toBe(200);
    const body = await response.json();
    // Both were added in the same millisecond: their order is not part of the contract.
    expect(body.users).toHaveLength(2);
    expect(body.users).toEqual(
      expect.arrayContaining([
        { id: expect.any(String), email: "owner@acme.test", role: "owner" },
        { id: expect.any(String), email: "agent@acme.test", role: "agent" },
      ]),
    );
  });

  it("adds an agent who can then sign in", async () => {
    const response = await owner.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: " New@Acme.test", password: PASSWORD, role: "agent" },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: expect.any(String), email: "new@acme.test", role: "agent" });
    const client = await signIn(h.url, "acme", "new@acme.test");
    expect((await (await client.fetch("/api/v1/console/me")).json()).user.role).toBe("agent");
  });

  it("answers 409 for an email the account already has", async () => {
    const response = await owner.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "agent@acme.test", password: PASSWORD, role: "owner" },
    });
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.code).toBe("email_taken");
    expect(body.error.fields.email).toMatch(/already/);
  });

  it.each([
    [{ email: "nope", password: PASSWORD, role: "agent" }, "email"],
    [{ email: "a@acme.test", password: "short", role: "agent" }, "password"],
    [{ email: "a@acme.test", password: PASSWORD, role: "admin" }, "role"],
    [{ email: "a@acme.test", password: PASSWORD, role: "agent", admin: true }, "admin"],
    [{ email: "a\u202E@acme.test", password: PASSWORD, role: "agent" }, "email"],
    [{ email: "a\u200B@acme.test", password: PASSWORD, role: "agent" }, "email"],
    [{ email: "a\u2028b@acme.test", password: PASSWORD, role: "agent" }, "email"],
  ])("refuses bad input %j and names the field", async (json, field) => {
    const response = await owner.fetch("/api/v1/console/users", { method: "POST", json });
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fields)).toContain(field);
    expect((await emails(owner)).filter((email) => email.startsWith("a"))).toEqual(["agent@acme.test"]);
  });

  it("forbids agents to list or add users", async () => {
    expect((await agent.fetch("/api/v1/console/users")).status).toBe(403);
    const response = await agent.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "sneak@acme.test", password: PASSWORD, role: "owner" },
    });
    expect(response.status).toBe(403);
    expect(await emails(owner)).not.toContain("sneak@acme.test");
  });

  it("keeps each account's users to itself", async () => {
    expect(await emails(rival)).toEqual(["owner@rival.test"]);
    const response = await rival.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "agent@acme.test", password: PASSWORD, role: "agent" },
    });
    expect(response.status).toBe(201);
    expect(await emails(owner)).not.toContain("rival");
    expect((await emails(owner)).filter((e) => e === "agent@acme.test")).toHaveLength(1);
  });

  it("refuses an add from another origin", async () => {
    const response = await owner.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "x@acme.test", password: PASSWORD, role: "agent" },
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("cross_origin");
  });

  it("is 401 when signed out", async () => {
    expect((await fetch(`${h.url}/api/v1/console/users`)).status).toBe(401);
  });
});

describe("the team's audit", () => {
  it("records who added which user with which role, and when", async () => {
    const before = Date.now();
    const added = await owner.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "audited@acme.test", password: PASSWORD, role: "owner" },
    });
    const { id } = await added.json();
    const [entry] = await teamAudit(owner);
    expect(entry).toMatchObject({
      action: "user.add",
      email: "owner@acme.test",
      detail: { userId: id, email: "audited@acme.test", role: "owner" },
    });
    expect(Date.parse(entry!.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    // A refused add writes nothing.
    await owner.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "audited@acme.test", password: PASSWORD, role: "agent" },
    });
    expect((await teamAudit(owner))[0]?.id).toBe(entry?.id);
  });

  it("says a user added outside the console came from the hatch command, and shows no other account", async () => {
    const entries = await teamAudit(owner);
    expect(entries.find((entry) => (entry.detail as { email: string }).email === "agent@acme.test")).toMatchObject({
      action: "user.add",
      userId: null,
      email: null,
      detail: { email: "agent@acme.test", role: "agent", via: "command line" },
    });
    expect(JSON.stringify(entries)).not.toContain("rival");
  });

  it.each([
    ["a role change", { action: "user.role", from: "agent" }, { role: "owner", from: "agent" }],
    ["a removal", { action: "user.remove" }, { role: "agent" }],
  ] as const)("records %s with who, when and whom, however the user reads after it", async (_what, change, detail) => {
    const users = (await (await owner.fetch("/api/v1/console/users")).json()).users as { id: string; email: string }[];
    const subject = users.find((user) => user.email === "agent@acme.test")!;
    const me = (await (await owner.fetch("/api/v1/console/me")).json()).user as { id: string };
    const user: User = {
      id: subject.id,
      account_id: "acme",
      email: subject.email,
      role: detail.role,
      imagePreviews: true,
      displayName: null,
      sound: true,
      theme: "auto",
      mail: { offlineMessages: false, unansweredMinutes: null, digest: false },
    };
    const now = Date.now();
    await auditTeamChange(h.server.deps.db, { ...change, user }, { userId: me.id }, now);
    const [entry] = await teamAudit(owner);
    expect(entry).toEqual({
      id: expect.any(Number),
      action: change.action,
      userId: me.id,
      email: "owner@acme.test",
      detail: { userId: subject.id, email: "agent@acme.test", ...detail },
      createdAt: new Date(now).toISOString(),
    });
  });
});
