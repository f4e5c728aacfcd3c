// @vitest-environment happy-dom
// Where you are signed in, in Options: each session's device, address and last use, this one marked
// and not offered to end; another ended, or all others at once; owners sign a member out everywhere.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { SessionsSection } from "../../console/SessionsSection";
import { TeamSection } from "../../console/TeamSection";
import type { SignedInSession } from "../../console/types";
import { api, server, url, useMockServer } from "./setup";

useMockServer();

const LAST_SEEN = Date.UTC(2026, 11, 1, 9, 30);
const SESSIONS: SignedInSession[] = [
  { id: "s-desk", current: true, device: "Chrome on Linux", address: "192.0.2.40", lastSeen: LAST_SEEN, createdAt: 1 },
  {
    id: "s-phone",
    current: false,
    device: "Safari on iOS",
    address: "2001:db8:1:2::/64",
    lastSeen: LAST_SEEN,
    createdAt: 1,
  },
  { id: "s-old", current: false, device: null, address: null, lastSeen: null, createdAt: LAST_SEEN },
];

/** The session list as the server keeps it, each ending recorded and applied. */
function serveSessions() {
  let held = [...SESSIONS];
  const ended: string[] = [];
  server.use(
    http.get(url("/me/sessions"), () => HttpResponse.json(held)),
    http.delete(url("/me/sessions/:id"), ({ params }) => {
      ended.push(String(params.id));
      held = held.filter((session) => session.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
    http.delete(url("/me/sessions"), () => {
      ended.push("all others");
      const count = held.filter((session) => !session.current).length;
      held = held.filter((session) => session.current);
      return HttpResponse.json({ ended: count });
    }),
  );
  return ended;
}

describe("where you are signed in", () => {
  it("lists each session, this one marked and kept, and signs another out", async () => {
    const ended = serveSessions();
    render(<SessionsSection api={api} />);
    const items = await screen.findAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^Chrome on Linux · this one · 192\.0\.2\.40 · last used /),
      expect.stringMatching(/^Safari on iOS · 2001:db8:1:2::\/64 · last used .*End session$/),
      expect.stringMatching(/^An unknown browser · address unknown · last used .*End session$/),
    ]);
    expect(items[0]!.querySelector("button")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /^End session: Safari on iOS, last used / }));
    await waitFor(() => expect(screen.getAllByRole("listitem")).toHaveLength(2));
    expect(ended).toEqual(["s-phone"]);
  });

  it("signs out every other session at once, and then offers nothing more to end", async () => {
    const ended = serveSessions();
    render(<SessionsSection api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "End all other sessions" }));
    await waitFor(() => expect(screen.getAllByRole("listitem")).toHaveLength(1));
    expect(screen.queryByRole("button", { name: "End all other sessions" })).toBeNull();
    expect(ended).toEqual(["all others"]);
  });

  it("says why when the list cannot be read", async () => {
    server.use(http.get(url("/me/sessions"), () => HttpResponse.error()));
    render(<SessionsSection api={api} />);
    expect(await screen.findByText(/Hatch cannot be reached/)).toBeTruthy();
  });
});

describe("an owner", () => {
  it("signs a member out everywhere, and is told so beside them; not themselves", async () => {
    const ended: string[] = [];
    server.use(
      http.get(url("/users"), () =>
        HttpResponse.json({
          users: [
            { id: "user_1", email: "owner@acme.test", role: "owner" },
            { id: "user_2", email: "agent@acme.test", role: "agent" },
          ],
        }),
      ),
      http.get(url("/presence"), () => HttpResponse.json({ status: "online", team: [] })),
      http.delete(url("/users/:id/sessions"), ({ params }) => {
        ended.push(String(params.id));
        return HttpResponse.json({ ended: 2 });
      }),
    );
    render(<TeamSection api={api} me="user_1" />);
    await screen.findByText("agent@acme.test");
    expect(screen.queryByRole("button", { name: "End sessions of owner@acme.test" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "End sessions of agent@acme.test" }));
    expect(
      await screen.findByText("Their sessions have ended, open consoles included: they sign in again."),
    ).toBeTruthy();
    expect(ended).toEqual(["user_2"]);
  });
});
