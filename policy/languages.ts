// The languages the widget speaks, by their BCP 47 primary tag, each named in itself: the owner may
// pin one in Live Chat Window, otherwise the widget follows the visitor's browser.

export const WIDGET_LANGUAGES = {
  en: "English",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
  pt: "Português",
  it: "Italiano",
  nl: "Nederlands",
  pl: "Polski",
  tr: "Türkçe",
  ru: "Русский",
  uk: "Українська",
  ja: "日本語",
  zh: "中文（简体）",
  ar: "العربية",
  he: "עברית",
} as const;

export type WidgetLanguage = keyof typeof WIDGET_LANGUAGES;

export const LANGUAGE_CODES = Object.keys(WIDGET_LANGUAGES) as WidgetLanguage[];
