// Fills a language's table: placeholders, the plural form for a count (Intl.PluralRules), numbers, lists
// and times written the language's way (Intl.NumberFormat, Intl.ListFormat, Intl.DateTimeFormat).
// Loaded with the panel.

import { sizeInUnits } from "../../policy/file-messages";
import type { PluralKey, TextKey, Texts } from "./en";
import { enPanel } from "./en-panel";
import { clockTag, tagOf, type Locale } from "./languages";

/** Values for a sentence's placeholders; a number is written as the language writes numbers. */
type Params = Readonly<Record<string, string | number>>;

/** The words of one language, ready to use. */
export interface Translator {
  /** The sentence `key`, its {placeholders} filled from `params`. */
  text(key: TextKey, params?: Params): string;
  /** The form of plural `key` for `count`, its {count} filled. */
  plural(key: PluralKey, count: number): string;
  /** "images, videos and text files", joined as the language joins a list. */
  list(items: readonly string[]): string;
  /** A file size: "10 MB", "1,5 Ko", "900 bytes". */
  size(bytes: number): string;
  /** When a message was written (an ISO 8601 instant), in the visitor's time zone: "14:05" today, else "1 Jan 2026, 14:05". */
  time(instant: string): string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * A name (a file's, an agent's) set apart from the sentence around it, whatever its script and the
 * sentence's direction (Unicode's FSI … PDI): "\u2068آمنة\u2069 is typing…".
 */
export const isolate = (name: string): string => `\u2068${name}\u2069`;

/**
 * A translator for `locale`; its Intl formatters are made once. Times follow the visitor's own tag of the
 * language (`preferred`, the browser's languages) where it has one: an American reads 3:26 PM.
 * @example createTranslator({ language: "pl", texts: pl }).plural("size.bytes", 5) // "5 bajtów"
 */
export function createTranslator({ language, texts: first }: Locale, preferred: readonly string[] = []): Translator {
  // English's panel words load with the panel; every other table has its own.
  const texts: Texts = { ...enPanel, ...first };
  const tag = tagOf(language);
  const plurals = new Intl.PluralRules(tag);
  // No grouping: sizes and waits are short numbers, written as the server writes them ("1023 KB").
  const numbers = new Intl.NumberFormat(tag, { maximumFractionDigits: 1, useGrouping: false });
  const lists = new Intl.ListFormat(tag, { type: "conjunction" });
  const clock = clockTag(language, preferred);
  const times = new Intl.DateTimeFormat(clock, { timeStyle: "short" });
  const dates = new Intl.DateTimeFormat(clock, { dateStyle: "medium", timeStyle: "short" });

  const fill = (template: string, params: Params = {}) =>
    template.replace(PLACEHOLDER, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? numbers.format(value) : value;
    });

  const plural = (key: PluralKey, count: number) => {
    const forms = texts[key];
    // A browser whose plural data is older or newer than the table's may name a category it lacks.
    return fill(forms[plurals.select(count)] ?? forms.other, { count });
  };

  return {
    text: (key, params) => fill(texts[key], params),
    plural,
    list: (items) => lists.format(items),
    size(bytes) {
      const { amount, unit } = sizeInUnits(bytes);
      if (unit === "bytes") return plural("size.bytes", amount);
      return fill(texts[unit === "MB" ? "size.megabytes" : "size.kilobytes"], { count: amount });
    },
    time(instant) {
      const date = new Date(instant);
      return (date.toDateString() === new Date().toDateString() ? times : dates).format(date);
    },
  };
}
