// The text colour on the owner's accent: the one of white and near-black that contrasts more, checked
// against WCAG 2.x's formula written out here on its own, over every colour fast-check draws.
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { contrastRatio, MIN_TEXT_CONTRAST, TEXT_COLOURS, textOn } from "../../policy/contrast";

/** WCAG 2.x contrast ratio as its definition writes it (relative luminance, with the 0.03928 knee of WCAG 2.0). */
function oracleRatio(a: number, b: number): number {
  const luminance = (rgb: number) =>
    [16, 8, 0]
      .map((shift) => ((rgb >> shift) & 0xff) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const hex = (rgb: number) => `#${rgb.toString(16).padStart(6, "0")}`;
const WHITE = 0xffffff;
const NEAR_BLACK = 0x111111;

describe("the text colour on an accent", () => {
  test.each([
    // [accent, text colour, its ratio]: figures as WebAIM's contrast checker gives them.
    ["#0b57d0", "#ffffff", 6.39],
    ["#000000", "#ffffff", 21],
    ["#ffffff", "#111111", 18.88],
    ["#767676", "#ffffff", 4.54],
    ["#008000", "#ffffff", 5.14],
    ["#ffd600", "#111111", 13.37],
    ["#ff0000", "#111111", 4.72],
    ["#f4511e", "#111111", 5.43],
    // Too light for white, too dark for near-black: the better of the two, and the console warns.
    ["#777777", "#ffffff", 4.48],
    ["#e91e63", "#ffffff", 4.35],
  ])("on %s is %s at %f:1", (accent, colour, ratio) => {
    const chosen = textOn(accent);
    expect(chosen.colour).toBe(colour);
    expect(chosen.ratio).toBeCloseTo(ratio, 2);
  });

  it("reaches AA (4.5:1) whenever one of the two does, and is never the worse of the two", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (rgb) => {
        const chosen = textOn(hex(rgb));
        const [white, dark] = [oracleRatio(rgb, WHITE), oracleRatio(rgb, NEAR_BLACK)];
        const [mine, other] = chosen.colour === TEXT_COLOURS[0] ? [white, dark] : [dark, white];
        expect(mine).toBeGreaterThanOrEqual(other - 0.01);
        if (other >= MIN_TEXT_CONTRAST + 0.01) expect(mine).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
        expect(chosen.ratio).toBeCloseTo(mine, 2);
      }),
      { seed: 1, numRuns: 20_000 },
    );
  });

  it("measures a ratio the same either way round, from 1 to 21", () => {
    expect(contrastRatio("#0b57d0", "#0b57d0")).toBe(1);
    expect(contrastRatio("#000000", "#ffffff")).toBe(21);
    expect(contrastRatio("#ffffff", "#0b57d0")).toBe(contrastRatio("#0b57d0", "#ffffff"));
  });
});
