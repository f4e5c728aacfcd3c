// @vitest-environment happy-dom
// The Mail option: each user chooses whether each offline message is mailed to them, saved at once; a
// server without SMTP_URL shows the choice but says it sends no mail.
import { render, screen, waitFor, fireEvent } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createPresenceModel } from "../../console/models/presence-model";
import { createSessionModel } from "../../console/models/session-model";
import { OptionsPage } from "../../console/OptionsPage";
import type { Me } from "../../console/types";
import { agent, api, apiError, owner, server, url, useMockServer } from "./setup";

useMockServer();

const LABEL = "Mail me each offline message";
const NO_MAIL = "This server sends no mail: the operator sets SMTP_URL to turn it on.";

/** Options as `me` sees them; PATCH /me/options answers with the options and the change, recording each body. */
async function renderOptions(me: Me) {
  const sent: unknown[] = [];
  server.use(
    http.get(url("/me"), () => HttpResponse.json(me)),
    http.get(url("/users"), () => HttpResponse.json({ users: [] })),
    http.get(url("/presence"), () => HttpResponse.json({ status: "online", team: [] })),
    http.patch(url("/me/options"), async ({ request }) => {
      const body = (await request.json()) as Partial<Me["options"]>;
      sent.push(body);
      return HttpResponse.json({ ...me.options, ...body });
    }),
  );
  const session = createSessionModel(api);
  await session.load();
  render(<OptionsPage api={api} session={session} presence={createPresenceModel(api, localStorage)} />);
  return { sent, session };
}

describe("the Mail option", () => {
  it.each([
    ["an owner's", owner, true],
    ["an agent's", agent, false],
  ])("shows %s choice as the server gives it", async (_who, me, on) => {
    await renderOptions(me);
    expect(await screen.findByRole("heading", { name: "Mail", level: 2 })).toBeTruthy();
    expect((screen.getByLabelText(LABEL) as HTMLInputElement).checked).toBe(on);
  });

  it("saves the switch as mail.offlineMessages, and keeps what the server answers", async () => {
    const { sent, session } = await renderOptions(agent);
    const box = (await screen.findByLabelText(LABEL)) as HTMLInputElement;
    fireEvent.click(box);
    await waitFor(() =>
      expect(sent).toEqual([{ mail: { offlineMessages: true, unansweredMinutes: null, digest: false } }]),
    );
    await waitFor(() => expect(box.checked).toBe(true));
    expect(session.me.value?.options.mail).toEqual({ offlineMessages: true, unansweredMinutes: null, digest: false });
    expect(session.me.value?.options.sound).toBe(true);
  });

  it("puts the switch back, and says why, when the server refuses it", async () => {
    await renderOptions(owner);
    server.use(
      http.patch(url("/me/options"), () =>
        HttpResponse.json(apiError("unavailable", "Options cannot be saved right now."), { status: 503 }),
      ),
    );
    const box = (await screen.findByLabelText(LABEL)) as HTMLInputElement;
    fireEvent.click(box);
    expect(await screen.findByText("Options cannot be saved right now.")).toBeTruthy();
    expect(box.checked).toBe(true);
  });

  it("is shown but cannot be changed when the server sends no mail, and says how to turn mail on", async () => {
    const { sent } = await renderOptions({ ...owner, mailConfigured: false });
    const box = (await screen.findByLabelText(LABEL)) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    const line = screen.getByText(NO_MAIL);
    expect(box.getAttribute("aria-describedby")).toBe(line.id);
    fireEvent.click(box);
    expect(sent).toEqual([]);
  });

  it("says nothing of SMTP_URL when the server sends mail", async () => {
    await renderOptions(owner);
    expect((await screen.findByLabelText(LABEL)) as HTMLInputElement).toHaveProperty("disabled", false);
    expect(screen.queryByText(NO_MAIL)).toBeNull();
  });
});

describe("the other mail choices", () => {
  it("saves the minutes after which an unanswered chat request is mailed, and Never as null", async () => {
    const { sent } = await renderOptions(agent);
    const select = (await screen.findByLabelText("Mail me when a chat request waits unanswered")) as HTMLSelectElement;
    expect(select.value).toBe("");
    fireEvent.change(select, { target: { value: "5" } });
    await waitFor(() =>
      expect(sent.at(-1)).toEqual({ mail: { offlineMessages: false, unansweredMinutes: 5, digest: false } }),
    );
    fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(sent.at(-1)).toMatchObject({ mail: { unansweredMinutes: null } }));
  });

  it("offers the daily digest to owners only, and saves it", async () => {
    const { sent } = await renderOptions(owner);
    const digest = (await screen.findByLabelText("Mail me a daily digest of automatic bans")) as HTMLInputElement;
    fireEvent.click(digest);
    await waitFor(() => expect(sent.at(-1)).toMatchObject({ mail: { digest: true } }));
  });

  it("has no digest for an agent", async () => {
    await renderOptions(agent);
    await screen.findByLabelText(LABEL);
    expect(screen.queryByLabelText("Mail me a daily digest of automatic bans")).toBeNull();
  });
});
