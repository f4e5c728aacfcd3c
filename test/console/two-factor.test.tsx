// @vitest-environment happy-dom
// Two-factor sign-in in the console: the sign-in form asks for the code once the server says the
// password was right, and sends it; Options enrols a phone (the QR code from the console's origin, the
// key to type), shows the ten backup codes once, and turns it off with a code.

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createPresenceModel } from "../../console/models/presence-model";
import { createSessionModel } from "../../console/models/session-model";
import { OptionsPage } from "../../console/OptionsPage";
import { SignInPage } from "../../console/SignInPage";
import type { Me } from "../../console/types";
import { agent, api, apiError, owner, policyDoc, seen, server, url, useMockServer } from "./setup";
import { drawApp } from "./draw-app";

useMockServer();

const BACKUP_CODES = Array.from({ length: 10 }, (_, i) => `abcd-ef${String.fromCharCode(97 + i)}${i + 2}`);
const wrongCode = () =>
  HttpResponse.json(apiError("invalid", "code: wrong", { code: "That code is not the one your app shows now." }), {
    status: 400,
  });

describe("signing in with two-factor on", () => {
  it("asks for the code after a right password, focused, and signs in with it", async () => {
    const sent: Record<string, string>[] = [];
    server.use(
      http.post(url("/session"), async ({ request }) => {
        const body = (await request.json()) as Record<string, string>;
        sent.push(body);
        if (body.code === undefined)
          return HttpResponse.json(apiError("two_factor_required", "Enter the code."), { status: 401 });
        if (body.code !== "123456")
          return HttpResponse.json(apiError("bad_code", "That code is wrong or was used already."), { status: 401 });
        return HttpResponse.json(agent);
      }),
    );
    const session = createSessionModel(api);
    render(<SignInPage session={session} />);
    expect(screen.queryByLabelText("Code from your authenticator app")).toBeNull();
    fireEvent.input(screen.getByLabelText("Account"), { target: { value: "acme" } });
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "agent@acme.test" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "the right password" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const code = (await screen.findByLabelText("Code from your authenticator app")) as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(code));
    expect(code.autocomplete).toBe("one-time-code");
    // Asked, not refused: no error is shown for it.
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByText("Enter the code.")).toBeNull();

    fireEvent.input(code, { target: { value: "654321" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("That code is wrong or was used already.")).toBeTruthy();
    fireEvent.input(code, { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(session.state.value).toBe("signed-in"));
    expect(sent.map((body) => body.code)).toEqual([undefined, "654321", "123456"]);
    expect(sent[2]).toMatchObject({ account: "acme", email: "agent@acme.test", password: "the right password" });
  });
});

/** The server as `me` finds it, its two-factor routes recording what they were sent. */
function serveTwoFactor(me: Me): string[] {
  const sent: string[] = [];
  server.use(
    http.get(url("/me"), () => HttpResponse.json(me)),
    http.get(url("/presence"), () => HttpResponse.json({ status: "online", team: [] })),
    http.post(url("/me/two-factor"), async ({ request }) => {
      const { password } = (await request.json()) as { password: string };
      sent.push(`start ${password}`);
      if (password !== "my password")
        return HttpResponse.json(
          apiError("invalid", "password: wrong", { password: "That is not your current password." }),
          { status: 400 },
        );
      return HttpResponse.json({ secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", otpauthUrl: "otpauth://totp/x" });
    }),
    http.post(url("/me/two-factor/confirm"), async ({ request }) => {
      const { code } = (await request.json()) as { code: string };
      sent.push(`confirm ${code}`);
      return code === "123456" ? HttpResponse.json({ backupCodes: BACKUP_CODES }) : wrongCode();
    }),
    http.delete(url("/me/two-factor"), async ({ request }) => {
      const { code, password } = (await request.json()) as { code: string; password: string };
      sent.push(`off ${code} ${password}`);
      return code === "abcd-efa2" ? new HttpResponse(null, { status: 204 }) : wrongCode();
    }),
  );
  return sent;
}

/** Options as `me` sees them. */
async function renderOptions(me: Me) {
  const sent = serveTwoFactor(me);
  const session = createSessionModel(api);
  await session.load();
  render(<OptionsPage api={api} session={session} presence={createPresenceModel(api, localStorage)} />);
  return { sent, session };
}

describe("two-factor sign-in in Options", () => {
  it("enrols a phone by its QR code or key, confirmed by a code, and shows the backup codes once", async () => {
    const { sent, session } = await renderOptions(agent);
    const section = await screen.findByRole("region", { name: "Two-factor sign-in" });
    expect(section.textContent).toContain("Off: your password alone signs you in.");
    // The password first: a session left open must not enrol a phone of someone else's.
    fireEvent.input(screen.getByLabelText("Password, to confirm it is you"), { target: { value: "a guess" } });
    fireEvent.click(screen.getByRole("button", { name: "Set up two-factor sign-in" }));
    expect(await screen.findByText("That is not your current password.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("Password, to confirm it is you"), { target: { value: "my password" } });
    fireEvent.click(screen.getByRole("button", { name: "Set up two-factor sign-in" }));
    const qr = (await screen.findByAltText("QR code to scan with your authenticator app")) as HTMLImageElement;
    expect(new URL(qr.src).pathname).toBe("/api/v1/console/me/two-factor/qr.svg");
    expect(section.querySelector(".two-factor-key")!.textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");

    fireEvent.input(screen.getByLabelText("Code your app shows"), { target: { value: "000000" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn on two-factor sign-in" }));
    expect(await screen.findByText("That code is not the one your app shows now.")).toBeTruthy();
    expect(session.me.value?.twoFactor.enabled).toBe(false);

    fireEvent.input(screen.getByLabelText("Code your app shows"), { target: { value: " 123456 " } });
    fireEvent.click(screen.getByRole("button", { name: "Turn on two-factor sign-in" }));
    const codes = await screen.findByRole("list", { name: "Backup codes" });
    expect([...codes.querySelectorAll("li")].map((item) => item.textContent)).toEqual(BACKUP_CODES);
    expect(sent).toEqual(["start a guess", "start my password", "confirm 000000", "confirm 123456"]);
    // The session learns it is on once the codes are put away, which leaves them gone from the page for good.
    expect(session.me.value?.twoFactor.enabled).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "I have kept them" }));
    expect(session.me.value?.twoFactor).toEqual({ enabled: true, backupCodesLeft: 10, required: false });
    expect(screen.queryByRole("list", { name: "Backup codes" })).toBeNull();
    expect(section.textContent).toContain("10 backup codes left.");
  });

  it("turns it off with a backup code, and says so beside the field when the code is wrong", async () => {
    const { sent, session } = await renderOptions({
      ...agent,
      twoFactor: { enabled: true, backupCodesLeft: 10, required: false },
    });
    const field = await screen.findByLabelText("Code to turn it off");
    fireEvent.input(screen.getByLabelText("Password, to confirm it is you"), { target: { value: "my password" } });
    fireEvent.input(field, { target: { value: "999999" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(await screen.findByText("That code is not the one your app shows now.")).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    fireEvent.input(field, { target: { value: "abcd-efa2" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(await screen.findByRole("button", { name: "Set up two-factor sign-in" })).toBeTruthy();
    expect(session.me.value?.twoFactor.enabled).toBe(false);
    expect(sent).toEqual(["off 999999 my password", "off abcd-efa2 my password"]);
  });
});

describe("a member whose account requires two-factor sign-in", () => {
  it("sees only its enrolment, asks nothing else of the server, and gets the console once the codes are kept", async () => {
    const me: Me = { ...agent, twoFactor: { enabled: false, backupCodesLeft: 0, required: true } };
    serveTwoFactor(me);
    server.use(
      http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })),
      http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
    );
    seen.length = 0;
    drawApp({ page: "chats", id: null });
    expect(await screen.findByRole("heading", { name: "Set up two-factor sign-in", level: 1 })).toBeTruthy();
    expect(screen.getByText(/The owners of acme require two-factor sign-in/)).toBeTruthy();
    expect(screen.queryByRole("navigation", { name: "Console" })).toBeNull();

    fireEvent.input(screen.getByLabelText("Password, to confirm it is you"), { target: { value: "my password" } });
    fireEvent.click(screen.getByRole("button", { name: "Set up two-factor sign-in" }));
    fireEvent.input(await screen.findByLabelText("Code your app shows"), { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn on two-factor sign-in" }));
    fireEvent.click(await screen.findByRole("button", { name: "I have kept them" }));
    expect(await screen.findByRole("navigation", { name: "Console" })).toBeTruthy();
    // Until then the console asked the server only what enrolment needs.
    const beforeConsole = seen.slice(0, seen.indexOf("POST /api/v1/console/me/two-factor/confirm") + 1);
    expect(beforeConsole).toEqual([
      "GET /api/v1/console/me",
      "POST /api/v1/console/me/two-factor",
      "POST /api/v1/console/me/two-factor/confirm",
    ]);
  });
});

describe("an owner's requirement of two-factor sign-in", () => {
  const LABEL = "Require two-factor sign-in of everyone on the team";

  it("is offered only once the owner has it on, and saved as requireTwoFactor", async () => {
    const sent: unknown[] = [];
    server.use(
      http.get(url("/users"), () => HttpResponse.json({ users: [] })),
      http.patch(url("/account"), async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json({ requireTwoFactor: true });
      }),
    );
    await renderOptions(owner);
    const box = (await screen.findByLabelText(LABEL)) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(screen.getByText("Turn on two-factor sign-in for yourself first.")).toBeTruthy();
    cleanup();

    const { session } = await renderOptions({
      ...owner,
      twoFactor: { enabled: true, backupCodesLeft: 9, required: false },
    });
    const enabled = (await screen.findByLabelText(LABEL)) as HTMLInputElement;
    expect(enabled.disabled).toBe(false);
    fireEvent.click(enabled);
    await waitFor(() => expect(session.me.value?.twoFactor.required).toBe(true));
    expect(sent).toEqual([{ requireTwoFactor: true }]);
  });

  it("is not offered to agents", async () => {
    await renderOptions({ ...agent, twoFactor: { enabled: true, backupCodesLeft: 9, required: false } });
    await screen.findByRole("region", { name: "Two-factor sign-in" });
    expect(screen.queryByLabelText(LABEL)).toBeNull();
  });
});
