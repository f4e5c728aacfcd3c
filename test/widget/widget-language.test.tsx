// @vitest-environment happy-dom
// The mounted widget in the visitor's language: German for a browser that prefers de-DE from the first
// paint, Arabic laid out right to left, the owner's pinned language over the browser's, English for a
// language the widget does not have, and file refusals, local or the server's, in the visitor's words.

import { fireEvent, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { render } from "preact";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { API, apiError, fixtureFile, visitorApi } from "./fakes";
import { chooseFile, mountWidget, type Mounted } from "./mount";

const { server, requests, reset } = visitorApi();

let host: HTMLElement;
let root: ShadowRoot;

/** Mounts the widget as the loader does, for a browser whose languages are `languages`. */
function mountFor(languages: string[], pinned?: string) {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(languages);
  let view: Mounted["view"];
  ({ host, root, view } = mountWidget({ language: pinned }));
  return view;
}

/** The element inside the shadow root that carries the widget's language and direction. */
const widgetRoot = () => root.querySelector("[dir]");

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  reset();
  localStorage.clear();
});
afterEach(() => {
  render(null, root);
  host.remove();
  server.resetHandlers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe("the widget's language", () => {
  it("speaks German to a browser that prefers de-DE, from the first paint", async () => {
    const view = mountFor(["de-DE", "de", "en"]);
    // Nothing is drawn in English while the German words are on their way.
    expect(view.queryByRole("button")).toBeNull();
    const button = await view.findByRole("button", { name: "Chat öffnen" });
    expect(widgetRoot()?.getAttribute("lang")).toBe("de");
    expect(widgetRoot()?.getAttribute("dir")).toBe("ltr");

    fireEvent.click(button);
    const dialog = await view.findByRole("dialog", { name: "Chatten Sie mit uns" });
    expect(button.getAttribute("aria-label")).toBe("Chat schließen");
    expect(within(dialog).getByText("Stellen Sie uns Ihre Frage: Unser Team antwortet Ihnen hier.")).toBeTruthy();
    expect(view.getByRole("log", { name: "Nachrichten" })).toBeTruthy();
    const field = view.getByLabelText("Nachricht");
    expect(field.getAttribute("placeholder")).toBe("Nachricht schreiben…");
    expect(view.getByRole("button", { name: "Senden" })).toBeTruthy();
    expect(view.getByLabelText("Datei anhängen")).toBeTruthy();

    fireEvent.input(field, { target: { value: "Hallo" } });
    fireEvent.click(view.getByRole("button", { name: "Senden" }));
    await view.findByText("Hallo", { selector: ".text" });
    expect(view.getByText("Einen Moment, gleich ist jemand für Sie da…")).toBeTruthy();
  });

  it("speaks Arabic to a browser that prefers ar, laid out right to left", async () => {
    const view = mountFor(["ar"]);
    const button = await view.findByRole("button", { name: "فتح الدردشة" });
    expect(widgetRoot()?.getAttribute("dir")).toBe("rtl");
    expect(widgetRoot()?.getAttribute("lang")).toBe("ar");
    expect(widgetRoot()?.contains(button)).toBe(true);

    fireEvent.click(button);
    const dialog = await view.findByRole("dialog", { name: "تحدّث معنا" });
    expect(widgetRoot()?.contains(dialog)).toBe(true);
    expect(view.getByLabelText("الرسالة").getAttribute("placeholder")).toBe("اكتب رسالة…");
    // The button and the panel keep to the end of the line, which right to left is the left.
    const styles = [...root.querySelectorAll("style")].map((style) => style.textContent).join("");
    expect(styles).toContain("inset-inline-end: var(--x)");
    expect(styles).not.toMatch(/\b(left|right):/);
  });

  it("speaks the owner's pinned language over the browser's", async () => {
    const view = mountFor(["de-DE", "en"], "fr");
    fireEvent.click(await view.findByRole("button", { name: "Ouvrir le chat" }));
    await view.findByRole("dialog", { name: "Discutez avec nous" });
    expect(widgetRoot()?.getAttribute("lang")).toBe("fr");
  });

  it("speaks English, at once, to a browser whose languages it does not have", async () => {
    const view = mountFor(["ko-KR", "sv"]);
    expect(view.getByRole("button", { name: "Open chat" })).toBeTruthy();
    expect(widgetRoot()?.getAttribute("lang")).toBe("en-GB");
    expect(widgetRoot()?.getAttribute("dir")).toBe("ltr");
    fireEvent.click(view.getByRole("button", { name: "Open chat" }));
    await view.findByRole("dialog", { name: "Chat with us" });
  });

  it("refuses a file in the visitor's language, before any upload", async () => {
    const view = mountFor(["de-DE"]);
    fireEvent.click(await view.findByRole("button", { name: "Chat öffnen" }));
    await view.findByRole("dialog");
    chooseFile(view, "Datei anhängen", fixtureFile("html-named-as.png"));
    await waitFor(() =>
      expect(view.getByRole("alert").textContent).toBe(
        "\u2068html-named-as.png\u2069 sieht aus wie ein Bild, enthält aber eine Webseite. In diesem Chat können nur Bilder gesendet werden.",
      ),
    );
    expect(requests).toEqual([]);
  });

  it("words the server's refusal of a file in the visitor's language", async () => {
    server.use(
      http.post(`${API}/:id/files`, () =>
        apiError(413, "too_large", "This file is larger than the 10 MB this chat accepts."),
      ),
    );
    const view = mountFor(["fr-CA"]);
    fireEvent.click(await view.findByRole("button", { name: "Ouvrir le chat" }));
    await view.findByRole("dialog");
    chooseFile(view, "Joindre un fichier", fixtureFile("fixture.png", "reçu.png"));
    await waitFor(() =>
      expect(view.getByRole("alert").textContent).toBe(
        "\u2068reçu.png\u2069\u00a0: Ce fichier dépasse la taille maximale acceptée par ce chat (10 Mo).",
      ),
    );
  });

  it("asks a Polish visitor to wait, in the right plural form", async () => {
    const view = mountFor(["pl-PL"]);
    fireEvent.click(await view.findByRole("button", { name: "Otwórz czat" }));
    await view.findByRole("dialog");
    server.use(
      http.post(`${API}/:id/messages`, () => {
        const response = apiError(429, "rate_limited", "Too many messages: try again in 25 s.");
        response.headers.set("Retry-After", "25");
        return response;
      }),
    );
    fireEvent.input(view.getByLabelText("Wiadomość"), { target: { value: "Halo" } });
    fireEvent.click(view.getByRole("button", { name: "Wyślij" }));
    await waitFor(() =>
      expect(view.getByRole("alert").textContent).toBe("Wysyłasz zbyt szybko: spróbuj ponownie za 25 sekund."),
    );
  });

  it("shows a file's size in the visitor's units", async () => {
    const view = mountFor(["ru"]);
    fireEvent.click(await view.findByRole("button", { name: "Открыть чат" }));
    await view.findByRole("dialog");
    server.use(
      http.post(`${API}/:id/files`, () =>
        HttpResponse.json(
          {
            id: 100,
            author: "visitor",
            text: "",
            file: { name: "scan.png", size: 1536, kind: "png", category: "image" },
            createdAt: "2026-01-01T12:00:00.000Z",
          },
          { status: 201 },
        ),
      ),
    );
    chooseFile(view, "Прикрепить файл", fixtureFile("fixture.png", "scan.png"));
    expect((await view.findByText("(1,5 КБ)")).closest(".message")?.textContent).toMatch(/^Вы: scan\.png \(1,5 КБ\)/);
  });
});
