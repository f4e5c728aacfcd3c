// The text colour drawn on the owner's accent (the chat button, the panel's header, the visitor's
// bubbles): white or near-black, whichever contrasts more, by WCAG 2.x's contrast ratio.

/** WCAG 2.x level AA for text of normal size (Success Criterion 1.4.3, "Contrast (Minimum)"). */
export const MIN_TEXT_CONTRAST = 4.5;

/** The two text colours: white, and a near-black softer than #000 beside a dark accent's shadow. */
export const TEXT_COLOURS = ["#ffffff", "#111111"] as const;

/** An sRGB channel (0–255) linearised, as WCAG 2.x's relative luminance reads it (the sRGB curve, IEC 61966-2-1). */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2.x relative luminance of a `#rrggbb` colour: 0 for black, 1 for white. */
function luminance(hex: string): number {
  const channel = (at: number) => linear(Number.parseInt(hex.slice(at, at + 2), 16));
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * The contrast ratio of two `#rrggbb` colours, from 1 (the same) to 21 (black on white).
 * @example contrastRatio("#ffffff", "#000000") // 21
 */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The text colour for an accent and its contrast ratio; below MIN_TEXT_CONTRAST neither colour reads well enough. */
export interface TextOnAccent {
  colour: (typeof TEXT_COLOURS)[number];
  ratio: number;
}

/**
 * The text colour that reads best on `accent` (`#rrggbb`, lower case).
 * @example textOn("#0b57d0") // { colour: "#ffffff", ratio: 6.4… }
 * @example textOn("#ffd600") // { colour: "#111111", ratio: 13.… }
 */
export function textOn(accent: string): TextOnAccent {
  const [white, dark] = TEXT_COLOURS.map((colour) => ({ colour, ratio: contrastRatio(accent, colour) })) as [
    TextOnAccent,
    TextOnAccent,
  ];
  return white.ratio >= dark.ratio ? white : dark;
}
