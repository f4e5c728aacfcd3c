// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuditPage } from "../../console/AuditPage";
import { BlockVisitorsPage } from "../../console/BlockVisitorsPage";
import { formatTime } from "../../console/format";
import { createPolicyModel } from "../../console/models/policy-model";
import { UNDO_MS } from "../../console/models/rules-model";
import type { AuditEntry, ListedRule } from "../../console/types";
import { api, apiError, networkStatus, policyDoc, rule, seen, server, url, useMockServer } from "./setup";

useMockServer();

const CHAT_7 = { id: "conv_7", visitorIp: "203.0.113.7", startedAt: "2026-01-01T08:30:00.000Z" };
const RULES: ListedRule[] = [
  rule({
    id: "rule_as",
    kind: "as",
    rule: "AS13335",
    label: "Cloudflare, Inc.",
    createdBy: { kind: "console", userId: "u1", email: "owner@acme.test" },
    conversationId: null,
    chat: null,
    createdAt: "2026-01-03T09:00:00.000Z",
  }),
  rule({
    id: "rule_visitor",
    kind: "visitor",
    rule: "v_abc",
    comment: "insults",
    createdBy: { kind: "agent", userId: "u2", email: "agent@acme.test", conversationId: "conv_7" },
    conversationId: "conv_7",
    chat: CHAT_7,
    createdAt: "2026-01-02T09:00:00.000Z",
  }),
  rule({
    id: "rule_old",
    kind: "address",
    rule: "192.0.2.10",
    createdBy: { kind: "automatic", conversationId: "conv_gone" },
    conversationId: "conv_gone",
    chat: null,
    expiresAt: "2020-01-01T00:00:00.000Z",
  }),
];

/** The declarations console.css gives `selector` where a rule's selector list names it as written, comments left out. */
function cssFor(selector: string): string {
  const css = readFileSync(join(process.cwd(), "console", "console.css"), "utf8");
  return [...css.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/([^{}]+)\{([^}]*)\}/g)]
    .filter(([, selectors]) => selectors!.split(",").some((one) => one.trim() === selector))
    .map(([, , body]) => body)
    .join(";");
}

/** Serves the page, recording every rules query it makes; `total` is how many rules the server says match. */
function renderRules(isOwner = true, total?: number): { queries: URLSearchParams[]; unmount: () => void } {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(url("/rules"), ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      const kind = query.get("kind");
      const found = kind ? RULES.filter((r) => r.kind === kind) : RULES;
      return HttpResponse.json({ rules: found, total: total ?? found.length });
    }),
    http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
    http.get(url("/networks"), () => HttpResponse.json(networkStatus())),
  );
  const policy = createPolicyModel(api);
  void policy.load();
  const { unmount } = render(<BlockVisitorsPage api={api} policy={policy} isOwner={isOwner} listen={() => () => {}} />);
  return { queries, unmount };
}

describe("rules list", () => {
  it("lists every kind with the AS's name, the chat a visitor rule came from, and expired rules marked", async () => {
    renderRules();
    expect(await screen.findByText("AS13335")).toBeTruthy();
    expect(screen.getByText(/Cloudflare, Inc\./)).toBeTruthy();
    const expiredRow = screen.getByText("192.0.2.10").closest("tr");
    expect(expiredRow?.className).toBe("expired");
    expect(expiredRow?.textContent).toContain("expired");
  });

  it("names the chat a rule came from by its visitor's address and start, not its id, and a chat since erased", async () => {
    renderRules();
    await screen.findByText("AS13335");
    const chat = screen.getByRole("link", { name: `chat with 203.0.113.7, ${formatTime(CHAT_7.startedAt)}` });
    expect(chat.getAttribute("href")).toBe("#/chats/conv_7");
    // The visitor's address is kept whole there too (see the next test).
    expect(chat.querySelector(".address-text")?.textContent).toBe("203.0.113.7,");
    expect(chat.closest("td")?.textContent).toBe(
      `agent agent@acme.test from chat with 203.0.113.7, ${formatTime(CHAT_7.startedAt)}`,
    );
    expect(screen.getByText("192.0.2.10").closest("tr")?.textContent).toContain(
      "automatic protection from a chat since erased",
    );
    expect(document.body.textContent).not.toContain("conv_");
  });

  it("keeps a rule whole on one line, never broken mid-number: the rule's own class, outside the wrapping cells", async () => {
    renderRules();
    const text = await screen.findByText("192.0.2.10");
    expect(text.tagName).toBe("CODE");
    expect(text.className).toBe("rule-text");
    expect(text.closest("td")?.classList.contains("wrap")).toBe(false);
    expect(text.closest(".table-wrap")).toBeTruthy();
    // What console.css does with that class: no break inside it, the table scrolling sideways instead.
    expect(cssFor(".rule-text")).toMatch(/white-space:\s*nowrap/);
    expect(cssFor(".rule-text")).not.toMatch(/overflow-wrap:\s*anywhere|word-break:\s*break-all/);
    expect(cssFor(".address-text")).toMatch(/white-space:\s*nowrap/);
    expect(cssFor(".table-wrap")).toMatch(/overflow-x:\s*auto/);
  });

  it("narrows by kind at once and by search after typing pauses", async () => {
    const { queries } = renderRules();
    await screen.findByText("AS13335");
    fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "visitor" } });
    await waitFor(() => expect(screen.queryByText("AS13335")).toBeNull());
    expect(queries.at(-1)?.get("kind")).toBe("visitor");
    fireEvent.input(screen.getByLabelText("Search rules"), { target: { value: "ins" } });
    fireEvent.input(screen.getByLabelText("Search rules"), { target: { value: "insults" } });
    await waitFor(() => expect(queries.at(-1)?.get("q")).toBe("insults"));
    // One query for the pause, not one per keystroke.
    expect(queries.filter((q) => q.get("q") === "ins")).toHaveLength(0);
  });

  it("gives an agent the list but no removal, adding, import or export (the owners')", async () => {
    renderRules(false);
    await screen.findByText("AS13335");
    expect(screen.queryByRole("button", { name: /^Remove/ })).toBeNull();
    expect(screen.queryByLabelText("Import CSV")).toBeNull();
    expect(screen.queryByRole("button", { name: "Add rules" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Export CSV" })).toBeNull();
  });

  it("gives an owner the export", async () => {
    renderRules();
    await screen.findByText("AS13335");
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(url("/rules.csv"));
  });

  it("says when it lists only the newest of more rules", async () => {
    renderRules(true, 4_321);
    expect(await screen.findByText(/Showing the newest 3 of 4,321 rules/)).toBeTruthy();
  });
});

describe("removing a rule", () => {
  afterEach(() => void vi.useRealTimers());

  /** The ids the server was asked to remove, in order; each answered `status` (204 unless said). */
  function deletes(status = 204): string[] {
    const asked: string[] = [];
    server.use(
      http.delete(url("/rules/:id"), ({ params }) => {
        asked.push(String(params.id));
        return status === 204
          ? new HttpResponse(null, { status })
          : HttpResponse.json(apiError("not_found", "No such rule: it was removed already."), { status });
      }),
    );
    return asked;
  }
  const listed = () => screen.queryAllByRole("button", { name: /^Remove / }).map((b) => b.getAttribute("aria-label"));
  /** Lets `ms` of the faked timers pass, and the page follow. */
  const pass = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  /** Renders the list with real timers (msw and the first load), then fakes the undo window's. */
  async function ready() {
    const page = renderRules();
    await screen.findByText("AS13335");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    return page;
  }

  it("takes the rule off the list at once with an Undo, which puts it back where it was and sends nothing", async () => {
    const asked = deletes();
    await ready();
    fireEvent.click(screen.getByRole("button", { name: "Remove v_abc" }));
    expect(listed()).toEqual(["Remove AS13335", "Remove 192.0.2.10"]);
    const undo = screen.getByRole("button", { name: "Undo removing v_abc" });
    expect(undo.textContent).toBe("Undo");
    expect(undo.closest("[role=status]")?.textContent).toBe("Removed v_abc. Undo");
    // The focused Remove went with its row: focus is on the Undo.
    expect(document.activeElement).toBe(undo);
    await pass(UNDO_MS - 1);
    fireEvent.click(undo);
    expect(listed()).toEqual(["Remove AS13335", "Remove v_abc", "Remove 192.0.2.10"]);
    expect(screen.queryByRole("button", { name: /^Undo/ })).toBeNull();
    await pass(2 * UNDO_MS);
    expect(asked).toEqual([]);
    expect(seen.filter((request) => request.startsWith("DELETE"))).toEqual([]);
  });

  it("removes the rule on the server once the undo window passes, and the Undo goes", async () => {
    const asked = deletes();
    await ready();
    fireEvent.click(screen.getByRole("button", { name: "Remove AS13335" }));
    await pass(UNDO_MS - 1);
    expect(asked).toEqual([]);
    await pass(1);
    await vi.waitFor(() => expect(asked).toEqual(["rule_as"]));
    expect(screen.queryByRole("button", { name: /^Undo/ })).toBeNull();
    expect(listed()).toEqual(["Remove v_abc", "Remove 192.0.2.10"]);
  });

  it("shows a removal the server refused once the window passed", async () => {
    deletes(404);
    await ready();
    fireEvent.click(screen.getByRole("button", { name: "Remove v_abc" }));
    await pass(UNDO_MS);
    vi.useRealTimers();
    expect(await screen.findByText("No such rule: it was removed already.")).toBeTruthy();
  });

  it("sends a removal still in its undo window as the page closes, or as the user leaves the page", async () => {
    const asked = deletes();
    const { unmount } = await ready();
    fireEvent.click(screen.getByRole("button", { name: "Remove AS13335" }));
    dispatchEvent(new Event("pagehide"));
    await vi.waitFor(() => expect(asked).toEqual(["rule_as"]));
    fireEvent.click(screen.getByRole("button", { name: "Remove v_abc" }));
    unmount();
    await vi.waitFor(() => expect(asked).toEqual(["rule_as", "rule_visitor"]));
    // Sent once: the window's own timer found nothing left to send.
    await pass(2 * UNDO_MS);
    expect(asked).toEqual(["rule_as", "rule_visitor"]);
  });
});

describe("adding rules", () => {
  it("sends a paste of addresses and AS numbers with its comment and expiry, and shows each line's outcome", async () => {
    renderRules();
    await screen.findByText("AS13335");
    let sent: { text: string; comment: string; expiresAt: string | null } | undefined;
    server.use(
      http.post(url("/rules"), async ({ request }) => {
        sent = (await request.json()) as typeof sent;
        return HttpResponse.json(
          {
            rules: [],
            lines: [
              { line: 1, input: "AS3320", status: "added", kind: "as", rule: "AS3320", hostBitsCleared: false },
              {
                line: 2,
                input: "203.0.113.9/24",
                status: "added",
                kind: "network",
                rule: "203.0.113.0/24",
                hostBitsCleared: true,
              },
            ],
          },
          { status: 201 },
        );
      }),
    );
    fireEvent.input(screen.getByLabelText(/one a line/), { target: { value: "AS3320\n203.0.113.9/24" } });
    fireEvent.input(screen.getByLabelText("Comment", { selector: "#rule-comment" }), { target: { value: "abuse" } });
    fireEvent.change(screen.getByLabelText("For how long", { selector: "#rule-duration" }), {
      target: { value: "7d" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add rules" }));
    const added = await screen.findByRole("status", { name: "Added rules" });
    expect(added.textContent).toContain("added AS3320");
    expect(added.textContent).toContain("host bits of 203.0.113.9/24 cleared");
    expect(sent?.text).toBe("AS3320\n203.0.113.9/24");
    expect(sent?.comment).toBe("abuse");
    expect(Date.parse(sent?.expiresAt ?? "") - Date.now()).toBeGreaterThan(6.9 * 24 * 3_600_000);
  });

  it("marks a bad AS line as it is typed and keeps the button off", async () => {
    renderRules();
    await screen.findByText("AS13335");
    fireEvent.input(screen.getByLabelText(/one a line/), { target: { value: "AS13335\nAS-foo" } });
    expect(await screen.findByText(/Line 2 \(AS-foo\)/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Add rules" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("CSV import", () => {
  function chooseFile(text: string) {
    const input = screen.getByLabelText("Import CSV") as HTMLInputElement;
    const file = new File([text], "rules.csv", { type: "text/csv" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    fireEvent.change(input);
  }

  it("sends the file's text and says how many rules it restored", async () => {
    renderRules();
    await screen.findByText("AS13335");
    let sent: unknown;
    server.use(
      http.post(url("/rules"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ rules: RULES.slice(0, 2), merged: [3], expired: [] }, { status: 201 });
      }),
    );
    chooseFile("kind,rule,comment,author,created,expires\nas,AS13335,,,,\n");
    expect(await screen.findByText("Restored 2 rules. Already in place, merged: line 3.")).toBeTruthy();
    expect(sent).toEqual({ csv: "kind,rule,comment,author,created,expires\nas,AS13335,,,,\n" });
  });

  it("shows each bad line the server names, and restores nothing", async () => {
    renderRules();
    await screen.findByText("AS13335");
    server.use(
      http.post(url("/rules"), () =>
        HttpResponse.json(
          apiError("invalid_rules", "1 line is not valid: nothing was stored.", {
            csv: "Line 2: “AS-1” is not an AS number.",
          }),
          { status: 400 },
        ),
      ),
    );
    chooseFile("kind,rule\nas,AS-1\n");
    expect(await screen.findByText("Line 2: “AS-1” is not an AS number.")).toBeTruthy();
  });
});

describe("audit page", () => {
  const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
    id,
    action: "rule.add",
    userId: "user_1",
    email: "owner@acme.test",
    detail: { kind: "as", rule: `AS${id}`, comment: "spam" },
    createdAt: "2026-01-01T10:00:00.000Z",
    ...over,
  });

  it("reads who did what, newest first, and pages to older entries", async () => {
    const befores: (string | null)[] = [];
    server.use(
      http.get(url("/audit"), ({ request }) => {
        const before = new URL(request.url).searchParams.get("before");
        befores.push(before);
        return before === null
          ? HttpResponse.json({ entries: [entry(3), entry(2, { action: "policy.update", detail: {} })], next: 2 })
          : HttpResponse.json({ entries: [entry(1, { email: null, action: "rule.remove" })], next: null });
      }),
    );
    render(<AuditPage api={api} />);
    expect(await screen.findByText("added AS3 (as): “spam”")).toBeTruthy();
    expect(screen.getByText("changed the policy")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Older" }));
    expect(await screen.findByText("removed AS1 (as)")).toBeTruthy();
    expect(screen.getByText("automatic protection")).toBeTruthy();
    expect(befores).toEqual([null, "2"]);
    expect(screen.queryByRole("button", { name: "Older" })).toBeNull();
  });
});
