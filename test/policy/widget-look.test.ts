// The widget's look in the policy document: what `window` takes (each refusal naming the field by its
// console label), and what of it the verdict's config carries — only what differs from the defaults.
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { MAX_GREETING_CHARS, MAX_WIDGET_OFFSET_PX } from "../../policy/limits";
import { DEFAULT_POLICY, policyDocumentSchema } from "../../policy/schema";
import { widgetLookOf } from "../../policy/widget-look";

const parseWindow = (window: unknown) => policyDocumentSchema.safeParse({ ...DEFAULT_POLICY, window });
/** Each refused field's path and message. */
const refusals = (window: unknown) =>
  Object.fromEntries((parseWindow(window).error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("the look in the policy document", () => {
  it("takes every field of the design's example, and keeps a greeting's line breaks", () => {
    const window = {
      accent: "#0b57d0",
      position: "left",
      offset: [24, 0],
      label: "Chat with us",
      greeting: "Hello! 👋\nAsk us anything: we answer in minutes. 👩‍💻",
      teamName: "Acme Support",
      scheme: "dark",
    };
    expect(parseWindow(window).data?.window).toEqual(window);
    expect(parseWindow({ label: null }).data?.window).toEqual({ label: null });
  });

  test.each([
    ["a named colour", { accent: "red" }, "window.accent", "Accent colour is a hex colour like #0b57d0."],
    ["a short hex colour", { accent: "#fff" }, "window.accent", "Accent colour is a hex colour like #0b57d0."],
    ["a side that is not left or right", { position: "top" }, "window.position", /^Position is "right" or "left"/],
    ["one offset", { offset: [16] }, "window.offset", /^Distance from the corner is two whole numbers/],
    ["a fractional offset", { offset: [16, 1.5] }, "window.offset.1", /from 0 to 200: across, then up\.$/],
    ["a negative offset", { offset: [-1, 16] }, "window.offset.0", /^Distance from the corner/],
    ["an offset past 200 px", { offset: [16, 201] }, "window.offset.1", /^Distance from the corner/],
    ["an empty label", { label: "  " }, "window.label", "Button label is empty: null shows the icon only."],
    ["a label of 41 characters", { label: "x".repeat(41) }, "window.label", "Button label is at most 40 characters."],
    ["a label on two lines", { label: "Chat\nnow" }, "window.label", /^Button label cannot hold U\+000A/],
    ["a bidi override in the team's name", { teamName: "Acme\u202Etroppus" }, "window.teamName", /U\+202E/],
    ["a team name of 61 characters", { teamName: "x".repeat(61) }, "window.teamName", /at most 60 characters/],
    ["a NUL in the greeting", { greeting: "Hi\u0000" }, "window.greeting", /^Greeting cannot hold U\+0000/],
    ["a zero-width space in the greeting", { greeting: "Hi\u200B!" }, "window.greeting", /U\+200B/],
    ["a greeting past 300 characters", { greeting: "x".repeat(301) }, "window.greeting", /at most 300 characters/],
    ["a scheme of its own", { scheme: "dim" }, "window.scheme", /^Colour scheme is "auto"/],
  ])("refuses %s, saying so under the field's label", (_name, window, path, message) => {
    expect(refusals(window)[path]).toEqual(expect.stringMatching(message));
  });

  it("takes any #rrggbb in either case, kept in lower case, and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.boolean(), (rgb, upper) => {
        const typed = `#${rgb.toString(16).padStart(6, "0")}`;
        const parsed = parseWindow({ accent: upper ? typed.toUpperCase() : typed });
        expect(parsed.data?.window?.accent).toBe(typed);
      }),
      { seed: 1, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 9 }), (text) => {
        fc.pre(!/^\s*#[0-9a-f]{6}\s*$/i.test(text));
        expect(refusals({ accent: text })).toHaveProperty(["window.accent"]);
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it("takes offsets that are whole pixels from 0 to 200, and refuses any other number", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double()), (px) => {
        const valid = Number.isInteger(px) && px >= 0 && px <= MAX_WIDGET_OFFSET_PX;
        expect(parseWindow({ offset: [px, 16] }).success).toBe(valid);
        expect(parseWindow({ offset: [16, px] }).success).toBe(valid);
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it("refuses visitor-facing text with a control or invisible formatting character inside it", () => {
    const hidden = fc.constantFrom(
      "\u0000",
      "\u0007",
      "\t",
      "\r",
      "\u00AD",
      "\u200B",
      "\u200E",
      "\u202E",
      "\u2066",
      "\u2028",
      "\uFEFF",
    );
    const visible = fc.string({ unit: fc.constantFrom("a", "ß", "語", "é", "!"), minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(visible, hidden, visible, fc.constantFrom("label", "teamName", "greeting"), (a, h, b, field) => {
        expect(refusals({ [field]: `${a}${h}${b}` })).toHaveProperty([`window.${field}`]);
        expect(parseWindow({ [field]: `${a}${b}` }).success).toBe(true);
      }),
      { seed: 1, numRuns: 300 },
    );
    expect(parseWindow({ greeting: "x".repeat(MAX_GREETING_CHARS) }).success).toBe(true);
  });
});

describe("the look the verdict's config carries", () => {
  it("is empty for a window without one, and for one set to every default", () => {
    expect(widgetLookOf(undefined)).toEqual({});
    expect(
      widgetLookOf({ accent: "#0b57d0", position: "right", offset: [16, 16], label: null, scheme: "auto" }),
    ).toEqual({});
  });

  it("carries what differs, with the text colour for the accent", () => {
    expect(
      widgetLookOf({
        away: "hide",
        accent: "#ffd600",
        position: "left",
        offset: [16, 40],
        label: "Questions?",
        greeting: "Hi!",
        teamName: "Acme",
        scheme: "light",
      }),
    ).toEqual({
      accent: "#ffd600",
      onAccent: "#111111",
      position: "left",
      offset: [16, 40],
      label: "Questions?",
      greeting: "Hi!",
      teamName: "Acme",
      scheme: "light",
    });
    // White text, the widget's default, is left out.
    expect(widgetLookOf({ accent: "#8e24aa" })).toEqual({ accent: "#8e24aa" });
  });
});
