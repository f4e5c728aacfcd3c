// @vitest-environment happy-dom
// Presence in the console: the header's toggle, the automatic away, the name visitors read, and the
// team's presence for owners.
import { signal } from "@preact/signals";
import { fireEvent, render, screen } from "@testing-library/preact";
import { http, HttpResponse, type RequestHandler } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../../console/App";
import type { EventSourceFactory } from "../../console/events";
import { createChime } from "../../console/chime";
import { createNotifier } from "../../console/notifier";
import type { Route } from "../../console/router";
import type { Me, PresenceStatus, TeamMember } from "../../console/types";
import { agent, api, apiError, owner, policyDoc, server, url, useMockServer } from "./setup";
import { drawApp } from "./draw-app";

useMockServer();
afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

const MINUTE = 60_000;

/** A presence the test sets and reads: `GET` answers `status`, each `PUT` is recorded and taken. */
function presenceServer(start: PresenceStatus = "online", team: () => TeamMember[] | undefined = () => undefined) {
  const state = { status: start, puts: [] as string[], gets: 0 };
  const answer = () => HttpResponse.json({ status: state.status, ...(team() ? { team: team() } : {}) });
  server.use(
    http.get(url("/presence"), () => {
      state.gets++;
      return answer();
    }),
    http.put(url("/presence"), async ({ request }) => {
      const { status } = (await request.json()) as { status: "online" | "away" };
      state.puts.push(status);
      state.status = status;
      return answer();
    }),
  );
  return state;
}

function renderApp(me: Me, start: Route, openEvents: EventSourceFactory | null = null, ...overrides: RequestHandler[]) {
  server.use(
    http.get(url("/me"), () => HttpResponse.json(me)),
    http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })),
    http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
    http.get(url("/users"), () =>
      HttpResponse.json({
        users: [
          { id: "user_1", email: "owner@acme.test", role: "owner" },
          { id: "user_2", email: "agent@acme.test", role: "agent" },
        ],
      }),
    ),
    ...overrides,
  );
  return drawApp(start, openEvents);
}

const chats: Route = { page: "chats", id: null };
const statusSelect = async () => (await screen.findByLabelText("Status")) as HTMLSelectElement;
const move = () => fireEvent.pointerMove(document);

/** Fakes only the clocks the idle watch and the refresh use, so msw and the DOM keep real timeouts. */
const fakeClocks = () => vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });

describe("presence in the header", () => {
  it("shows the status the server has, and sends the one the user chooses", async () => {
    const presence = presenceServer("away");
    renderApp(agent, chats);
    const select = await statusSelect();
    await vi.waitFor(() => expect(select.value).toBe("away"));
    fireEvent.change(select, { target: { value: "online" } });
    await vi.waitFor(() => expect(presence.puts).toEqual(["online"]));
    expect(select.closest(".presence")?.classList.contains("presence-online")).toBe(true);
  });

  it("sets away after 10 minutes without activity, and online again at the next activity", async () => {
    fakeClocks();
    const presence = presenceServer();
    renderApp(agent, chats);
    const select = await statusSelect();
    vi.advanceTimersByTime(9 * MINUTE);
    move();
    vi.advanceTimersByTime(9 * MINUTE);
    expect(presence.puts).toEqual([]);
    vi.advanceTimersByTime(MINUTE + 15_000);
    await vi.waitFor(() => expect(presence.puts).toEqual(["away"]));
    await vi.waitFor(() => expect(select.value).toBe("away"));
    move();
    await vi.waitFor(() => expect(presence.puts).toEqual(["away", "online"]));
    await vi.waitFor(() => expect(select.value).toBe("online"));
  });

  it("ends an automatic away at the first activity after a reload", async () => {
    fakeClocks();
    const presence = presenceServer();
    const first = renderApp(agent, chats);
    await statusSelect();
    vi.advanceTimersByTime(10 * MINUTE + 15_000);
    await vi.waitFor(() => expect(presence.puts).toEqual(["away"]));
    first.unmount();
    renderApp(agent, chats);
    await vi.waitFor(async () => expect((await statusSelect()).value).toBe("away"));
    vi.advanceTimersByTime(10_000);
    move();
    await vi.waitFor(() => expect(presence.puts).toEqual(["away", "online"]));
  });

  it("keeps an away the user chose, whatever their activity, until they choose online", async () => {
    fakeClocks();
    const presence = presenceServer();
    renderApp(agent, chats);
    fireEvent.change(await statusSelect(), { target: { value: "away" } });
    await vi.waitFor(() => expect(presence.puts).toEqual(["away"]));
    for (let minute = 0; minute < 15; minute++) {
      vi.advanceTimersByTime(MINUTE);
      move();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(presence.puts).toEqual(["away"]);
    expect((await statusSelect()).value).toBe("away");
  });

  it("reads the status again once the event feed is open, as the server counts a user without one offline", async () => {
    const presence = presenceServer("offline");
    let opened = () => {};
    const openEvents = (() => ({
      addEventListener: (type: string, listener: () => void) => {
        if (type === "open") opened = listener;
      },
      close: () => {},
    })) as unknown as EventSourceFactory;
    renderApp(agent, chats, openEvents);
    const select = await statusSelect();
    await vi.waitFor(() => expect(select.value).toBe("offline"));
    expect((select.querySelector("option[value=offline]") as HTMLOptionElement).disabled).toBe(true);
    presence.status = "online";
    opened();
    await vi.waitFor(() => expect(select.value).toBe("online"));
    expect(select.querySelector("option[value=offline]")).toBeNull();
  });

  it("reads the status again when the tab is looked at, as another tab may have changed it", async () => {
    const presence = presenceServer("online");
    renderApp(agent, chats);
    const select = await statusSelect();
    await vi.waitFor(() => expect(select.value).toBe("online"));
    presence.status = "away";
    document.dispatchEvent(new Event("visibilitychange"));
    await vi.waitFor(() => expect(select.value).toBe("away"));
  });

  it("shows a refused change beside the toggle", async () => {
    presenceServer();
    renderApp(
      agent,
      chats,
      null,
      http.put(url("/presence"), () => HttpResponse.json(apiError("internal", "Try again."), { status: 500 })),
    );
    fireEvent.change(await statusSelect(), { target: { value: "away" } });
    expect((await screen.findByText("Try again.")).id).toBe("presence-error");
  });
});

describe("Options", () => {
  /** The options page with a server that takes any name it is sent, trimmed; what it was sent. */
  async function nameForm() {
    presenceServer();
    const sent: unknown[] = [];
    renderApp(
      agent,
      { page: "options" },
      null,
      http.patch(url("/me/options"), async ({ request }) => {
        const body = (await request.json()) as { displayName: string };
        sent.push(body);
        return HttpResponse.json({
          ...agent.options,
          imagePreviews: false,
          displayName: body.displayName.trim() || null,
        });
      }),
    );
    const field = (await screen.findByLabelText("Your name shown to visitors")) as HTMLInputElement;
    const save = (name: string) => {
      fireEvent.input(field, { target: { value: name } });
      fireEvent.click(screen.getByRole("button", { name: "Save name" }));
    };
    return { field, save, sent };
  }

  it("saves the name shown to visitors, saying the email is never shown, with a refusal beside the field", async () => {
    const { field, save, sent } = await nameForm();
    expect(field.value).toBe("");
    expect(screen.getByText(/Your email is never shown to visitors/).textContent).toContain("they read “an agent”");
    save("<Anna>");
    const error = await screen.findByText("A display name cannot hold < or >.");
    expect(field.getAttribute("aria-describedby")).toContain(error.id);
    save(" Anna ");
    expect(await screen.findByText("Saved.")).toBeTruthy();
    expect(field.value).toBe("Anna");
    expect(screen.queryByText("A display name cannot hold < or >.")).toBeNull();
    save("");
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    // The refused name never left the browser.
    expect(sent).toEqual([{ displayName: " Anna " }, { displayName: "" }]);
  });

  it.each([
    ["Ann\u202Etroppus", "A display name cannot hold U+202E"],
    ["Support", "names no person"],
    ["owner@acme.test", "cannot hold an email address"],
    [`a${"\u0301".repeat(39)}`, "marks on one character"],
  ])("refuses %j beside the field without sending it, as the server would", async (name, why) => {
    const { field, save, sent } = await nameForm();
    save(name);
    const error = await screen.findByText(new RegExp(why.replace(/[+]/g, "\\+")));
    expect(field.getAttribute("aria-describedby")).toContain(error.id);
    expect(sent).toEqual([]);
  });

  it("takes 21 emoji, which a browser's maxlength of 40 would have cut at 20", async () => {
    const { field, save, sent } = await nameForm();
    expect(field.maxLength).toBe(-1);
    save("\u{1F600}".repeat(21));
    expect(await screen.findByText("Saved.")).toBeTruthy();
    expect(sent).toEqual([{ displayName: "\u{1F600}".repeat(21) }]);
  });

  it("keeps the idle time in this browser and goes away after it, refusing one out of range beside the field", async () => {
    fakeClocks();
    const presence = presenceServer();
    renderApp(agent, { page: "options" });
    const field = (await screen.findByLabelText(/minutes without activity/)) as HTMLInputElement;
    expect(field.value).toBe("10");
    fireEvent.input(field, { target: { value: "0" } });
    expect(await screen.findByText("Enter whole minutes from 1 to 240.")).toBeTruthy();
    expect(localStorage.getItem("hatch.idleMinutes")).toBeNull();
    fireEvent.input(field, { target: { value: "3" } });
    await vi.waitFor(() => expect(screen.queryByText("Enter whole minutes from 1 to 240.")).toBeNull());
    expect(localStorage.getItem("hatch.idleMinutes")).toBe("3");
    await statusSelect();
    vi.advanceTimersByTime(3 * MINUTE + 15_000);
    await vi.waitFor(() => expect(presence.puts).toEqual(["away"]));
  });
});

describe("team presence", () => {
  const member = (userId: string, email: string, status: PresenceStatus, displayName: string | null = null) =>
    ({ userId, email, displayName, role: userId === "user_1" ? "owner" : "agent", status }) as TeamMember;

  it("shows owners each user's presence and name for visitors, read again every 30 seconds", async () => {
    fakeClocks();
    let agentStatus: PresenceStatus = "away";
    const presence = presenceServer("online", () => [
      member("user_1", "owner@acme.test", "online"),
      member("user_2", "agent@acme.test", agentStatus, "Anna"),
    ]);
    renderApp(owner, { page: "options" });
    const agentRow = (await screen.findByText(/agent@acme\.test/)).closest("li")!;
    /** A member's row as read: their name, presence and name for visitors, then their role. */
    const row = (li: Element) =>
      `${li.querySelector(".member-name")?.textContent}${li.querySelector(".presence")?.textContent}${
        li.querySelector(".presence ~ .muted")?.textContent ?? ""
      } · ${(li.querySelector("select") as HTMLSelectElement).value}`;
    await vi.waitFor(() => expect(row(agentRow)).toBe("agent@acme.test Away · visitors read “Anna” · agent"));
    const ownerRow = screen.getByText(/owner@acme\.test/, { selector: ".member-name" }).closest("li")!;
    expect(row(ownerRow)).toBe("owner@acme.test (you) Online · owner");
    const reads = presence.gets;
    agentStatus = "online";
    vi.advanceTimersByTime(29_000);
    expect(presence.gets).toBe(reads);
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(agentRow?.textContent).toContain("Online"));
    expect(agentRow?.querySelector(".presence-online")).toBeTruthy();
  });

  it("stops reading the team's presence once Options are left", async () => {
    fakeClocks();
    const presence = presenceServer("online", () => [member("user_1", "owner@acme.test", "online")]);
    const route = signal<Route>({ page: "options" });
    server.use(
      http.get(url("/me"), () => HttpResponse.json(owner)),
      http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })),
      http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
      http.get(url("/users"), () =>
        HttpResponse.json({ users: [{ id: "user_1", email: "owner@acme.test", role: "owner" }] }),
      ),
    );
    render(
      <App
        api={api}
        route={route}
        go={() => {}}
        openEvents={null}
        notifier={createNotifier(document, undefined)}
        chime={createChime(document, undefined)}
        origin="https://chat.example"
        storage={localStorage}
      />,
    );
    await screen.findByRole("heading", { name: "Team", level: 2 });
    await vi.waitFor(() => expect(document.querySelector(".team .presence-online")).toBeTruthy());
    route.value = chats;
    await vi.waitFor(() => expect(screen.queryByText("Team")).toBeNull());
    // Reads already on their way when Options were left are let arrive before counting: only new ones count.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reads = presence.gets;
    vi.advanceTimersByTime(2 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(presence.gets).toBe(reads);
  });
});
