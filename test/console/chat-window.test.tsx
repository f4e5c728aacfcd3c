// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"enableIframePageLoading":true}}
// (the widget's preview is a frame: it loads a stand-in page here, so that the test can post to it)
import { fireEvent, render, screen } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatWindowPage } from "../../console/ChatWindowPage";
import { createPolicyModel } from "../../console/models/policy-model";
import type { PolicyDocument } from "../../console/types";
import { readFixture } from "../fixtures/read";
import { api, apiError, policyDoc, server, url, useMockServer } from "./setup";

useMockServer();
// Registered after useMockServer's cleanup, so run before it: a frame still loading when the page is
// taken down would be aborted, and happy-dom would log it.
afterEach(async () => {
  for (const frame of document.querySelectorAll("iframe"))
    await vi.waitFor(() => expect(frame.contentDocument?.title).toBe("Chat preview"));
});

/** The page the widget's preview frames, here a blank one: the server's is test/server/routes/widget-preview.test.ts's. */
const previewPage = http.get(
  new URL("/console/widget-preview", url("/")).href,
  () => new HttpResponse("<!doctype html><title>Chat preview</title>", { headers: { "content-type": "text/html" } }),
);

function renderPage(doc: PolicyDocument = policyDoc()) {
  server.use(
    http.get(url("/policy"), () => HttpResponse.json(doc, { headers: { etag: `"1"` } })),
    previewPage,
  );
  const policy = createPolicyModel(api);
  void policy.load();
  return render(<ChatWindowPage api={api} policy={policy} account="acme" origin="https://chat.example" />);
}

describe("Live Chat Window", () => {
  it("shows the snippet for this account and origin", async () => {
    renderPage();
    expect(
      await screen.findByText(`<script async src="https://chat.example/loader.js" data-account="acme"></script>`),
    ).toBeTruthy();
  });

  it("sets the images-only preset and marks dangerous categories", async () => {
    let saved: unknown;
    server.use(
      http.put(url("/policy"), async ({ request }) => {
        saved = await request.json();
        return HttpResponse.json(saved as object, { headers: { etag: `"2"` } });
      }),
    );
    renderPage();
    expect(((await screen.findByLabelText(/No harmful files/)) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByLabelText(/executable/).closest("label")?.textContent).toMatch(/dangerous/);
    fireEvent.click(screen.getByLabelText(/Images only/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved as { files: unknown }).files).toEqual({ categories: ["image"], maxBytes: 10 * 1024 * 1024 });
  });

  it("saves the team avatar an owner uploads with the rest of the window's settings", async () => {
    let saved: unknown;
    let uploads = 0;
    server.use(
      http.post(url("/avatar"), () => {
        uploads++;
        return HttpResponse.json({ fileId: "file_team0123456789a" }, { status: 201 });
      }),
      http.put(url("/policy"), async ({ request }) => {
        saved = await request.json();
        return HttpResponse.json(saved as object, { headers: { etag: `"2"` } });
      }),
    );
    renderPage();
    const picker = (await screen.findByRole("group", { name: "Team avatar" })) as HTMLFieldSetElement;
    const input = picker.querySelector<HTMLInputElement>("input[type=file]")!;
    fireEvent.change(input, {
      target: { files: [new File([readFixture("fixture.png")], "team.png", { type: "image/png" })] },
    });
    // Uploaded once the picker is no longer busy: the draft names the file from then on.
    await vi.waitFor(() => expect([uploads, picker.getAttribute("aria-busy")]).toEqual([1, "false"]));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved as { window: { avatar?: string } }).window.avatar).toBe("file_team0123456789a");
  });

  it("says what the default refuses and how to take PDFs: tick document beside it", async () => {
    let saved: unknown;
    server.use(
      http.put(url("/policy"), async ({ request }) => {
        saved = await request.json();
        return HttpResponse.json(saved as object, { headers: { etag: `"2"` } });
      }),
    );
    renderPage();
    const safe = await screen.findByLabelText(/No harmful files/);
    const hint = document.getElementById(safe.getAttribute("aria-describedby") ?? "");
    expect(hint?.textContent).toMatch(/refuses documents, archives, programs, scripts.*PDFs, tick document/s);
    fireEvent.click(screen.getByLabelText(/^document/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved as { files: { categories: string[] } }).files.categories).toEqual([
      "image",
      "audio",
      "video",
      "text",
      "document",
    ]);
  });

  it("pins the widget's language, and lets it follow the browser again", async () => {
    const saved: unknown[] = [];
    server.use(
      http.put(url("/policy"), async ({ request }) => {
        saved.push(await request.json());
        return HttpResponse.json(saved.at(-1) as object, { headers: { etag: `"${saved.length + 1}"` } });
      }),
    );
    renderPage();
    const select = (await screen.findByLabelText("The chat speaks")) as HTMLSelectElement;
    expect(select.value).toBe("");
    fireEvent.change(select, { target: { value: "de" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved[0] as { window: unknown }).window).toEqual({ language: "de" });
    fireEvent.change(select, { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    expect((saved[1] as { window: unknown }).window).toEqual({});
  });

  it("takes messages while no agent is online unless told to hide the chat, keeping the pinned language", async () => {
    const saved: unknown[] = [];
    server.use(
      http.put(url("/policy"), async ({ request }) => {
        saved.push(await request.json());
        return HttpResponse.json(saved.at(-1) as object, { headers: { etag: `"${saved.length + 1}"` } });
      }),
    );
    renderPage({ ...policyDoc(), window: { language: "de" } });
    const messages = (await screen.findByLabelText(/^Take messages/)) as HTMLInputElement;
    expect(messages.checked).toBe(true);
    expect(messages.closest("fieldset")?.querySelector("legend")?.textContent).toBe("When no agent is online");
    fireEvent.click(screen.getByLabelText(/^Hide the chat/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect((saved[0] as { window: unknown }).window).toEqual({ language: "de", away: "hide" });
    fireEvent.change(screen.getByLabelText("The chat speaks"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    expect((saved[1] as { window: unknown }).window).toEqual({ away: "hide" });
    expect((screen.getByLabelText(/^Hide the chat/) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText(/^Take messages/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(saved).toHaveLength(3));
    expect((saved[2] as { window: unknown }).window).toEqual({ away: "messages" });
  });

  it("shows a bad size limit next to the field and will not save", async () => {
    renderPage();
    fireEvent.input(await screen.findByLabelText("Size limit (MB)"), { target: { value: "500" } });
    expect(await screen.findByText("The limit can be at most 100 MB.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("on a 412 offers to reload", async () => {
    server.use(http.put(url("/policy"), () => HttpResponse.json(apiError("stale", "stale"), { status: 412 })));
    renderPage();
    fireEvent.click(await screen.findByLabelText(/All files/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("button", { name: /keep my changes/ })).toBeTruthy();
  });
});

/** Answers every policy save with what was sent, and keeps each save's `window`. */
function recordWindowSaves() {
  const windows: unknown[] = [];
  server.use(
    http.put(url("/policy"), async ({ request }) => {
      const body = (await request.json()) as PolicyDocument;
      windows.push(body.window);
      return HttpResponse.json(body, { headers: { etag: `"${windows.length + 1}"` } });
    }),
  );
  return windows;
}

/** Saves the page and waits for the `count`th save to arrive. */
async function save(windows: unknown[], count: number) {
  fireEvent.click(screen.getByRole("button", { name: "Save" }));
  await vi.waitFor(() => expect(windows).toHaveLength(count));
  return windows[count - 1];
}

const typeInto = (label: string | RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe("Live Chat Window's appearance", () => {
  it("keeps the accent's picker and hex code in step, and saves it", async () => {
    const windows = recordWindowSaves();
    renderPage();
    const hex = (await screen.findByLabelText("Accent colour")) as HTMLInputElement;
    const picker = screen.getByLabelText("Pick the accent colour") as HTMLInputElement;
    expect([hex.value, picker.value]).toEqual(["#0b57d0", "#0b57d0"]);
    fireEvent.input(picker, { target: { value: "#8e24aa" } });
    expect(hex.value).toBe("#8e24aa");
    expect(await save(windows, 1)).toEqual({ accent: "#8e24aa" });
    typeInto("Accent colour", "#FFD600");
    expect(picker.value).toBe("#ffd600");
    expect(await save(windows, 2)).toEqual({ accent: "#FFD600" });
  });

  it.each([
    ["#777777", "white text, the better of the two, reaches only 4.5:1"],
    ["#e91e63", "white text, the better of the two, reaches only 4.3:1"],
  ])("warns that text on %s is hard to read", async (accent, warning) => {
    renderPage({ ...policyDoc(), window: { accent: "#0b57d0" } });
    await screen.findByLabelText("Accent colour");
    expect(screen.queryByText(/Hard to read/)).toBeNull();
    typeInto("Accent colour", accent);
    const shown = screen.getByText(/Hard to read/);
    expect(shown.textContent).toContain(warning);
    expect(shown.getAttribute("role")).toBe("status");
    expect(screen.getByLabelText("Accent colour").getAttribute("aria-describedby")).toContain(shown.id);
    typeInto("Accent colour", "#ffd600");
    expect(screen.queryByText(/Hard to read/)).toBeNull();
  });

  it("puts the button bottom left at the owner's distance from the corner", async () => {
    const windows = recordWindowSaves();
    renderPage({ ...policyDoc(), window: { away: "hide" } });
    expect(((await screen.findByLabelText("Bottom right")) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("From the side (px)") as HTMLInputElement).value).toBe("16");
    fireEvent.click(screen.getByLabelText("Bottom left"));
    typeInto("From the side (px)", "24");
    typeInto("From the bottom (px)", "40");
    expect(await save(windows, 1)).toEqual({ away: "hide", position: "left", offset: [24, 40] });
    typeInto("From the side (px)", "");
    fireEvent.click(screen.getByLabelText("Bottom right"));
    expect(await save(windows, 2)).toEqual({ away: "hide", position: "right", offset: [16, 40] });
  });

  it("shows the owner's label on the button, or the icon only", async () => {
    const windows = recordWindowSaves();
    renderPage();
    const iconOnly = (await screen.findByLabelText("Icon only")) as HTMLInputElement;
    expect(iconOnly.checked).toBe(true);
    expect(screen.queryByLabelText("Button label")).toBeNull();
    fireEvent.click(iconOnly);
    expect((screen.getByLabelText("Button label") as HTMLInputElement).value).toBe("Chat with us");
    typeInto("Button label", "Questions?");
    expect(await save(windows, 1)).toEqual({ label: "Questions?" });
    fireEvent.click(screen.getByLabelText("Icon only"));
    expect(await save(windows, 2)).toEqual({ label: null });
  });

  it("saves the greeting and the team's name, and leaves them out when emptied", async () => {
    const windows = recordWindowSaves();
    renderPage();
    await screen.findByLabelText("Greeting");
    typeInto("Greeting", "Hello!\nWe answer within minutes.");
    typeInto("Team name", "Acme Support");
    expect(await save(windows, 1)).toEqual({ greeting: "Hello!\nWe answer within minutes.", teamName: "Acme Support" });
    typeInto("Greeting", "");
    typeInto("Team name", "");
    expect(await save(windows, 2)).toEqual({});
  });

  it("follows the visitor's device unless the owner forces a colour scheme", async () => {
    const windows = recordWindowSaves();
    renderPage();
    expect(((await screen.findByLabelText("Match the visitor's device")) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText("Dark"));
    expect(await save(windows, 1)).toEqual({ scheme: "dark" });
    fireEvent.click(screen.getByLabelText("Match the visitor's device"));
    expect(await save(windows, 2)).toEqual({ scheme: "auto" });
  });

  it("shows the server's refusal beside the field it names", async () => {
    server.use(
      http.put(url("/policy"), () =>
        HttpResponse.json(
          apiError("bad_request", "The policy is not valid.", {
            "window.accent": "Accent colour is a hex colour like #0b57d0.",
          }),
          { status: 400 },
        ),
      ),
    );
    renderPage();
    await screen.findByLabelText("Accent colour");
    typeInto("Accent colour", "red");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const error = await screen.findByText("Accent colour is a hex colour like #0b57d0.");
    expect(error.id).toBe("window-accent-error");
    expect(screen.getByLabelText("Accent colour").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Not saved: fix the marked fields.")).toBeTruthy();
  });

  it("draws the real widget in a frame, sending it each change of the look", async () => {
    renderPage({ ...policyDoc(), window: { language: "de" } });
    const frame = (await screen.findByTitle("Preview of the chat on your site")) as HTMLIFrameElement;
    expect(frame.getAttribute("src")).toBe("/console/widget-preview");
    expect(frame.inert).toBe(true);
    const posted = vi.spyOn(frame.contentWindow!, "postMessage");
    fireEvent.load(frame);
    expect(posted).toHaveBeenLastCalledWith(
      { config: { language: "de" }, open: true, account: "acme" },
      location.origin,
    );
    typeInto("Accent colour", "#ffd6");
    typeInto("Accent colour", "#ffd600");
    fireEvent.click(screen.getByLabelText("Panel open"));
    await vi.waitFor(() =>
      expect(posted).toHaveBeenLastCalledWith(
        { config: { accent: "#ffd600", onAccent: "#111111", language: "de" }, open: false, account: "acme" },
        location.origin,
      ),
    );
    // A half-typed colour is never sent: the preview keeps to colours it can draw.
    expect(
      posted.mock.calls.map(([message]) => (message as { config: { accent?: string } }).config.accent),
    ).not.toContain("#ffd6");
    fireEvent.click(screen.getByLabelText(/On a phone/));
    expect(frame.className).toBe("phone");
  });
});

describe("Privacy", () => {
  /** Saves the page and answers the document sent. */
  async function saved(): Promise<PolicyDocument> {
    let sent: unknown;
    server.use(
      http.put(url("/policy"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(sent as object, { headers: { etag: `"2"` } });
      }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    return sent as PolicyDocument;
  }

  it("says closed chats are kept until set, and sends the clocks, what agents see and the notice", async () => {
    renderPage();
    const deleteAfter = (await screen.findByLabelText("Delete closed chats after (days)")) as HTMLInputElement;
    expect(deleteAfter.value).toBe("");
    expect(screen.getByText(/closed chats, their messages and files are kept until you erase them/)).toBeTruthy();
    expect((screen.getByLabelText("Keep visitor addresses in full for (days)") as HTMLInputElement).value).toBe("30");
    fireEvent.input(deleteAfter, { target: { value: "90" } });
    expect(screen.getByText(/deleted 90 days after they close/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Visitor addresses agents see"), { target: { value: "network" } });
    fireEvent.input(screen.getByLabelText("Privacy notice text"), {
      target: { value: "We keep this chat for 90 days." },
    });
    fireEvent.input(screen.getByLabelText("Privacy policy link"), {
      target: { value: "https://shop.example/privacy" },
    });
    fireEvent.click(screen.getByLabelText(/Visitors must agree before chatting/));
    const doc = await saved();
    expect(doc.retention).toEqual({ deleteClosedChatsAfterDays: 90 });
    expect(doc.agentsSeeAddresses).toBe("network");
    expect(doc.window?.privacy).toEqual({
      text: "We keep this chat for 90 days.",
      url: "https://shop.example/privacy",
      requireConsent: true,
      version: 1,
    });
  });

  it("sends no notice once its words and link are emptied, and empty clocks as never", async () => {
    renderPage({ ...policyDoc(), window: { privacy: { text: "Old words", version: 3 } } });
    const text = await screen.findByLabelText("Privacy notice text");
    fireEvent.input(text, { target: { value: "" } });
    fireEvent.input(screen.getByLabelText("Keep visitor addresses in full for (days)"), { target: { value: "" } });
    const doc = await saved();
    expect(doc.window?.privacy).toBeUndefined();
    expect(doc.retention).toEqual({ anonymizeAddressesAfterDays: null });
  });

  it("shows the server's refusal of a clock beside it", async () => {
    server.use(
      http.put(url("/policy"), () =>
        HttpResponse.json(
          apiError("invalid", "Delete closed chats after (days) is at least 1.", {
            "retention.deleteClosedChatsAfterDays": "Delete closed chats after (days) is at least 1.",
          }),
          { status: 400 },
        ),
      ),
    );
    renderPage();
    fireEvent.input(await screen.findByLabelText("Delete closed chats after (days)"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const field = screen.getByLabelText("Delete closed chats after (days)");
    await screen.findByText("Delete closed chats after (days) is at least 1.");
    expect(field.getAttribute("aria-invalid")).toBe("true");
  });
});
