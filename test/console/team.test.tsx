// @vitest-environment happy-dom
// The team in the console: owners change a member's role, remove them (confirmed in place), and make
// a one-time link to hand over; every user changes their own password; the link's page sets one.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PasswordForm } from "../../console/PasswordForm";
import { ResetPasswordPage } from "../../console/ResetPasswordPage";
import { TeamSection } from "../../console/TeamSection";
import type { TeamUser } from "../../console/types";
import { api, apiError, seen, server, url, useMockServer } from "./setup";

useMockServer();

const USERS: TeamUser[] = [
  { id: "user_1", email: "owner@acme.test", role: "owner" },
  { id: "user_2", email: "ana@acme.test", role: "agent" },
];

function renderTeam() {
  server.use(
    http.get(url("/users"), () => HttpResponse.json({ users: USERS })),
    http.get(url("/presence"), () => HttpResponse.json({ status: "online", team: [] })),
  );
  return render(<TeamSection api={api} me="user_1" />);
}

const member = async (email: string) => (await screen.findByText(new RegExp(`^${email}`))).closest("li") as HTMLElement;

describe("the team, for owners", () => {
  it("changes a member's role", async () => {
    let sent: unknown;
    server.use(
      http.patch(url("/users/user_2"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ ...USERS[1], role: "owner" });
      }),
    );
    renderTeam();
    const role = within(await member("ana@acme.test")).getByLabelText("Role of ana@acme.test") as HTMLSelectElement;
    fireEvent.change(role, { target: { value: "owner" } });
    await waitFor(() => expect(sent).toEqual({ role: "owner" }));
    expect(role.value).toBe("owner");
  });

  it("says beside the member why a change was refused, and shows the role they keep", async () => {
    server.use(
      http.patch(url("/users/user_1"), () =>
        HttpResponse.json(
          apiError("last_owner", "This is the account's last owner: make someone else an owner first."),
          {
            status: 409,
          },
        ),
      ),
    );
    renderTeam();
    const mine = await member("owner@acme.test");
    expect(mine.textContent).toContain("owner@acme.test (you)");
    const role = within(mine).getByLabelText("Role of owner@acme.test") as HTMLSelectElement;
    fireEvent.change(role, { target: { value: "agent" } });
    expect(await within(mine).findByText(/last owner: make someone else an owner first/)).toBeTruthy();
    expect(role.value).toBe("owner");
  });

  it("removes a member only once confirmed, and takes them off the list", async () => {
    server.use(http.delete(url("/users/user_2"), () => new HttpResponse(null, { status: 204 })));
    renderTeam();
    const ana = await member("ana@acme.test");
    fireEvent.click(within(ana).getByRole("button", { name: "Remove…" }));
    expect(within(ana).getByText(/Their sessions end at once/)).toBeTruthy();
    fireEvent.click(within(ana).getByRole("button", { name: "Keep" }));
    expect(seen.filter((line) => line.startsWith("DELETE"))).toEqual([]);
    fireEvent.click(within(ana).getByRole("button", { name: "Remove…" }));
    fireEvent.click(within(ana).getByRole("button", { name: "Remove ana@acme.test" }));
    await waitFor(() => expect(screen.queryByText(/^ana@acme.test/)).toBeNull());
    expect(seen).toContain("DELETE /api/v1/console/users/user_2");
  });

  it("shows the one-time link to hand over, beside the member it is for", async () => {
    const link = "https://chat.example/console/#/reset/TOKEN123";
    server.use(http.post(url("/users/user_2/reset"), () => HttpResponse.json({ link }, { status: 201 })));
    renderTeam();
    const ana = await member("ana@acme.test");
    fireEvent.click(within(ana).getByRole("button", { name: "Password reset link" }));
    const field = (await within(ana).findByLabelText(
      "Link for ana@acme.test to set a new password",
    )) as HTMLInputElement;
    expect(field.value).toBe(link);
    expect(field.readOnly).toBe(true);
    expect(within(ana).getByText(/works once, for 24 hours/)).toBeTruthy();
  });

  it("says the link was mailed, and shows none, when the server sends mail", async () => {
    server.use(http.post(url("/users/user_2/reset"), () => HttpResponse.json({ mailed: true }, { status: 201 })));
    renderTeam();
    const ana = await member("ana@acme.test");
    fireEvent.click(within(ana).getByRole("button", { name: "Password reset link" }));
    expect(await within(ana).findByText(/Mailed ana@acme.test a link to set a new password/)).toBeTruthy();
    expect(within(ana).queryByLabelText("Link for ana@acme.test to set a new password")).toBeNull();
  });
});

describe("a user's own password", () => {
  it("shows a wrong current password beside its field, and a change made", async () => {
    let attempts = 0;
    server.use(
      http.post(url("/me/password"), () =>
        ++attempts === 1
          ? HttpResponse.json(
              apiError("invalid", "current: That is not your current password.", {
                current: "That is not your current password.",
              }),
              { status: 400 },
            )
          : new HttpResponse(null, { status: 204 }),
      ),
    );
    render(<PasswordForm api={api} />);
    fireEvent.input(screen.getByLabelText("Current password"), { target: { value: "wrong one here" } });
    fireEvent.input(screen.getByLabelText("New password"), { target: { value: "a new password here" } });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    const error = await screen.findByText("That is not your current password.");
    expect(screen.getByLabelText("Current password").getAttribute("aria-describedby")).toContain(error.id);
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText(/Password changed. Your other sessions have ended./)).toBeTruthy();
    expect((screen.getByLabelText("New password") as HTMLInputElement).value).toBe("");
  });
});

describe("the password-reset link's page", () => {
  it("sends the link's token with the new password, and then offers to sign in", async () => {
    let sent: unknown;
    let signedIn = false;
    server.use(
      http.post(url("/password-reset"), async ({ request }) => {
        sent = await request.json();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    render(<ResetPasswordPage api={api} token="TOKEN123" onDone={() => (signedIn = true)} />);
    fireEvent.input(screen.getByLabelText("New password"), { target: { value: "a new password here" } });
    fireEvent.click(screen.getByRole("button", { name: "Set password" }));
    fireEvent.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(sent).toEqual({ token: "TOKEN123", password: "a new password here" });
    expect(signedIn).toBe(true);
  });

  it("says what to do when the link is used or expired", async () => {
    server.use(
      http.post(url("/password-reset"), () =>
        HttpResponse.json(
          apiError("reset_link_used", "This link is used, expired or replaced: ask an owner for a new one."),
          {
            status: 403,
          },
        ),
      ),
    );
    render(<ResetPasswordPage api={api} token="OLD" onDone={() => {}} />);
    fireEvent.input(screen.getByLabelText("New password"), { target: { value: "a new password here" } });
    fireEvent.click(screen.getByRole("button", { name: "Set password" }));
    expect(await screen.findByText(/ask an owner for a new one/)).toBeTruthy();
  });
});
