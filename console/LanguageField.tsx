// The widget's language: the visitor's browser decides, unless the owner pins one (Live Chat Window).

import { WIDGET_LANGUAGES, type WidgetLanguage } from "../policy/languages";

const BROWSER = "";

export function LanguageField({
  value,
  onChange,
}: {
  value: WidgetLanguage | undefined;
  onChange(value: WidgetLanguage | undefined): void;
}) {
  return (
    <fieldset>
      <legend>Language</legend>
      <div class="field">
        <label for="window-language">The chat speaks</label>
        <select
          id="window-language"
          value={value ?? BROWSER}
          aria-describedby="window-language-hint"
          onChange={(event) => onChange((event.currentTarget.value || undefined) as WidgetLanguage | undefined)}
        >
          <option value={BROWSER}>the visitor's language, as their browser says</option>
          {Object.entries(WIDGET_LANGUAGES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <p class="hint" id="window-language-hint">
          A visitor whose language the chat does not speak reads English.
        </p>
      </div>
    </fieldset>
  );
}
