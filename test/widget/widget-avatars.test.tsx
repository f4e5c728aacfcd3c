// @vitest-environment happy-dom
// The avatars in the mounted widget: the team's in the panel's header and the agent's beside their
// messages, 32 px, read from Hatch's public avatar route, and decorative (alt="": the name says who).

import { fireEvent } from "@testing-library/preact";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BASE, conversationEvent, message, openedStream, visitorApi } from "./fakes";
import { mountWidget, type Mounted } from "./mount";

const { server, reset } = visitorApi();
const TEAM_AVATAR = "file_team0123456789ab";
const AGENT_AVATAR = "file_anna0123456789ab";
const served = (fileId: string) => `${BASE}/api/v1/widget/acme/avatars/${fileId}`;

let widget: Mounted;

async function openPanel(look: Parameters<typeof mountWidget>[0] = {}) {
  widget = mountWidget(look);
  fireEvent.click(await widget.view.findByRole("button", { name: "Open chat" }));
  return widget.view.findByRole("dialog");
}

/** Each avatar image: its source, its text alternative and its size. */
const avatarsIn = (element: Element) =>
  [...element.querySelectorAll("img.avatar")].map((img) => ({
    src: img.getAttribute("src"),
    alt: img.getAttribute("alt"),
    size: `${img.getAttribute("width")}x${img.getAttribute("height")}`,
  }));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["en"]);
  reset();
  localStorage.clear();
});
afterEach(() => {
  widget.unmount();
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe("the team avatar", () => {
  it("heads the panel beside the team's name, decorative", async () => {
    const dialog = await openPanel({ avatar: TEAM_AVATAR, teamName: "Acme support" });
    expect(avatarsIn(dialog.querySelector(".header")!)).toEqual([{ src: served(TEAM_AVATAR), alt: "", size: "32x32" }]);
    expect(dialog.querySelector(".title")?.textContent).toBe("Acme support");
  });

  it("is absent when the owner set none", async () => {
    expect(avatarsIn(await openPanel())).toEqual([]);
  });
});

describe("an agent's avatar", () => {
  it("is shown beside their messages, and not beside an agent's without one", async () => {
    const dialog = await openPanel();
    fireEvent.input(widget.view.getByRole("textbox"), { target: { value: "Hi" } });
    fireEvent.submit(widget.view.getByRole("textbox").closest("form")!);
    await widget.view.findByText("Hi", { selector: ".text" });
    const stream = await openedStream();
    await stream.emit("conversation", conversationEvent("active", { agentName: "Anna" }), 3);
    await stream.emit(
      "message",
      { ...message(101, "Hello, Anna here", "agent", "Anna"), agentAvatar: AGENT_AVATAR },
      4,
    );
    await stream.emit("message", message(102, "And Bo here", "agent", "Bo"), 5);
    const [anna, bo] = [...dialog.querySelectorAll(".message.agent")];
    expect(avatarsIn(anna!)).toEqual([{ src: served(AGENT_AVATAR), alt: "", size: "32x32" }]);
    expect(anna!.textContent).toContain("Anna");
    expect(avatarsIn(bo!)).toEqual([]);
  });
});
