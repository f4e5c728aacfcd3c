// Which language the widget speaks, and its table: the owner's pinned language, else the visitor's
// browser's first that the widget has, else English. English is in the first bundle; every other
// language is a chunk of its own, fetched before the button is drawn so that the first paint is right.

import type { WidgetLanguage } from "../../policy/languages";
import { en, type FirstTexts, type Texts } from "./en";

/** The chosen language and its words (English's but those that load with the panel: en-panel.ts). */
export interface Locale {
  language: WidgetLanguage;
  texts: FirstTexts;
}

/** Each language's table but English's, in a chunk of its own (Vite names it after the file). */
const TABLES: Record<Exclude<WidgetLanguage, "en">, () => Promise<Texts>> = {
  de: () => import("./de").then((table) => table.de),
  fr: () => import("./fr").then((table) => table.fr),
  es: () => import("./es").then((table) => table.es),
  pt: () => import("./pt").then((table) => table.pt),
  it: () => import("./it").then((table) => table.it),
  nl: () => import("./nl").then((table) => table.nl),
  pl: () => import("./pl").then((table) => table.pl),
  tr: () => import("./tr").then((table) => table.tr),
  ru: () => import("./ru").then((table) => table.ru),
  uk: () => import("./uk").then((table) => table.uk),
  ja: () => import("./ja").then((table) => table.ja),
  zh: () => import("./zh").then((table) => table.zh),
  ar: () => import("./ar").then((table) => table.ar),
  he: () => import("./he").then((table) => table.he),
};

/**
 * The BCP 47 tag for `lang` and for Intl, where it says more than the code. English is British, as the
 * server's is: a list has no comma before "and" ("images, videos and text files").
 */
const TAGS: Partial<Record<WidgetLanguage, string>> = { en: "en-GB", zh: "zh-Hans" };

/** Written right to left (Unicode CLDR's characterOrder). */
const RIGHT_TO_LEFT: ReadonlySet<WidgetLanguage> = new Set(["ar", "he"]);

/**
 * Chinese in Traditional script (explicit, or by region: Taiwan, Hong Kong, Macau). The widget's Chinese
 * is Simplified, which such a reader is not taken to prefer: the next preference is tried instead, as
 * Android and iOS resolve resources.
 */
const TRADITIONAL_CHINESE = /^zh-(hant|tw|hk|mo)(-|$)/i;

export const ENGLISH: Locale = { language: "en", texts: en };

const CODES: ReadonlySet<string> = new Set(["en", ...Object.keys(TABLES)]);
const has = (code: string): code is WidgetLanguage => CODES.has(code);

/** The widget's language for one BCP 47 tag: the tag itself, else its primary subtag ("de-AT" → de), else null. */
function languageOf(tag: string): WidgetLanguage | null {
  const lower = tag.toLowerCase();
  if (has(lower)) return lower;
  if (TRADITIONAL_CHINESE.test(lower)) return null;
  const primary = lower.split("-")[0] ?? "";
  return has(primary) ? primary : null;
}

/**
 * The language to speak: the one the owner pinned (the verdict's `config.language`) if the widget has
 * it, else the first of the browser's `preferred` languages it has, else English.
 * @example pickLanguage(undefined, ["de-AT", "en"]) // "de"
 */
export function pickLanguage(pinned: string | undefined, preferred: readonly string[]): WidgetLanguage {
  for (const tag of pinned === undefined ? preferred : [pinned, ...preferred]) {
    const language = languageOf(tag);
    if (language !== null) return language;
  }
  return "en";
}

/** The table of `language`, fetched; English if its chunk cannot be (the button shows, in English, rather than not at all). */
export function loadLocale(language: WidgetLanguage): Promise<Locale> {
  if (language === "en") return Promise.resolve(ENGLISH);
  return TABLES[language]().then(
    (texts) => ({ language, texts }),
    () => ENGLISH,
  );
}

/**
 * The tag whose clock and calendar to write times in: the visitor's own tag for the language spoken
 * ("en-US" writes 3:26 PM, "en-GB" 15:26, "de-CH" its own dates), else the language's default tag.
 * @example clockTag("en", ["en-US", "de"]) // "en-US"
 */
export function clockTag(language: WidgetLanguage, preferred: readonly string[]): string {
  const own = preferred.find((tag) => languageOf(tag) === language);
  return own !== undefined && knownToIntl(own) ? own : tagOf(language);
}

/** Whether Intl takes `tag`: a malformed one throws, which must cost the visitor nothing but the fallback. */
function knownToIntl(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0;
  } catch {
    return false;
  }
}

/** The tag for `lang` attributes and Intl. */
export const tagOf = (language: WidgetLanguage): string => TAGS[language] ?? language;

export const directionOf = (language: WidgetLanguage): "ltr" | "rtl" => (RIGHT_TO_LEFT.has(language) ? "rtl" : "ltr");
