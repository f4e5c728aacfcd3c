// @vitest-environment happy-dom
// The paperclip in the answer box: a labelled button that opens the file picker; the file chosen goes
// to the visitor as its raw bytes and shows in the chat as files do; a refusal is the server's sentence
// in the answer box's error, said at once.
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { readFixture } from "../fixtures/read";
import { renderChat } from "./chats-page";
import { apiError, imageMessage, server, url, useMockServer } from "./setup";

useMockServer();

const FILES = url("/conversations/conv_1/files");

/** Picks `file` in the answer box's file input, as the picker opened by the paperclip would. */
function choose(file: File) {
  const input = document.querySelector<HTMLInputElement>(".composer input[type=file]")!;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

const fixtureFile = (fixture: string, name: string) => new File([readFixture(fixture)], name);

describe("attaching a file", () => {
  it("is a button the keyboard reaches, which opens the file picker", async () => {
    renderChat();
    const button = await screen.findByRole("button", { name: "Attach a file" });
    button.focus();
    expect(document.activeElement).toBe(button);
    const opened = vi.spyOn(HTMLInputElement.prototype, "click").mockImplementation(() => undefined);
    fireEvent.click(button);
    expect(opened.mock.contexts).toEqual([document.querySelector(".composer input[type=file]")]);
    opened.mockRestore();
  });

  it("sends the chosen file as its bytes, named, and shows it in the chat as files are", async () => {
    const received: { name: string | null; type: string | null; bytes: Uint8Array }[] = [];
    server.use(
      http.post(FILES, async ({ request }) => {
        const bytes = new Uint8Array(await request.arrayBuffer());
        received.push({ name: request.headers.get("x-file-name"), type: request.headers.get("content-type"), bytes });
        const file = { id: "file_9", name: "price list.pdf", size: bytes.length, kind: "pdf", mime: "application/pdf" };
        return HttpResponse.json(
          {
            ...imageMessage,
            id: 99,
            author: "agent",
            userId: "user_2",
            text: "",
            file: { ...file, category: "document" },
          },
          { status: 201 },
        );
      }),
    );
    renderChat();
    await screen.findByRole("button", { name: "Attach a file" });
    choose(fixtureFile("fixture.pdf", "price list.pdf"));
    const link = await screen.findByRole("link", { name: "price list.pdf" });
    expect(link.getAttribute("href")).toBe(url("/files/file_9"));
    expect(received).toEqual([
      { name: "price%20list.pdf", type: "application/octet-stream", bytes: readFixture("fixture.pdf") },
    ]);
  });

  it.each([
    [
      415,
      "file_type",
      "Only images, audio files, videos and text files can be sent in this chat.",
      { kind: "html", category: "script" },
    ],
    [413, "too_large", "This file is larger than the 10 MB this chat accepts.", undefined],
  ])("shows a %i refusal in the answer box's error, and adds nothing", async (status, code, message, fields) => {
    server.use(http.post(FILES, () => HttpResponse.json(apiError(code, message, fields), { status })));
    const { container } = renderChat();
    await screen.findByRole("button", { name: "Attach a file" });
    choose(fixtureFile("html-named-as.png", "cat.png"));
    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(screen.getByLabelText("Your answer").getAttribute("aria-describedby")).toContain("answer-error");
    expect(container.querySelector(".message")).toBeNull();
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Attach a file" }).hasAttribute("disabled")).toBe(false),
    );
  });
});
