// @vitest-environment happy-dom
// Two-factor sign-in in the console: the sign-in form asks for the code once the server says the
// password was right, and sends it; Options enrols a phone (the QR code from the console's origin, the
// key to type), shows the ten backup codes once, and turns it off with a code.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createPresenceModel } from "../../console/models/presence-model";
import { createSessionModel } from "../../console/models/session-model";
import { OptionsPage } from "../../console/OptionsPage";
import { SignInPage } from "../../console/SignInPage";
import type { Me } from "../../console/types";
import { agent, api, apiError, server, url, useMockServer } from "./setup";

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

/** Options as `me` sees them, with two-factor's routes recording what they were sent. */
async function renderOptions(me: Me) {
  const sent: string[] = [];
  server.use(
    http.get(url("/me"), () => HttpResponse.json(me)),
    http.get(url("/presence"), () => HttpResponse.json({ status: "online", team: [] })),
    http.post(url("/me/two-factor"), () =>
      HttpResponse.json({
        secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        otpauthUrl: "otpauth://totp/x",
        qrSvg: "<svg/>",
      }),
    ),
    http.post(url("/me/two-factor/confirm"), async ({ request }) => {
      const { code } = (await request.json()) as { code: string };
      sent.push(`confirm ${code}`);
      return code === "123456" ? HttpResponse.json({ backupCodes: BACKUP_CODES }) : wrongCode();
    }),
    http.delete(url("/me/two-factor"), async ({ request }) => {
      const { code } = (await request.json()) as { code: string };
      sent.push(`off ${code}`);
      return code === "abcd-efa2" ? new HttpResponse(null, { status: 204 }) : wrongCode();
    }),
  );
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
    expect(session.me.value?.twoFactor).toEqual({ enabled: true, backupCodesLeft: 10 });
    expect(sent).toEqual(["confirm 000000", "confirm 123456"]);

    // Once put away, the codes are gone from the page for good.
    fireEvent.click(screen.getByRole("button", { name: "I have kept them" }));
    expect(screen.queryByRole("list", { name: "Backup codes" })).toBeNull();
    expect(section.textContent).toContain("10 backup codes left.");
  });

  it("turns it off with a backup code, and says so beside the field when the code is wrong", async () => {
    const { sent, session } = await renderOptions({ ...agent, twoFactor: { enabled: true, backupCodesLeft: 10 } });
    const field = await screen.findByLabelText("Code to turn it off");
    fireEvent.input(field, { target: { value: "999999" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(await screen.findByText("That code is not the one your app shows now.")).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    fireEvent.input(field, { target: { value: "abcd-efa2" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(await screen.findByRole("button", { name: "Set up two-factor sign-in" })).toBeTruthy();
    expect(session.me.value?.twoFactor.enabled).toBe(false);
    expect(sent).toEqual(["off 999999", "off abcd-efa2"]);
  });
});
