// The translations reviewed against each other: every language the owner can pin has a table, fetched
// as the widget fetches it, with the English keys, the same placeholders in each sentence, a form for
// each plural category the language has (Intl.PluralRules), and words of its own, in its own script.

import { describe, expect, it, test } from "vitest";
import { LANGUAGE_CODES, type WidgetLanguage } from "../../policy/languages";
import { en, type PluralForms, type Texts } from "../../widget/i18n/en";
import { enPanel } from "../../widget/i18n/en-panel";
import { loadLocale, tagOf } from "../../widget/i18n/languages";

const tables = new Map<WidgetLanguage, Texts>();
for (const language of LANGUAGE_CODES) {
  const locale = await loadLocale(language);
  // loadLocale falls back to English when a chunk is missing: that would hide a missing table.
  // English's panel words are a chunk of their own (en-panel.ts), laid under its first-paint words.
  if (locale.language === language) tables.set(language, { ...enPanel, ...locale.texts });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const isPlural = (value: string | PluralForms): value is PluralForms => typeof value !== "string";
/** Every English word: the first bundle's and the panel's. */
const ENGLISH_WORDS: Texts = { ...en, ...enPanel };
const KEYS = Object.keys(ENGLISH_WORDS) as (keyof Texts)[];
const OTHERS = LANGUAGE_CODES.filter((language) => language !== "en");

/** A letter of the script each language is written in, looked for in its panel's title. */
const SCRIPTS: Record<WidgetLanguage, RegExp> = {
  en: /\p{Script=Latin}/u,
  de: /\p{Script=Latin}/u,
  fr: /\p{Script=Latin}/u,
  es: /\p{Script=Latin}/u,
  pt: /\p{Script=Latin}/u,
  it: /\p{Script=Latin}/u,
  nl: /\p{Script=Latin}/u,
  pl: /\p{Script=Latin}/u,
  tr: /\p{Script=Latin}/u,
  ru: /\p{Script=Cyrillic}/u,
  uk: /\p{Script=Cyrillic}/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}]/u,
  zh: /\p{Script=Han}/u,
  ar: /\p{Script=Arabic}/u,
  he: /\p{Script=Hebrew}/u,
};

describe("the translations", () => {
  it("have a table for every language the owner can pin, each in a chunk the widget can fetch", () => {
    expect([...tables.keys()].sort()).toEqual([...LANGUAGE_CODES].sort());
  });

  test.each(OTHERS)("%s has exactly the English keys, each a sentence or a plural as in English", (language) => {
    const table = tables.get(language)!;
    expect(Object.keys(table).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) expect([key, isPlural(table[key])]).toEqual([key, isPlural(ENGLISH_WORDS[key])]);
  });

  test.each(LANGUAGE_CODES)("%s fills the same placeholders as English in each sentence", (language) => {
    const table = tables.get(language)!;
    for (const key of KEYS) {
      const english = ENGLISH_WORDS[key];
      const value = table[key];
      if (!isPlural(english) || !isPlural(value)) {
        expect([key, placeholders(value as string)]).toEqual([key, placeholders(english as string)]);
        continue;
      }
      const wanted = placeholders(english.other);
      expect([key, placeholders(value.other)]).toEqual([key, wanted]);
      // A form may leave the number unwritten ("ثانية واحدة", one second), but nothing else.
      for (const form of Object.values(value))
        expect([key, placeholders(form)]).toEqual([
          key,
          wanted.filter((name) => name !== "count" || form.includes("{count}")),
        ]);
    }
  });

  test.each(LANGUAGE_CODES)("%s has a form for each of its plural categories, and no other", (language) => {
    const categories = new Intl.PluralRules(tagOf(language)).resolvedOptions().pluralCategories;
    const table = tables.get(language)!;
    for (const key of KEYS.filter((k) => isPlural(ENGLISH_WORDS[k])))
      expect([key, Object.keys(table[key]).sort()]).toEqual([key, [...categories].sort()]);
  });

  test.each(OTHERS)("%s has words of its own, in its own script", (language) => {
    const table = tables.get(language)!;
    expect(table["panel.title"]).toMatch(SCRIPTS[language]);
    // Every sentence is translated: none is left as its English (a word such as "Chat", or "KB", may be the same).
    const sentences = KEYS.filter(
      (key) => typeof ENGLISH_WORDS[key] === "string" && (ENGLISH_WORDS[key] as string).split(" ").length >= 3,
    );
    const untranslated = sentences.filter((key) => table[key] === ENGLISH_WORDS[key]);
    expect(untranslated).toEqual([]);
  });

  test.each(LANGUAGE_CODES)("%s has no empty word and no stray space", (language) => {
    const table = tables.get(language)!;
    const words = KEYS.flatMap((key) => {
      const value = table[key];
      return typeof value === "string" ? [value] : Object.values(value);
    });
    expect(words.filter((word) => word.trim() !== word || word === "" || /\s{2}/.test(word))).toEqual([]);
  });
});
