// What a display name and an email address may hold: nothing hidden, nothing that reads as the team, and a size a reader counts.
import { describe, expect, test } from "vitest";
import { MAX_DISPLAY_NAME_CHARS } from "../../policy/limits";
import { emailProblem, parseDisplayName } from "../../policy/chat";

const family = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}";

describe("a display name", () => {
  test.each([
    ["a name", "Anna"],
    ["a name between spaces, trimmed", " Anna Lee "],
    ["a decomposed name, kept composed (NFC)", "Zoe\u0308"],
    ["Arabic", "\u0623\u0645\u064A\u0646\u0629"],
    ["Chinese", "\u738B\u82B3"],
    ["Japanese", "\u5C71\u7530\u82B1\u5B50"],
    ["Korean", "\uAE40\uBBFC\uC900"],
    ["Devanagari with a conjunct", "\u0905\u0928\u0941\u0930\u093E\u0927\u093E \u0938\u094D\u0924\u094D\u0930\u0940"],
    ["Cyrillic", "\u0410\u043D\u043D\u0430"],
    ["an emoji family, one character", `Ann ${family}`],
    ["a technologist with a skin tone", "\u{1F9D1}\u{1F3FD}\u200D\u{1F4BB} Sam"],
    ["England's flag, built of tags", "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} Ann"],
    ["21 emoji, 21 characters", "\u{1F600}".repeat(21)],
    ["40 letters", "x".repeat(MAX_DISPLAY_NAME_CHARS)],
    ["40 CJK characters, 120 bytes", "\u738B".repeat(MAX_DISPLAY_NAME_CHARS)],
    ["a role word beside a name", "Support Anna"],
    ["no name", ""],
  ])("takes %s", (_what, raw) => {
    expect(parseDisplayName(raw)).toEqual({ ok: true, name: raw.trim().normalize("NFC") });
  });

  test.each([
    ["Ann\u202Etroppus", /cannot hold U\+202E: invisible and control characters/],
    ["Ann\u2066a\u2069", /U\+2066/],
    ["An\u200Dna", /U\+200D/],
    ["An\u200Bna", /U\+200B/],
    ["Anna\u2060", /U\+2060/],
    ["An\u00ADna", /U\+00AD/],
    ["\u3164", /U\+3164/],
    ["Ann\nLee", /U\+000A/],
    ["Ann\tLee", /U\+0009/],
    ["Ann\u2028Lee", /U\+2028/],
    ["Ann\u0007", /U\+0007/],
    ["\uD800Ann", /U\+D800/],
    [`\u{1F468}\u200DAnn`, /U\+200D/],
    ["\u{1F3F4}\u{E0041}\u{E0042}", /U\+E0041/],
    [`a${"\u0301".repeat(39)}`, /more than 5 accents or marks on one character/],
    ["x".repeat(MAX_DISPLAY_NAME_CHARS + 1), /at most 40 characters; this one has 41/],
    ["\u{1F600}".repeat(MAX_DISPLAY_NAME_CHARS + 1), /at most 40 characters; this one has 41/],
    [family.repeat(7), /at most 160 bytes; this one takes 175/],
    ["<Anna>", /cannot hold < or >/],
    ["Support", /names no person/],
    ["support ", /names no person/],
    ["SUPPORT", /names no person/],
    ["S.u.p.p.o.r.t", /names no person/],
    ["\uFF33upport", /names no person/],
    ["Customer Service", /names no person/],
    ["Admin \u{1F6E1}\u{FE0F}", /names no person/],
    ["S\u00FCpport", /names no person/],
    ["an agent", /names no person/],
    ["Hatch", /names no person/],
    ["owner@acme.test", /cannot hold an email address or an @/],
    ["Ann \uFF20 acme", /cannot hold an email address or an @/],
  ])("refuses %j, saying why", (raw, why) => {
    const parsed = parseDisplayName(raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toMatch(why);
  });
});

describe("an email address", () => {
  test.each(["ann@acme.test", "j\u00FCrgen@m\u00FCller.example", "\u738B@\u4F8B\u3048.jp"])("takes %j", (email) => {
    expect(emailProblem(email)).toBeNull();
  });

  test.each([
    ["ann\u202E@acme.test", /U\+202E/],
    ["ann\u200B@acme.test", /U\+200B/],
    ["ann@acme.test\n", /U\+000A/],
    ["ann\u3164@acme.test", /U\+3164/],
    [`${"a".repeat(250)}@x.io`, /at most 254 bytes/],
    [`${"\u00FC".repeat(125)}@x.io`, /at most 254 bytes/],
    ["ann.acme.test", /like name@example.com/],
    ["ann@acme@test", /like name@example.com/],
  ])("refuses %j, saying why", (email, why) => {
    expect(emailProblem(email)).toMatch(why);
  });
});
