// Presence on a real server: an open console is an agent online, until they choose away or their
// consoles are gone for a few minutes; the verdict knows from memory, takes messages or hides the
// chat when no one is online, and a chat written meanwhile is an offline message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OFFLINE_AFTER_MS } from "../../../server/store/presence";
import { askVerdict, editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

const SITE = "https://shop.example";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner, agent } = await signInAll(h));
  // The owner's console asks for the team's presence, which counts as a console connected: they
  // choose away once, so that the agent alone decides whether anyone is online here.
  await owner.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
});
afterAll(() => h.stop());
beforeEach(() => {
  h.clock.reset();
});

/** The verdict's answer for a new visitor from `ip`. */
async function verdict(ip = "198.51.100.80"): Promise<{ show: boolean; config?: { away?: boolean } }> {
  return (await (await askVerdict(h, { ip })).json()) as { show: boolean; config?: { away?: boolean } };
}

const away = async () => (await verdict()).config?.away === true;

describe("presence", () => {
  it("takes messages while no agent has a console open, and not once one has", async () => {
    await expect.poll(away).toBe(true);
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    await expect.poll(away).toBe(false);
    expect(await (await agent.fetch("/api/v1/console/presence")).json()).toEqual({ status: "online" });
    await feed.close();
  });

  it("lets an agent choose away, and owners see the team", async () => {
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    const chose = await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    expect(await chose.json()).toEqual({ status: "away" });
    await expect.poll(away).toBe(true);
    try {
      const { team } = await (await owner.fetch("/api/v1/console/presence")).json();
      // The harness makes both users within a millisecond or two: their order here is not the point.
      const statuses = team.map((m: { email: string; status: string }) => [m.email, m.status]).sort();
      expect(statuses).toEqual([
        ["agent@acme.test", "away"],
        ["owner@acme.test", "away"],
      ]);
    } finally {
      await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "online" } });
    }
    await expect.poll(away).toBe(false);
    await feed.close();
  });

  it("counts an agent whose consoles are gone for a few minutes as offline", async () => {
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    await expect.poll(away).toBe(false);
    await feed.close();
    h.clock.skip(OFFLINE_AFTER_MS + 1000);
    const { team } = await (await owner.fetch("/api/v1/console/presence")).json();
    expect(team.find((m: { email: string }) => m.email === "agent@acme.test").status).toBe("offline");
    expect(await h.server.deps.presence.refresh("acme")).toBe(false);
  });

  it("refuses a status it does not know, changing nothing", async () => {
    const answer = await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "busy" } });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.fields.status).toBe('status is "online" or "away".');
  });
});

describe("away mode", () => {
  it("hides the chat while no agent is online when the owner says so, and says why in Test a visitor", async () => {
    await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    await editPolicy(owner, (doc) => {
      doc.window = { away: "hide" };
    });
    await expect.poll(async () => (await verdict()).show).toBe(false);
    const preview = await (
      await owner.fetch("/api/v1/console/preview", { method: "POST", json: { ip: "198.51.100.81", page: `${SITE}/` } })
    ).json();
    expect(preview.reasons.find((r: { check: string }) => r.check === "away")).toEqual({
      check: "away",
      hides: true,
      message: "No agent is online, and the chat is hidden while no one is.",
    });
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "online" } });
    await expect.poll(async () => (await verdict()).show).toBe(true);
    await feed.close();
    await editPolicy(owner, (doc) => {
      delete doc.window;
    });
  });

  it("keeps a chat written while no one is online as an offline message", async () => {
    await agent.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    await expect.poll(away).toBe(true);
    const ticket = (
      await (
        await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/`)}`, {
          headers: { origin: SITE, "x-forwarded-for": "198.51.100.82" },
        })
      ).json()
    ).ticket;
    const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "POST",
      headers: { origin: SITE, "x-forwarded-for": "198.51.100.82", authorization: `Bearer ${ticket}` },
    });
    const { conversation } = await started.json();
    const detail = await (await agent.fetch(`/api/v1/console/conversations/${conversation.id}`)).json();
    expect(detail.conversation.offline).toBe(true);
  });
});

describe("the name visitors see", () => {
  it("is set in the options, cleared by an empty one, and at most 40 characters", async () => {
    const set = await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: " Anna " } });
    expect(await set.json()).toEqual({
      imagePreviews: true,
      displayName: "Anna",
      sound: true,
      theme: "auto",
      mail: { offlineMessages: false, unansweredMinutes: null, digest: false },
    });
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options.displayName).toBe("Anna");
    const long = await agent.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { displayName: "x".repeat(41) },
    });
    expect(long.status).toBe(400);
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: "" } });
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options.displayName).toBeNull();
  });

  const storedName = async () => (await (await agent.fetch("/api/v1/console/me")).json()).options.displayName;
  const setName = (displayName: string) =>
    agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName } });

  it.each([
    ["a right-to-left override", "Ann\u202Etroppus", "U+202E"],
    ["a zero-width joiner between letters", "An\u200Dna", "U+200D"],
    ["a line break", "Ann\nLee", "U+000A"],
    ["a letter under 39 combining marks", `a${"\u0301".repeat(39)}`, "marks on one character"],
    ["41 emoji", "\u{1F600}".repeat(41), "at most 40 characters"],
    ["Support", "Support", "names no person"],
    ["support and a space", "support ", "names no person"],
    ["the owner's email", "owner@acme.test", "email address"],
  ])("refuses %s, saying why, and keeps the name it had", async (_what, name, why) => {
    expect((await setName("Anna")).status).toBe(200);
    const refused = await setName(name);
    expect(refused.status).toBe(400);
    const { error } = await refused.json();
    expect(error.code).toBe("invalid");
    expect(error.fields.displayName).toContain(why);
    expect(await storedName()).toBe("Anna");
  });

  it.each([
    ["Arabic", "\u0623\u0645\u064A\u0646\u0629"],
    ["Chinese", "\u738B\u82B3"],
    ["21 emoji, counted as 21 characters", "\u{1F600}".repeat(21)],
    ["an emoji family, counted as one", `Ann \u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}`],
    ["a decomposed accent", "Zoe\u0308"],
  ])("takes a name in %s, kept composed (NFC)", async (_what, name) => {
    const set = await setName(name);
    expect(set.status).toBe(200);
    expect((await set.json()).displayName).toBe(name.normalize("NFC"));
    expect(await storedName()).toBe(name.normalize("NFC"));
  });
});
