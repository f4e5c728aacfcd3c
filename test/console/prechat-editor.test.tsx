// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"enableIframePageLoading":true}}
// (the widget's preview is a frame: it loads a stand-in page here, as in chat-window.test.tsx)
import { fireEvent, render, screen, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatWindowPage } from "../../console/ChatWindowPage";
import { createPolicyModel } from "../../console/models/policy-model";
import type { PolicyDocument } from "../../console/types";
import { api, apiError, policyDoc, server, url, useMockServer } from "./setup";

useMockServer();
// Registered after useMockServer's cleanup, so run before it: a frame still loading when the page is
// taken down would be aborted, and happy-dom would log it.
afterEach(async () => {
  for (const frame of document.querySelectorAll("iframe"))
    await vi.waitFor(() => expect(frame.contentDocument?.title).toBe("Chat preview"));
});

const previewPage = http.get(
  new URL("/console/widget-preview", url("/")).href,
  () => new HttpResponse("<!doctype html><title>Chat preview</title>", { headers: { "content-type": "text/html" } }),
);

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

async function renderPage(doc: PolicyDocument = policyDoc()) {
  server.use(
    http.get(url("/policy"), () => HttpResponse.json(doc, { headers: { etag: `"1"` } })),
    previewPage,
  );
  const policy = createPolicyModel(api);
  void policy.load();
  render(<ChatWindowPage api={api} policy={policy} account="acme" origin="https://chat.example" />);
  await screen.findByText("Before the chat");
}

/** Saves the page and waits for the `count`th save to arrive. */
async function save(windows: unknown[], count: number) {
  fireEvent.click(screen.getByRole("button", { name: "Save" }));
  await vi.waitFor(() => expect(windows).toHaveLength(count));
  return windows[count - 1];
}

const group = (name: string) => within(screen.getByRole("group", { name }));
const check = (box: HTMLElement) => fireEvent.click(box);
const question = (n: number) => group(`Question ${n}`);
const addQuestion = () => fireEvent.click(screen.getByRole("button", { name: "Add a question" }));

describe("Before the chat", () => {
  it("asks for the name and a required email, in that order, and saves no form once both are off", async () => {
    const windows = recordWindowSaves();
    await renderPage();
    const required = group("Email").getByLabelText("Required") as HTMLInputElement;
    expect(required.disabled).toBe(true);
    check(screen.getByLabelText("Ask for an email"));
    check(screen.getByLabelText("Ask for the visitor's name"));
    expect(required.disabled).toBe(false);
    check(required);
    expect(await save(windows, 1)).toEqual({
      prechat: {
        fields: [
          { kind: "name", required: false },
          { kind: "email", required: true },
        ],
      },
    });
    check(screen.getByLabelText("Ask for an email"));
    check(screen.getByLabelText("Ask for the visitor's name"));
    expect(await save(windows, 2)).toEqual({});
  });

  it("adds a text question and a choice with one option a line, required", async () => {
    const windows = recordWindowSaves();
    await renderPage({ ...policyDoc(), window: { language: "de" } });
    addQuestion();
    fireEvent.input(question(1).getByLabelText("Question"), { target: { value: "Order number" } });
    addQuestion();
    fireEvent.input(question(2).getByLabelText("Question"), { target: { value: "Topic" } });
    expect(question(2).queryByLabelText("Options")).toBeNull();
    check(question(2).getByLabelText(/^Choice/));
    const options = question(2).getByLabelText("Options") as HTMLTextAreaElement;
    fireEvent.input(options, { target: { value: "Billing\n" } });
    // The new line stays while it is empty, for the next option.
    expect(options.value).toBe("Billing\n");
    fireEvent.input(options, { target: { value: "Billing\n  Delivery \n\nOther" } });
    check(question(2).getByLabelText("Required"));
    expect(await save(windows, 1)).toEqual({
      language: "de",
      prechat: {
        fields: [
          { kind: "text", label: "Order number", required: false },
          { kind: "choice", label: "Topic", required: true, options: ["Billing", "Delivery", "Other"] },
        ],
      },
    });
    check(question(2).getByLabelText(/^Text/));
    expect(((await save(windows, 2)) as PolicyDocument["window"])?.prechat?.fields[1]).toEqual({
      kind: "text",
      label: "Topic",
      required: true,
    });
  });

  it("takes at most 3 questions, and removes the one asked", async () => {
    const windows = recordWindowSaves();
    await renderPage({
      ...policyDoc(),
      window: {
        prechat: {
          fields: [
            { kind: "email", required: true },
            { kind: "text", label: "One", required: false },
            { kind: "choice", label: "Two", required: false, options: ["A", "B"] },
          ],
        },
      },
    });
    const add = screen.getByRole("button", { name: "Add a question" }) as HTMLButtonElement;
    addQuestion();
    expect(add.disabled).toBe(true);
    expect(screen.getByText("At most 3 questions.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove question 1" }));
    expect(add.disabled).toBe(false);
    expect((question(1).getByLabelText("Question") as HTMLInputElement).value).toBe("Two");
    expect((question(1).getByLabelText("Options") as HTMLTextAreaElement).value).toBe("A\nB");
    expect(screen.queryByRole("group", { name: "Question 3" })).toBeNull();
    expect(await save(windows, 1)).toEqual({
      prechat: {
        fields: [
          { kind: "email", required: true },
          { kind: "choice", label: "Two", required: false, options: ["A", "B"] },
          { kind: "text", required: false },
        ],
      },
    });
  });

  it("asks for an email while nobody is online as the owner chooses, optional unless told", async () => {
    const windows = recordWindowSaves();
    await renderPage();
    const choices = within(screen.getByRole("radiogroup", { name: "When nobody is online, ask for an email" }));
    expect((choices.getByLabelText(/^Optional \(default\)/) as HTMLInputElement).checked).toBe(true);
    check(choices.getByLabelText(/^Required/));
    expect(await save(windows, 1)).toEqual({ offlineEmail: "required" });
    check(choices.getByLabelText(/^Don't ask/));
    expect(await save(windows, 2)).toEqual({ offlineEmail: "off" });
  });

  it("shows the server's refusals beside the question they name, and the form's below it", async () => {
    server.use(
      http.put(url("/policy"), () =>
        HttpResponse.json(
          apiError("bad_request", "The policy is not valid.", {
            "window.prechat.fields.1.options": "A choice has at least 2 options.",
            "window.prechat.fields": "The pre-chat form asks for the email once.",
            "window.offlineEmail": 'Email while nobody is online is "required", "optional" or "off".',
          }),
          { status: 400 },
        ),
      ),
    );
    await renderPage({
      ...policyDoc(),
      window: {
        prechat: {
          fields: [
            { kind: "name", required: false },
            { kind: "choice", label: "Topic", required: false, options: ["A"] },
          ],
        },
      },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const error = await screen.findByText("A choice has at least 2 options.");
    expect(question(1).getByLabelText("Options").getAttribute("aria-invalid")).toBe("true");
    expect(error.id).toBe("prechat-question-0-options-error");
    expect(screen.getByText("The pre-chat form asks for the email once.").closest("fieldset")?.className).toBe(
      "prechat",
    );
    expect(
      screen.getByText('Email while nobody is online is "required", "optional" or "off".').closest("fieldset")
        ?.textContent,
    ).toContain("When nobody is online, ask for an email");
    expect(screen.getByText("Not saved: fix the marked fields.")).toBeTruthy();
  });
});
