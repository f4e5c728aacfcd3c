// Which language the widget speaks: the owner's pinned one, else the browser's first the widget has (by
// whole tag, then primary subtag), else English; and English when a language's chunk cannot be fetched.

import { describe, expect, it, test, vi } from "vitest";
import { ENGLISH, loadLocale, pickLanguage } from "../../widget/i18n/languages";

// A chunk that fails to load, as one would offline or after a deploy removed it.
vi.mock(import("../../widget/i18n/tr"), () => {
  throw new Error("Failed to fetch dynamically imported module");
});

describe("the visitor's language", () => {
  test.each<[string | undefined, string[], string]>([
    [undefined, ["de-DE", "en"], "de"],
    [undefined, ["de-AT"], "de"],
    [undefined, ["pt-BR", "en-US"], "pt"],
    [undefined, ["zh-CN"], "zh"],
    [undefined, ["zh-Hans"], "zh"],
    [undefined, ["zh-Hans-SG"], "zh"],
    [undefined, ["ar"], "ar"],
    [undefined, ["HE-il"], "he"],
    [undefined, ["en-GB", "de"], "en"],
    // The first the widget has, in the browser's order.
    [undefined, ["ko-KR", "ja-JP", "fr"], "ja"],
    // Traditional Chinese is not taken for Simplified: the next preference is.
    [undefined, ["zh-TW", "ja"], "ja"],
    [undefined, ["zh-Hant", "zh-HK", "ru"], "ru"],
    [undefined, ["zh-TW"], "en"],
    // Nothing the widget has: English.
    [undefined, ["ko", "sv-SE"], "en"],
    [undefined, [], "en"],
    [undefined, ["constructor", "__proto__"], "en"],
    // The owner's pinned language wins over the browser's.
    ["fr", ["de-DE", "en"], "fr"],
    ["en", ["ar"], "en"],
    // A pinned language the widget does not have (an older widget, a newer server) is passed over.
    ["xx", ["de-DE"], "de"],
  ])("pinned %s with the browser's %j speaks %s", (pinned, preferred, language) => {
    expect(pickLanguage(pinned, preferred)).toBe(language);
  });

  it("fetches a language's table", async () => {
    const locale = await loadLocale("de");
    expect(locale.language).toBe("de");
    expect(locale.texts["button.open"]).toBe("Chat öffnen");
  });

  it("speaks English when the language's chunk cannot be fetched", async () => {
    expect(await loadLocale("tr")).toBe(ENGLISH);
  });
});
