// @vitest-environment happy-dom
import { fireEvent, render, screen } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { ChatWindowPage } from "../../console/ChatWindowPage";
import { createPolicyModel } from "../../console/models/policy-model";
import type { PolicyDocument } from "../../console/types";
import { api, apiError, policyDoc, server, url, useMockServer } from "./setup";

useMockServer();

function renderPage(doc: PolicyDocument = policyDoc()) {
  server.use(http.get(url("/policy"), () => HttpResponse.json(doc, { headers: { etag: `"1"` } })));
  const policy = createPolicyModel(api);
  void policy.load();
  return render(<ChatWindowPage policy={policy} account="acme" origin="https://chat.example" />);
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
