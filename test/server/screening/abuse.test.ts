// The abuse finder: obfuscated abuse found as exact spans of the original text, innocent words left
// alone, the owner's words and allowed words, and spans that are always valid whatever the text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS, MAX_SCREENING_WORD_CHARS, MAX_SCREENING_WORDS } from "../../../policy/limits";
import { INNOCENT } from "../../../bench/lib/screening-data";
import { abuseFinder, DEFAULT_ALLOWED, type Span } from "../../../server/screening/abuse";

const plain = abuseFinder({ words: [], allowed: [] });

/** The text under each span, to read failures by. */
const found = (text: string, spans: Span[]): string[] => spans.map(([start, end]) => text.slice(start, end));

/** Spans within the text, sorted, apart (touching ones are merged), and never inside a surrogate pair. */
function expectValid(text: string, spans: Span[]): void {
  let previousEnd = -1;
  for (const [start, end] of spans) {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeLessThanOrEqual(text.length);
    expect(start).toBeLessThan(end);
    expect(start).toBeGreaterThan(previousEnd);
    for (const at of [start, end]) {
      const low = text.charCodeAt(at);
      const high = text.charCodeAt(at - 1);
      expect(low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff).toBe(false);
    }
    previousEnd = end;
  }
}

describe("obfuscated abuse", () => {
  it.each<[string, Span[]]>([
    ["fuck", [[0, 4]]],
    ["f.u.c.k you", [[0, 7]]],
    ["what the f u c k", [[9, 16]]],
    ["f-u-c-k off", [[0, 7]]],
    ["fuuuuck", [[0, 7]]],
    ["FuCk this", [[0, 4]]],
    ["fμck off", [[0, 4]]],
    ["ｆｕｃｋ", [[0, 4]]],
    ["𝐟𝐮𝐜𝐤 you", [[0, 8]]],
    ["fück", [[0, 4]]],
    ["you piece of sh1t", [[13, 17]]],
    ["a$$hole!", [[0, 7]]],
    ["c*nt", [[0, 4]]],
    ["f**k", [[0, 4]]],
    [
      "b!tch and sh*t",
      [
        [0, 5],
        [10, 14],
      ],
    ],
    ["motherf*cker", [[0, 12]]],
    ["c.u.n.t", [[0, 7]]],
    ["w@nker", [[0, 6]]],
    ["Scheiße!", [[0, 7]]],
    ["putain", [[0, 6]]],
    ["hijo de puta", [[0, 12]]],
    ["Привет, сука", [[8, 12]]],
    ["😀 fuck 😀", [[3, 7]]],
    ["fuckfuck", [[0, 8]]],
    ["f\u200bu\u200bc\u200bk", [[0, 7]]],
    ["fu\u00adck off", [[0, 5]]],
    ["f\u2060uck", [[0, 5]]],
    ["f\u00a0u\u00a0c\u00a0k", [[0, 7]]],
    ["f\u3000u\u3000c\u3000k", [[0, 7]]],
    ["_asshole", [[1, 8]]],
    ["(asshole)", [[1, 8]]],
    ["!asshole", [[1, 8]]],
    [
      "http://shithead.com/asshole",
      [
        [7, 15],
        [20, 27],
      ],
    ],
    ["this and/fag", [[9, 12]]],
  ])("finds %j at %j", (text, spans) => {
    expect(plain(text)).toEqual(spans);
  });
});

describe("innocent words", () => {
  // The bench's innocent set (what naive filters catch), and sentences of these words.
  it.each([
    ...INNOCENT,
    "Fukuoka's hotels",
    "assorted",
    "cockpits",
    "bar",
    "Barr",
    "but",
    "I'd like a pair of shoes, size 9!",
    "Call me at 555-0100, thanks!!!",
  ])("leaves %j alone", (text) => {
    expect(found(text, plain(text))).toEqual([]);
  });

  it("allows what it allows as whole words only: the abuse inside stays found", () => {
    expect(DEFAULT_ALLOWED).toEqual(expect.arrayContaining(["cockpit", "assorted"]));
    expect(found("Dickens and a dickhead", plain("Dickens and a dickhead"))).toEqual(["dickhead"]);
    expect(found("assorted assholes", plain("assorted assholes"))).toEqual(["assholes"]);
  });
});

describe("the owner's words", () => {
  const owner = abuseFinder({ words: ["bad service", "connard", "Enculé", "Ёлки", "バカ", "傻逼"], allowed: [] });

  it.each<[string, string[]]>([
    ["This is BAD   service!", ["BAD   service"]],
    ["bad\nservice", ["bad\nservice"]],
    ["bad services", []],
    ["badge service", []],
    ["service bad", []],
    ["Connard!", ["Connard"]],
    ["CONNARD", ["CONNARD"]],
    ["c.o.n.n.a.r.d", ["c.o.n.n.a.r.d"]],
    ["connnnard", ["connnnard"]],
    ["connards", []],
    ["con\u200bnard", ["con\u200bnard"]],
    ["bad\u00a0service", ["bad\u00a0service"]],
    ["encule", ["encule"]],
    ["ENCULÉ", ["ENCULÉ"]],
    ["ёлки палки", ["ёлки"]],
    ["ЁЛКИ", ["ЁЛКИ"]],
    ["お前はバカだ", ["バカ"]],
    ["你这个傻逼！", ["傻逼"]],
    ["バカバカしい", ["バカバカ"]],
  ])("in %j finds %j", (text, words) => {
    expect(found(text, owner(text))).toEqual(words);
  });

  it("takes nothing from empty or blank entries", () => {
    const blank = abuseFinder({ words: ["", "  ", "!!"], allowed: [""] });
    expect(blank("hello there !!")).toEqual([]);
  });
});

describe("the owner's allowed words", () => {
  const owner = abuseFinder({ words: ["merde"], allowed: ["bitch", "Dick", "Merde"] });

  it.each<[string, string[]]>([
    ["son of a bitch", []],
    ["BITCH", []],
    ["bitches", ["bitches"]],
    ["Dick called", []],
    ["dickhead", ["dickhead"]],
    ["merde alors", []],
    ["fuck", ["fuck"]],
  ])("in %j finds %j", (text, words) => {
    expect(found(text, owner(text))).toEqual(words);
  });
});

describe("any text", () => {
  it.each([
    ["empty", ""],
    ["CJK", "お前はバカだ、注文の状況を教えてください。"],
    ["emoji", "👨‍👩‍👧‍👦😀🏳️‍🌈 f 😀 u 😀 c 😀 k"],
    ["lone surrogates", "\ud83d fuck \ude00 sh\ud83dit"],
    ["combining marks", "f\u0301u\u0308c\u0327k"],
    ["Zalgo", "ş̷̢h̴̡i̵̛t̶̨"],
  ])("%s: no crash and valid spans", (_, text) => {
    expectValid(text, plain(text));
  });

  it("reads a message of the longest length whole", () => {
    const filler = "Thanks for waiting, we are checking your order. ";
    const text =
      `${filler.repeat(Math.ceil(MAX_MESSAGE_CHARS / filler.length))}`.slice(0, MAX_MESSAGE_CHARS - 5) + " fuck";
    expect(text).toHaveLength(MAX_MESSAGE_CHARS);
    expect(plain(text)).toEqual([[MAX_MESSAGE_CHARS - 4, MAX_MESSAGE_CHARS]]);
  });

  it("keeps its cost at the limits: the longest lists of the longest phrases against the longest message", () => {
    // Two-letter words, as single letters would be joined as spaced-out letters: every word of the
    // message starts every listed phrase, the worst case for the whole-word scan.
    const phrase = (i: number): string =>
      `${"ab ".repeat(MAX_SCREENING_WORD_CHARS)}`.slice(0, MAX_SCREENING_WORD_CHARS - 4) + ` x${i}`;
    const words = Array.from({ length: MAX_SCREENING_WORDS + 50 }, (_, i) => phrase(i));
    const building = performance.now();
    const finder = abuseFinder({ words, allowed: words.map((word) => word.replace(" x", " y")) });
    const built = performance.now() - building;
    const text = "ab ".repeat(MAX_MESSAGE_CHARS / 3);
    const reading = performance.now();
    expect(finder(text)).toEqual([]);
    expect(finder(`${text.slice(0, 201)}${phrase(7)}`)).toEqual([[201, 201 + phrase(7).length]]);
    expect(finder(`${text.slice(0, 201)}${phrase(MAX_SCREENING_WORDS + 1)}`)).toEqual([]);
    expect(built).toBeLessThan(200);
    expect(performance.now() - reading).toBeLessThan(200);
  });

  // Texts that once made the patterns try every way to split a run of stars, or every found span walk
  // the whole message: each would take seconds (the test's timeout catches a return of that).
  it.each<[string, string, Span[]]>([
    ["a letter and a run of stars", "w" + "*".repeat(MAX_MESSAGE_CHARS - 1), [[0, MAX_MESSAGE_CHARS]]],
    ["letters and stars in turn", "w*".repeat(MAX_MESSAGE_CHARS / 2), []],
    ["a word found at every other letter", "a*".repeat(MAX_MESSAGE_CHARS / 2), [[0, MAX_MESSAGE_CHARS]]],
    ["a word repeated with no space", "anal".repeat(MAX_MESSAGE_CHARS / 4), [[0, MAX_MESSAGE_CHARS]]],
  ])("reads %s at the longest length in one pass", (_, text, spans) => {
    expect(plain(text)).toEqual(spans);
  });

  it("reads an owner's words that nest inside each other, found at every character, in one pass", () => {
    const words = Array.from({ length: MAX_SCREENING_WORDS }, (_, i) =>
      "屌".repeat(1 + (i % MAX_SCREENING_WORD_CHARS)),
    );
    const finder = abuseFinder({ words, allowed: words.map((word) => `${word} ok`) });
    expect(finder("屌".repeat(MAX_MESSAGE_CHARS))).toEqual([[0, MAX_MESSAGE_CHARS]]);
    expect(finder(`${"屌".repeat(10)} ok`)).toEqual([]);
  });

  it("gives spans within the text, sorted, apart, and never splitting a surrogate pair", () => {
    const owner = abuseFinder({ words: ["bad service", "сука", "😀😀"], allowed: ["sh1t"] });
    const piece = fc.constantFrom(
      "fuck",
      "f.u.c.k",
      "sh1t",
      "a$$",
      "c*nt",
      "😀",
      "сука",
      " ",
      ".",
      "é",
      "\u0301",
      "bad",
      "service",
    );
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc
        .array(fc.oneof(piece, fc.string({ unit: "grapheme", maxLength: 4 })), { maxLength: 60 })
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(text, (input) => {
        expectValid(input, owner(input));
        expectValid(input, plain(input));
      }),
      { numRuns: 2000 },
    );
  });
});
