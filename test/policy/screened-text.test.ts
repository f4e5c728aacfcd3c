// A screened message cut into pieces for the console, and masked for mail: spans in order, clipped
// to the text and to each other, whatever the server stored.
import { describe, expect, it } from "vitest";
import { maskedText, piecesOf } from "../../policy/screened-text";

describe("piecesOf", () => {
  it("cuts the text at abusive words and links, in order", () => {
    expect(piecesOf("you idiot, see evil.example now", { abuse: [[4, 9]], links: [[15, 27, "evil.example"]] })).toEqual(
      [
        { kind: "text", text: "you " },
        { kind: "abuse", text: "idiot" },
        { kind: "text", text: ", see " },
        { kind: "link", text: "evil.example", host: "evil.example", masked: null },
        { kind: "text", text: " now" },
      ],
    );
  });

  it.each([
    ["no screening", "hello", null, [{ kind: "text", text: "hello" }]],
    ["an empty text", "", null, []],
    [
      "a span past the end, clipped",
      "abc",
      { abuse: [[1, 99]], links: [] },
      [
        { kind: "text", text: "a" },
        { kind: "abuse", text: "bc" },
      ],
    ],
    [
      "overlapping spans, the later cut to what follows",
      "abcdef",
      {
        abuse: [
          [0, 4],
          [2, 6],
        ],
        links: [],
      },
      [
        { kind: "abuse", text: "abcd" },
        { kind: "abuse", text: "ef" },
      ],
    ],
    [
      "an empty or backwards span, dropped",
      "abc",
      {
        abuse: [
          [2, 2],
          [2, 1],
        ],
        links: [],
      },
      [{ kind: "text", text: "abc" }],
    ],
    [
      "a link with abuse in it, still a link, the abuse masked within it",
      "see http://shithead.com/x",
      { abuse: [[11, 19]], links: [[4, 25, "shithead.com"]] },
      [
        { kind: "text", text: "see " },
        { kind: "link", text: "http://shithead.com/x", host: "shithead.com", masked: "http://•••.com/x" },
      ],
    ],
    [
      "abuse reaching into a link, masked outside it and within it",
      "fuckhttp://a.com",
      { abuse: [[0, 11]], links: [[4, 16, "a.com"]] },
      [
        { kind: "abuse", text: "fuck" },
        { kind: "link", text: "http://a.com", host: "a.com", masked: "•••a.com" },
      ],
    ],
  ] as const)("handles %s", (_name, text, screening, pieces) => {
    expect(piecesOf(text, screening as never)).toEqual(pieces);
  });
});

describe("maskedText", () => {
  it("masks abusive words and keeps links as text", () => {
    expect(maskedText("you idiot, see evil.example", { abuse: [[4, 9]], links: [[15, 27, "evil.example"]] })).toBe(
      "you •••, see evil.example",
    );
  });

  it("defangs a link with abuse in it for mail too, the abuse masked", () => {
    const text = "pay here https://paypal.com.evil.example/login?shit now";
    expect(maskedText(text, { abuse: [[47, 51]], links: [[9, 51, "evil.example"]] }, "defanged")).toBe(
      "pay here hxxps://paypal[.]com[.]evil[.]example/login?••• now",
    );
  });

  it("defangs links for mail, so no mail program makes them clickable", () => {
    const text = "pay at https://paypal.com.evil.example/x now";
    expect(maskedText(text, { abuse: [], links: [[7, 40, "evil.example"]] }, "defanged")).toBe(
      "pay at hxxps://paypal[.]com[.]evil[.]example/x now",
    );
  });
});
