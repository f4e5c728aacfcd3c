// @vitest-environment happy-dom
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { createBanNoticesModel } from "../../console/models/ban-notices-model";
import { createChatsModel } from "../../console/models/chats-model";
import { createRuleAddModel } from "../../console/models/rule-add-model";
import { createRulesModel } from "../../console/models/rules-model";
import { createPolicyModel } from "../../console/models/policy-model";
import { createPresenceModel } from "../../console/models/presence-model";
import { createSessionModel } from "../../console/models/session-model";
import { parseHash } from "../../console/router";
import { api, apiError, conversation, policyDoc, rule, server, url, useMockServer, owner } from "./setup";

useMockServer();

describe("router", () => {
  it.each([
    ["#/chats/conv_1", { page: "chats", id: "conv_1" }],
    ["#/setup/TOKEN", { page: "setup", token: "TOKEN" }],
    ["#/reset/TOKEN", { page: "reset", token: "TOKEN" }],
    ["#/welcome", { page: "welcome" }],
    ["#/block", { page: "block" }],
    ["", { page: "chats", id: null }],
    ["#/nonsense", { page: "chats", id: null }],
    ["#/chats/%", { page: "chats", id: null }],
    ["#/setup/%E0%A4%A", { page: "chats", id: null }],
  ])("reads %s", (hash, route) => expect(parseHash(hash)).toEqual(route));
});

describe("session model", () => {
  it("is signed out on a 401 from /me and signed in after a good sign-in", async () => {
    server.use(
      http.get(url("/me"), () => HttpResponse.json(apiError("signed_out", "Sign in first."), { status: 401 })),
      http.post(url("/session"), () => HttpResponse.json(owner)),
    );
    const session = createSessionModel(api);
    await session.load();
    expect(session.state.value).toBe("signed-out");
    expect(await session.signIn({ account: "acme", email: "owner@acme.test", password: "x" })).toBe(true);
    expect(session.isOwner.value).toBe(true);
  });

  it("goes back to sign-in, saying why, when any call finds the session gone", async () => {
    server.use(
      http.get(url("/me"), () => HttpResponse.json(owner)),
      http.get(url("/rules"), () =>
        HttpResponse.json(apiError("signed_out", "Sign in to the console first."), { status: 401 }),
      ),
    );
    const session = createSessionModel(api);
    const stop = api.onSignedOut(session.expired);
    await session.load();
    expect(session.state.value).toBe("signed-in");
    await api.rules({}).catch(() => undefined);
    expect(session.state.value).toBe("signed-out");
    expect(session.errors.value.message).toBe("Your session has ended: sign in again.");
    stop();
  });

  it("stays signed in when a sign-in attempt is refused", async () => {
    server.use(
      http.post(url("/session"), () => HttpResponse.json(apiError("bad_credentials", "No match."), { status: 401 })),
    );
    const expired = vi.fn();
    const stop = api.onSignedOut(expired);
    await api.signIn({ account: "acme", email: "x@y.z", password: "nope" }).catch(() => undefined);
    expect(expired).not.toHaveBeenCalled();
    stop();
  });

  it("keeps field errors of a refused setup", async () => {
    server.use(
      http.post(url("/setup"), () =>
        HttpResponse.json(apiError("invalid", "password: short", { password: "Use at least 10 characters." }), {
          status: 400,
        }),
      ),
    );
    const session = createSessionModel(api);
    expect(await session.setup({ token: "t", account: "acme", name: "A", email: "a@b.c", password: "short" })).toBe(
      false,
    );
    expect(session.errors.value.fields.password).toBe("Use at least 10 characters.");
  });
});

describe("policy model", () => {
  it("takes another user's saved change when nothing is edited here, and keeps pending edits otherwise", async () => {
    let version = 1;
    server.use(
      http.get(url("/policy"), () =>
        HttpResponse.json(
          { ...policyDoc(), countries: { mode: version === 1 ? "off" : "block", list: version === 1 ? [] : ["RU"] } },
          { headers: { etag: `"${version}"` } },
        ),
      ),
    );
    const model = createPolicyModel(api);
    await model.load();
    version = 2;
    await model.refresh();
    expect(model.draft.value?.countries.list).toEqual(["RU"]);
    expect(model.etag.value).toBe(`"2"`);
    model.edit("files", { categories: ["image"], maxBytes: 1000 });
    version = 3;
    await model.refresh();
    expect(model.etag.value).toBe(`"2"`);
    expect(model.draft.value?.files.categories).toEqual(["image"]);
  });

  it("sends If-Match, and after a 412 reloads the server's version keeping the sections edited here", async () => {
    const theirs = { ...policyDoc(), files: { categories: ["image" as const], maxBytes: 1000 } };
    let ifMatch: string | null = null;
    let version = 1;
    server.use(
      http.get(url("/policy"), () =>
        HttpResponse.json(version === 1 ? policyDoc() : theirs, { headers: { etag: `"${version}"` } }),
      ),
      http.put(url("/policy"), ({ request }) => {
        ifMatch = request.headers.get("if-match");
        return ifMatch === `"${version}"`
          ? HttpResponse.json(policyDoc(), { headers: { etag: `"${version + 1}"` } })
          : HttpResponse.json(apiError("stale", "Someone else saved."), { status: 412 });
      }),
    );
    const policy = createPolicyModel(api);
    await policy.load();
    version = 2;
    policy.edit("countries", { mode: "block", list: ["DE"] });
    expect(await policy.save()).toBe(false);
    expect(ifMatch).toBe(`"1"`);
    expect(policy.conflict.value).toBe(true);
    await policy.reloadKeepingEdits();
    expect(policy.conflict.value).toBe(false);
    expect(policy.etag.value).toBe(`"2"`);
    expect(policy.draft.value?.countries).toEqual({ mode: "block", list: ["DE"] });
    expect(policy.draft.value?.files).toEqual(theirs.files);
    expect(await policy.save()).toBe(true);
  });
});

describe("rule add model", () => {
  it("marks bad lines as typed, AS numbers included, and sends nothing until all are valid", async () => {
    const model = createRuleAddModel(api, () => undefined);
    // An empty box is not marked: nothing was typed yet.
    expect(model.lineErrors.value).toEqual([]);
    model.text.value = "203.0.113.7\n256.1.1.1\nAS13335\nAS99999999999";
    expect(model.lineErrors.value.map((e) => e.line)).toEqual([2, 4]);
    expect(await model.add()).toBe(false);
    model.text.value = "203.0.113.7/24\nas3320";
    expect(model.lineErrors.value).toEqual([]);
  });
});

describe("rules model", () => {
  it("shows only the answer to the last filter when answers arrive out of order", async () => {
    const seen: string[] = [];
    server.use(
      http.get(url("/rules"), async ({ request }) => {
        const kind = new URL(request.url).searchParams.get("kind") ?? "all";
        seen.push(kind);
        // The first query answers last.
        if (kind === "as") await new Promise((resolve) => setTimeout(resolve, 50));
        return HttpResponse.json({ rules: [rule({ id: `rule_${kind}` })], total: 1 });
      }),
    );
    const model = createRulesModel(api);
    model.filter({ kind: "as" });
    model.filter({ kind: "visitor" });
    await vi.waitFor(() => expect(seen).toEqual(["as", "visitor"]));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(model.rules.value.map((r) => r.id)).toEqual(["rule_visitor"]);
  });
});

describe("chats model", () => {
  it("moves a chat between lists as events arrive and announces a new request once", async () => {
    server.use(http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })));
    const onNew = vi.fn();
    const chats = createChatsModel(api, onNew);
    await chats.load();
    chats.handleEvent({ type: "conversation", data: conversation({ status: "pending" }) });
    expect(chats.pendingCount.value).toBe(1);
    chats.handleEvent({ type: "conversation", data: conversation({ status: "active" }) });
    expect(chats.pendingCount.value).toBe(0);
    expect(chats.lists.active.value.map((c) => c.id)).toEqual(["conv_1"]);
    expect(onNew).toHaveBeenCalledTimes(1);
  });

  it("puts a chat closed live into the closed list only when it fits the spam filter", async () => {
    server.use(http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })));
    const chats = createChatsModel(api);
    await chats.load();
    await chats.filterClosed(true);
    chats.handleEvent({ type: "conversation", data: conversation({ status: "closed", closedReason: "agent" }) });
    expect(chats.lists.closed.value).toEqual([]);
    expect(chats.lists.active.value).toEqual([]);
    chats.handleEvent({
      type: "conversation",
      data: conversation({ id: "conv_2", status: "closed", closedReason: "spam" }),
    });
    expect(chats.lists.closed.value.map((c) => c.id)).toEqual(["conv_2"]);
  });
});

describe("ban notices model", () => {
  it("keeps the newest five automatic bans, and drops one when dismissed", () => {
    const bans = createBanNoticesModel();
    for (let n = 1; n <= 7; n++)
      bans.handleEvent({ type: "protection", data: { message: `ban ${n}`, rules: [], conversationId: null } });
    bans.handleEvent({ type: "policy", data: { what: "rules" } });
    expect(bans.notices.value.map((notice) => notice.message)).toEqual(["ban 3", "ban 4", "ban 5", "ban 6", "ban 7"]);
    bans.dismiss(bans.notices.value[0]!.id);
    expect(bans.notices.value.map((notice) => notice.message)).toEqual(["ban 4", "ban 5", "ban 6", "ban 7"]);
  });
});

describe("presence model", () => {
  /** Storage of one test: what the model keeps in this browser. */
  const memoryStorage = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
  };

  it("keeps a change made while an earlier read was on its way", async () => {
    let answerRead: (() => void) | null = null;
    server.use(
      http.get(url("/presence"), async () => {
        await new Promise<void>((resolve) => (answerRead = resolve));
        return HttpResponse.json({ status: "online" });
      }),
      http.put(url("/presence"), () => HttpResponse.json({ status: "away" })),
    );
    const presence = createPresenceModel(api, memoryStorage());
    const read = presence.load();
    await vi.waitFor(() => expect(answerRead).not.toBeNull());
    await presence.choose("away");
    answerRead!();
    await read;
    expect(presence.status.value).toBe("away");
  });

  it("sets away when idle only from online, and marks only that away as automatic", async () => {
    const puts: unknown[] = [];
    server.use(
      http.get(url("/presence"), () => HttpResponse.json({ status: "away" })),
      http.put(url("/presence"), async ({ request }) => {
        puts.push(await request.json());
        return HttpResponse.json(puts.at(-1) as object);
      }),
    );
    const storage = memoryStorage();
    const presence = createPresenceModel(api, storage);
    await presence.load();
    await presence.idle();
    await presence.active();
    expect(puts).toEqual([]);
    await presence.choose("online");
    await presence.idle();
    expect(storage.items.get("hatch.autoAway")).toBe("1");
    await presence.active();
    expect(puts).toEqual([{ status: "online" }, { status: "away" }, { status: "online" }]);
    expect(storage.items.has("hatch.autoAway")).toBe(false);
  });

  it.each([
    ["10", null, 10],
    ["240", null, 240],
    ["0", "Enter whole minutes from 1 to 240.", 5],
    ["241", "Enter whole minutes from 1 to 240.", 5],
    ["2.5", "Enter whole minutes from 1 to 240.", 5],
    ["", "Enter whole minutes from 1 to 240.", 5],
  ])("takes an idle time of %j minutes: error %j, then %i minutes", (text, error, minutes) => {
    const storage = memoryStorage();
    storage.setItem("hatch.idleMinutes", "5");
    const presence = createPresenceModel(api, storage);
    expect(presence.setIdleMinutes(text)).toBe(error);
    expect(presence.idleMinutes.value).toBe(minutes);
    expect(createPresenceModel(api, storage).idleMinutes.value).toBe(minutes);
  });

  it("starts at 10 minutes when this browser keeps no idle time, or one that makes no sense", () => {
    const storage = memoryStorage();
    expect(createPresenceModel(api, storage).idleMinutes.value).toBe(10);
    storage.setItem("hatch.idleMinutes", "-3");
    expect(createPresenceModel(api, storage).idleMinutes.value).toBe(10);
  });
});
