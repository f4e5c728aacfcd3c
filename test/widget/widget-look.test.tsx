// @vitest-environment happy-dom
// The owner's look in the mounted widget: the button's side, distance and label (its accessible name
// kept), the team's name and greeting in the panel, a forced colour scheme, and on a phone a panel that
// fills the screen while the host page, held still underneath, gets its own overflow back on close.

import { fireEvent, render as renderComponent, screen, within } from "@testing-library/preact";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { TEXT_COLOURS } from "../../policy/contrast";
import { DEFAULT_ACCENT, DEFAULT_OFFSET_PX } from "../../policy/widget-look";
import { ChatButton } from "../../widget/ChatButton";
import type { Boot } from "../../widget/boot";
import { en } from "../../widget/i18n/en";
import { PHONE_MEDIA } from "../../widget/panel-styles";
import { visitorApi } from "./fakes";
import { mountWidget, type Mounted } from "./mount";

const { server, requests, reset } = visitorApi();
let widget: Mounted | undefined;

function mountWith(look: Partial<Boot["config"]>) {
  widget = mountWidget(look);
  return widget;
}

async function openPanel({ view }: Mounted, name = "Open chat") {
  fireEvent.click(view.getByRole("button", { name }));
  return view.findByRole("dialog");
}

/** The element inside the shadow root that carries the look's custom properties. */
const lookRoot = ({ root }: Mounted) => root.querySelector<HTMLElement>("[dir]")!;
const styles = ({ root }: Mounted) => [...root.querySelectorAll("style")].map((style) => style.textContent).join("");

/** Makes happy-dom's window `width` px wide: media queries, in CSS and matchMedia, follow it. */
function screenWidth(width: number) {
  (
    window as unknown as { happyDOM: { setViewport(size: { width: number; height: number }): void } }
  ).happyDOM.setViewport({ width, height: 800 });
}

const pageStyle = () => document.documentElement.style;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["en"]);
  reset();
  localStorage.clear();
});
afterEach(() => {
  widget?.unmount();
  widget = undefined;
  pageStyle().cssText = "";
  screenWidth(1024);
  server.resetHandlers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe("the owner's look", () => {
  it("keeps today's look when the config has none: blue, round, bottom right, 16 px in", () => {
    const mounted = mountWith({});
    expect(lookRoot(mounted).getAttribute("style") ?? "").toBe("");
    expect(lookRoot(mounted).className).toBe("");
    // The defaults the server leaves out of the config (policy/widget-look.ts) are the ones drawn.
    expect(styles(mounted)).toContain(
      `:host > div { --accent: ${DEFAULT_ACCENT}; --on-accent: ${TEXT_COLOURS[0]}; --x: ${DEFAULT_OFFSET_PX}px; --y: ${DEFAULT_OFFSET_PX}px; }`,
    );
    expect(mounted.view.getByRole("button", { name: "Open chat" }).textContent).toBe("");
  });

  it("draws the accent with its text colour, and puts the button bottom left at the owner's distance", async () => {
    const mounted = mountWith({ accent: "#ffd600", onAccent: "#111111", position: "left", offset: [24, 40] });
    const look = lookRoot(mounted);
    expect(look.style.getPropertyValue("--accent")).toBe("#ffd600");
    expect(look.style.getPropertyValue("--on-accent")).toBe("#111111");
    expect(look.style.getPropertyValue("--x")).toBe("24px");
    expect(look.style.getPropertyValue("--y")).toBe("40px");
    expect(look.className).toBe("start");
    await openPanel(mounted);
    // "Left" is the start of the line, for the button and the panel above it.
    expect(styles(mounted)).toContain(".start .button { inset-inline: var(--x) auto; }");
    expect(styles(mounted)).toContain(".start .panel { inset-inline: var(--x) auto; }");
  });

  it("shows the owner's label on the button, which then names it, and the icon alone when closed", async () => {
    const mounted = mountWith({ label: "Questions?" });
    const button = mounted.view.getByRole("button", { name: "Questions?" });
    expect(button.textContent).toBe("Questions?");
    expect(button.getAttribute("aria-expanded")).toBe("false");
    await openPanel(mounted, "Questions?");
    const open = mounted.view.getAllByRole("button", { name: "Close chat" })[0]!;
    expect(open).toBe(button);
    expect(open.textContent).toBe("");
  });

  it.each([
    ["a label", "Questions?", "Questions? – Open chat: 2 new messages", "Questions?2"],
    ["the icon only", undefined, "Open chat: 2 new messages", "2"],
  ])("counts unread messages in the button's name with %s", (_name, label, name, text) => {
    const unread = { count: 2, label: "Open chat: 2 new messages" };
    renderComponent(
      <ChatButton
        open={false}
        texts={en}
        unread={unread}
        label={label}
        onClick={vi.fn()}
        onPointerEnter={vi.fn()}
        buttonRef={{ current: null }}
      />,
    );
    expect(screen.getByRole("button", { name }).textContent).toBe(text);
  });

  it("heads the panel with the team's name and opens the transcript with the greeting, asking nothing", async () => {
    const mounted = mountWith({ teamName: "Acme Support", greeting: "Hello!\nWe answer within minutes." });
    const dialog = await openPanel(mounted);
    expect(dialog.getAttribute("aria-labelledby")).toBe("hatch-title");
    expect(within(dialog).getByRole("heading", { level: 2 }).textContent).toBe("Acme Support");
    const log = within(dialog).getByRole("log");
    expect(log.firstElementChild?.textContent).toBe("Agent: Hello!\nWe answer within minutes.");
    expect(log.firstElementChild?.className).toBe("message agent");
    expect(requests).toEqual([]);
  });

  it("keeps the default title and no greeting without them", async () => {
    const dialog = await openPanel(mountWith({}));
    expect(within(dialog).getByRole("heading", { level: 2 }).textContent).toBe("Chat with us");
    expect(within(dialog).getByRole("log").children).toHaveLength(0);
  });

  it.each([
    ["follows the visitor's device", undefined, "panel"],
    ["is dark when the owner forces dark", "dark" as const, "panel dark"],
    ["is light when the owner forces light", "light" as const, "panel light"],
  ])("%s", async (_name, scheme, className) => {
    const mounted = mountWith({ scheme });
    const dialog = await openPanel(mounted);
    expect(dialog.className).toBe(className);
    // One dark palette, for the forced scheme and for a device that prefers dark unless forced light.
    const css = styles(mounted);
    expect(css).toMatch(/\.panel\.dark \{ color-scheme: dark; --bg: #1d2127;/);
    expect(css).toMatch(
      /@media \(prefers-color-scheme: dark\) \{ \.panel:not\(\.light\) \{ color-scheme: dark; --bg: #1d2127;/,
    );
  });
});

describe("on a phone", () => {
  it("fills the screen with a close button at the top, holding the page still until it closes", async () => {
    screenWidth(390);
    pageStyle().setProperty("overflow-y", "scroll");
    const mounted = mountWith({});
    const dialog = await openPanel(mounted);
    await vi.waitFor(() => expect(pageStyle().getPropertyValue("overflow-x")).toBe("hidden"));
    expect(pageStyle().getPropertyValue("overflow-y")).toBe("hidden");
    expect(pageStyle().getPropertyPriority("overflow-y")).toBe("important");
    expect(styles(mounted)).toContain(`@media ${PHONE_MEDIA} {`);
    expect(styles(mounted)).toMatch(/height: 100dvh; border-radius: 0;/);

    const close = within(dialog).getByRole("button", { name: "Close chat" });
    expect(dialog.querySelector(".header")?.contains(close)).toBe(true);
    fireEvent.click(close);
    expect(dialog.hidden).toBe(true);
    expect(pageStyle().getPropertyValue("overflow-x")).toBe("");
    expect(pageStyle().getPropertyValue("overflow-y")).toBe("scroll");
    expect(pageStyle().getPropertyPriority("overflow-y")).toBe("");
    expect(mounted.root.activeElement).toBe(mounted.view.getByRole("button", { name: "Open chat" }));
  });

  it("lets the page scroll again when the screen grows past a phone's, and holds it when it narrows", async () => {
    // happy-dom tells a media query's listeners only when it starts to match: this one tells both ways.
    let phone = true;
    const listeners = new Set<() => void>();
    const query = {
      get matches() {
        return phone;
      },
      addEventListener: (_type: "change", listener: () => void) => listeners.add(listener),
      removeEventListener: (_type: "change", listener: () => void) => listeners.delete(listener),
    };
    const real = window.matchMedia.bind(window);
    vi.stubGlobal("matchMedia", (media: string) => (media === PHONE_MEDIA ? query : real(media)));
    const turn = (toPhone: boolean) => {
      phone = toPhone;
      for (const listener of listeners) listener();
    };
    const mounted = mountWith({});
    await openPanel(mounted);
    await vi.waitFor(() => expect(pageStyle().getPropertyValue("overflow-y")).toBe("hidden"));
    turn(false);
    expect(pageStyle().getPropertyValue("overflow-y")).toBe("");
    turn(true);
    expect(pageStyle().getPropertyValue("overflow-y")).toBe("hidden");
    fireEvent.click(mounted.view.getByRole("button", { name: "Close chat" }));
    await vi.waitFor(() => expect(listeners.size).toBe(0));
    expect(pageStyle().cssText).toBe("");
  });

  it("leaves the page alone on a wider screen, where the chat button is the only close button", async () => {
    screenWidth(1280);
    const mounted = mountWith({});
    const dialog = await openPanel(mounted);
    expect(within(dialog).queryByRole("button", { name: "Close chat" })).toBeNull();
    expect(mounted.view.getAllByRole("button", { name: "Close chat" })).toHaveLength(1);
    expect(pageStyle().cssText).toBe("");
  });
});
