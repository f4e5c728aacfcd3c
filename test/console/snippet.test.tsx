// @vitest-environment happy-dom
// The snippet's copy button: the exact script tag goes to the clipboard, and a refusal says what to do instead.
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Snippet } from "../../console/Snippet";

const TAG = '<script async src="https://chat.example/loader.js" data-account="acme"></script>';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the snippet's copy button", () => {
  it("puts the script tag on the clipboard and says so", async () => {
    const written = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
    render(<Snippet origin="https://chat.example" account="acme" />);
    fireEvent.click(screen.getByRole("button", { name: "Copy snippet" }));
    expect((await screen.findByRole("status")).textContent).toBe(" Copied.");
    expect(written).toHaveBeenCalledWith(TAG);
  });

  it("says to select and copy the text when the browser refuses the clipboard", async () => {
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new DOMException("Denied", "NotAllowedError"));
    render(<Snippet origin="https://chat.example" account="acme" />);
    fireEvent.click(screen.getByRole("button", { name: "Copy snippet" }));
    await vi.waitFor(() => expect(screen.getByRole("status").textContent).toContain("select the text and copy it"));
  });
});
