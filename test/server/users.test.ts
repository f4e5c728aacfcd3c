// Owners add agents and owners; agents and other accounts cannot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, signInAll, startHarness, type ConsoleClient, type Harness } from "./harness";

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
    const client = await h.login("acme", "new@acme.test");
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
