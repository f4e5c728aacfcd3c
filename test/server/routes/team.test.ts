// The team on a real server: owners change roles, remove people (their sessions and open consoles end
// at once, their chats keep their name) and hand over one-time links to set a password; every user
// changes their own. The last owner stays; every change is audited; another account's users are out of reach.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PASSWORD_RESET_MS } from "../../../server/store/accounts";
import { chatRequest, PASSWORD, signIn, startHarness, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

const USERS = "/api/v1/console/users";
const NEW_PASSWORD = "a new password, long enough";

let h: Harness;
let teams = 0;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

interface Member {
  id: string;
  email: string;
  client: ConsoleClient;
}

/** An account of its own with one owner, so each test's changes to a team meet no other test's. */
async function team(): Promise<{ account: string; owner: Member; add(role: "agent" | "owner"): Promise<Member> }> {
  const account = `team-${++teams}`;
  const { accounts, now } = h.server.deps;
  await accounts.createAccount(account, account, now());
  // PASSWORD's hash, made once for the whole run (test/global-setup.ts).
  const hash = inject("passwordHash");
  let people = 0;
  const join = async (role: "agent" | "owner"): Promise<Member> => {
    const email = `${role}-${++people}@${account}.test`;
    const user = (await accounts.addUser(account, email, hash, role, now()))!;
    return { id: user.id, email, client: await h.login(account, email) };
  };
  return { account, owner: await join("owner"), add: join };
}

const setRole = (by: ConsoleClient, id: string, role: string) =>
  by.fetch(`${USERS}/${id}`, { method: "PATCH", json: { role } });
const remove = (by: ConsoleClient, id: string) => by.fetch(`${USERS}/${id}`, { method: "DELETE" });
const resetLink = async (by: ConsoleClient, id: string): Promise<string> => {
  const answer = await by.fetch(`${USERS}/${id}/reset`, { method: "POST" });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { link: string }).link;
};
const useReset = (token: string, password = NEW_PASSWORD) =>
  fetch(`${h.url}/api/v1/console/password-reset`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: h.origin },
    body: JSON.stringify({ token, password }),
  });
const tokenOf = (link: string) => link.slice(link.lastIndexOf("/") + 1);
const emails = async (by: ConsoleClient) =>
  ((await (await by.fetch(USERS)).json()).users as { email: string; role: string }[]).map(
    (u) => `${u.email} ${u.role}`,
  );
const audit = async (by: ConsoleClient) =>
  (
    (await (await by.fetch("/api/v1/console/audit?limit=20")).json()).entries as { action: string; detail: object }[]
  ).map((entry) => ({ action: entry.action, ...entry.detail }));
const signsIn = (account: string, email: string, password: string) =>
  signIn(h.url, account, email, { password }).then(
    () => true,
    () => false,
  );
const me = async (client: ConsoleClient) => (await client.fetch("/api/v1/console/me")).status;

describe("roles", () => {
  it("makes an agent an owner and back, audited with the role before", async () => {
    const { owner, add } = await team();
    const agent = await add("agent");
    const promoted = await setRole(owner.client, agent.id, "owner");
    expect(await promoted.json()).toEqual({ id: agent.id, email: agent.email, role: "owner" });
    // The new owner may at once do what owners do.
    expect((await agent.client.fetch(USERS)).status).toBe(200);
    expect((await setRole(owner.client, agent.id, "agent")).status).toBe(200);
    expect((await agent.client.fetch(USERS)).status).toBe(403);
    expect((await audit(owner.client)).slice(0, 2)).toEqual([
      expect.objectContaining({ action: "user.role", email: agent.email, role: "agent", from: "owner" }),
      expect.objectContaining({ action: "user.role", email: agent.email, role: "owner", from: "agent" }),
    ]);
  });

  it("keeps the last owner an owner, and says what to do", async () => {
    const { owner } = await team();
    const refused = await setRole(owner.client, owner.id, "agent");
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({
      code: "last_owner",
      message: expect.stringContaining("first"),
    });
    expect(await emails(owner.client)).toEqual([`${owner.email} owner`]);
  });

  it("lets one of two owners step down, but not both when they try at once", async () => {
    const { owner, add } = await team();
    const second = await add("owner");
    const answers = await Promise.all([
      setRole(owner.client, second.id, "agent"),
      setRole(second.client, owner.id, "agent"),
    ]);
    // The other is refused: as the last owner (409), or as an agent by then (403).
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    const stillOwner = statuses[0] === 200 ? owner : second;
    expect((await emails(stillOwner.client)).filter((line) => line.endsWith(" owner"))).toEqual([
      `${stillOwner.email} owner`,
    ]);
  });

  it.each([
    ["a role it does not know", { role: "admin" }, "role", 'role is "agent" or "owner".'],
    ["a field it does not know", { role: "agent", admin: true }, "admin", 'Unknown field "admin": remove it.'],
  ])("refuses %s, changing nothing", async (_name, json, field, message) => {
    const { owner, add } = await team();
    const agent = await add("agent");
    const answer = await owner.client.fetch(`${USERS}/${agent.id}`, { method: "PATCH", json });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.fields[field]).toEqual(message);
    expect(await emails(owner.client)).toContain(`${agent.email} agent`);
  });
});

describe("removing someone", () => {
  it("ends their sessions and their open console at once, and refuses their password", async () => {
    const { account, owner, add } = await team();
    const leaving = await add("agent");
    const feed = new SseReader(await leaving.client.fetch("/api/v1/console/events"));
    await expect.poll(() => feed.response.status).toBe(200);
    const started = Date.now();
    expect((await remove(owner.client, leaving.id)).status).toBe(204);
    expect(await me(leaving.client)).toBe(401);
    // The heartbeat is 15 s: an end within a few seconds is the removal's doing.
    await expect.poll(() => feed.events.some((e) => e.event === "unavailable"), { timeout: 5000 }).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await signsIn(account, leaving.email, PASSWORD)).toBe(false);
    expect(await emails(owner.client)).toEqual([`${owner.email} owner`]);
    const { team: presence } = await (await owner.client.fetch("/api/v1/console/presence")).json();
    expect(presence.map((m: { email: string }) => m.email)).toEqual([owner.email]);
    expect((await audit(owner.client))[0]).toMatchObject({
      action: "user.remove",
      email: leaving.email,
      role: "agent",
    });
    await feed.close();
  });

  it("leaves their chats with their name", async () => {
    const { owner, add, account } = await team();
    const leaving = await add("agent");
    await leaving.client.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: "Anna" } });
    const chat = await chatRequest(h, { accountId: account });
    await leaving.client.fetch(`/api/v1/console/conversations/${chat.id}/accept`, { method: "POST" });
    await leaving.client.fetch(`/api/v1/console/conversations/${chat.id}/messages`, {
      method: "POST",
      json: { text: "Hello, Anna here" },
    });
    expect((await remove(owner.client, leaving.id)).status).toBe(204);
    const { conversation, messages } = await (
      await owner.client.fetch(`/api/v1/console/conversations/${chat.id}`)
    ).json();
    expect(conversation).toMatchObject({ agentUserId: leaving.id, agentName: "Anna" });
    expect(messages.find((m: { text: string }) => m.text === "Hello, Anna here")).toMatchObject({
      userId: leaving.id,
      agentName: "Anna",
    });
  });

  it("keeps the last owner, and lets an owner go once another is there", async () => {
    const { owner, add } = await team();
    expect((await (await remove(owner.client, owner.id)).json()).error.code).toBe("last_owner");
    const next = await add("owner");
    expect((await remove(next.client, owner.id)).status).toBe(204);
    expect(await me(owner.client)).toBe(401);
    expect(await emails(next.client)).toEqual([`${next.email} owner`]);
  });

  it("takes someone removed back as the same user when they are added again", async () => {
    const { account, owner, add } = await team();
    const back = await add("agent");
    await remove(owner.client, back.id);
    const added = await owner.client.fetch(USERS, {
      method: "POST",
      json: { email: back.email, password: NEW_PASSWORD, role: "owner" },
    });
    expect(await added.json()).toEqual({ id: back.id, email: back.email, role: "owner" });
    expect(await signsIn(account, back.email, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(account, back.email, PASSWORD)).toBe(false);
  });
});

describe("another account's users and agents", () => {
  it("are out of an owner's reach, and agents change no one", async () => {
    const mine = await team();
    const theirs = await team();
    const agent = await mine.add("agent");
    for (const answer of [
      await setRole(mine.owner.client, theirs.owner.id, "agent"),
      await remove(mine.owner.client, theirs.owner.id),
      await mine.owner.client.fetch(`${USERS}/${theirs.owner.id}/reset`, { method: "POST" }),
    ])
      expect(answer.status).toBe(404);
    for (const answer of [
      await setRole(agent.client, agent.id, "owner"),
      await remove(agent.client, mine.owner.id),
      await agent.client.fetch(`${USERS}/${mine.owner.id}/reset`, { method: "POST" }),
    ])
      expect(answer.status).toBe(403);
    expect(await emails(theirs.owner.client)).toEqual([`${theirs.owner.email} owner`]);
    expect(await emails(mine.owner.client)).toEqual([`${mine.owner.email} owner`, `${agent.email} agent`]);
  });
});

describe("a password-reset link", () => {
  it("sets a new password once, ends the user's sessions, and is audited", async () => {
    const { account, owner, add } = await team();
    const forgot = await add("agent");
    const link = await resetLink(owner.client, forgot.id);
    expect(link).toMatch(new RegExp(`^${h.server.deps.config.publicUrl}/console/#/reset/[\\w-]{20,}$`));
    expect((await useReset(tokenOf(link))).status).toBe(204);
    expect(await me(forgot.client)).toBe(401);
    expect(await signsIn(account, forgot.email, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(account, forgot.email, PASSWORD)).toBe(false);
    const again = await useReset(tokenOf(link), "yet another password here");
    expect(again.status).toBe(403);
    expect((await again.json()).error).toMatchObject({
      code: "reset_link_used",
      message: expect.stringContaining("owner"),
    });
    expect(await signsIn(account, forgot.email, NEW_PASSWORD)).toBe(true);
    expect((await audit(owner.client)).slice(0, 2).map((entry) => entry.action)).toEqual([
      "user.password",
      "user.reset",
    ]);
  });

  it("dies with the owner who made it: removed or made an agent, their links stop working", async () => {
    const { owner, add } = await team();
    const rogue = await add("owner");
    const target = await add("agent");
    const byRemoved = tokenOf(await resetLink(rogue.client, owner.id));
    const byDemoted = tokenOf(await resetLink(rogue.client, target.id));
    expect((await setRole(owner.client, rogue.id, "agent")).status).toBe(200);
    expect((await useReset(byDemoted)).status).toBe(403);
    expect((await setRole(owner.client, rogue.id, "owner")).status).toBe(200);
    const again = tokenOf(await resetLink(rogue.client, owner.id));
    expect((await remove(owner.client, rogue.id)).status).toBe(204);
    for (const token of [byRemoved, again]) expect((await useReset(token)).status).toBe(403);
    expect(await me(owner.client)).toBe(200);
  });

  it("stops working once the user sets a password of their own", async () => {
    const { owner, add } = await team();
    const user = await add("agent");
    const token = tokenOf(await resetLink(owner.client, user.id));
    await user.client.fetch("/api/v1/console/me/password", {
      method: "POST",
      json: { current: PASSWORD, password: NEW_PASSWORD },
    });
    expect((await useReset(token, "a password of the thief")).status).toBe(403);
  });

  it("is made without a body, answered with no-store, and its use audited as the link's", async () => {
    const { owner, add } = await team();
    const user = await add("agent");
    const withBody = await owner.client.fetch(`${USERS}/${user.id}/reset`, { method: "POST", json: { x: 1 } });
    expect(withBody.status).toBe(400);
    const made = await owner.client.fetch(`${USERS}/${user.id}/reset`, { method: "POST" });
    expect(made.headers.get("cache-control")).toBe("no-store");
    expect((await useReset(tokenOf((await made.json()).link))).status).toBe(204);
    expect((await audit(owner.client))[0]).toMatchObject({ action: "user.password", via: "password-reset link" });
  });

  it("refuses a weak password without using the link", async () => {
    const { owner, add } = await team();
    const forgot = await add("agent");
    const token = tokenOf(await resetLink(owner.client, forgot.id));
    const weak = await useReset(token, "short");
    expect(weak.status).toBe(400);
    expect(Object.keys((await weak.json()).error.fields)).toEqual(["password"]);
    expect((await useReset(token)).status).toBe(204);
  });

  it("stops working after 24 hours, when a newer one is made, or when its user is removed", async () => {
    const { owner, add } = await team();
    const late = await add("agent");
    const expired = tokenOf(await resetLink(owner.client, late.id));
    h.clock.skip(PASSWORD_RESET_MS + 1000);
    try {
      expect((await useReset(expired)).status).toBe(403);
    } finally {
      h.clock.reset();
    }
    const older = tokenOf(await resetLink(owner.client, late.id));
    const newer = tokenOf(await resetLink(owner.client, late.id));
    expect((await useReset(older)).status).toBe(403);
    await remove(owner.client, late.id);
    expect((await useReset(newer)).status).toBe(403);
    expect((await useReset("not-a-token")).status).toBe(403);
  });
});

describe("a user's own password", () => {
  const change = (client: ConsoleClient, current: string, password: string) =>
    client.fetch("/api/v1/console/me/password", { method: "POST", json: { current, password } });

  it("changes with the current one, ends the user's other sessions and keeps this one", async () => {
    const { account, add } = await team();
    const user = await add("agent");
    const elsewhere = await h.login(account, user.email);
    expect((await change(user.client, PASSWORD, NEW_PASSWORD)).status).toBe(204);
    expect(await me(user.client)).toBe(200);
    expect(await me(elsewhere)).toBe(401);
    expect(await signsIn(account, user.email, NEW_PASSWORD)).toBe(true);
  });

  it.each([
    ["a wrong current password", "not my password at all", NEW_PASSWORD, "current"],
    ["a weak new one", PASSWORD, "short", "password"],
  ])("refuses %s beside its field, changing nothing", async (_name, current, password, field) => {
    const { account, add } = await team();
    const user = await add("agent");
    const answer = await change(user.client, current, password);
    expect(answer.status).toBe(400);
    expect(Object.keys((await answer.json()).error.fields)).toEqual([field]);
    expect(await signsIn(account, user.email, PASSWORD)).toBe(true);
  });
});

describe("a user's own display name", () => {
  const rename = (client: ConsoleClient, displayName: string | null) =>
    client.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName } });

  it("is audited with the name before, once per change, and not when another option changes", async () => {
    const { owner, add } = await team();
    const agent = await add("agent");
    expect((await rename(agent.client, "Ana")).status).toBe(200);
    expect((await rename(agent.client, "Ana B.")).status).toBe(200);
    await agent.client.fetch("/api/v1/console/me/options", { method: "PATCH", json: { sound: false } });
    expect((await rename(agent.client, "")).status).toBe(200);
    const renames = (await audit(owner.client)).filter((entry) => entry.action === "user.name");
    expect(renames).toEqual([
      expect.objectContaining({ email: agent.email, from: "Ana B.", name: null }),
      expect.objectContaining({ email: agent.email, from: "Ana", name: "Ana B." }),
      expect.objectContaining({ email: agent.email, from: null, name: "Ana" }),
    ]);
  });
});
