// Presets and which images may be drawn inline.
import { describe, expect, test } from "vitest";
import { isInlineImage, presetOf, PRESETS } from "../../policy/file-category";

describe("presets", () => {
  test.each([
    [["image", "audio", "video", "text"], "safe"],
    [["text", "video", "audio", "image"], "safe"],
    [["image"], "images"],
    [[...PRESETS.all], "all"],
    [["image", "text"], null],
  ] as const)("names %j as %s", (categories, preset) => {
    expect(presetOf(categories)).toBe(preset);
  });
});

describe("inline images", () => {
  test.each([
    ["image", "image/png", true],
    ["image", "image/jpeg", true],
    ["image", "image/tiff", false],
    ["image", "image/x-icon", false],
    ["script", "image/svg+xml", false],
    ["script", "image/png", false],
  ])("a %s of type %s is drawn inline: %s", (category, mime, inline) => {
    expect(isInlineImage({ category, mime })).toBe(inline);
  });
});
