// The widget's first bundle: the loader calls `mount` with the shadow root it made and the verdict's
// config. It draws only the chat button, in the visitor's language (whose table is fetched first, unless
// it is English) and the owner's look; the panel is fetched on first open, the ticket once the visitor
// first writes or a remembered chat resumes.

import { render } from "preact";
import type { Boot } from "./boot";
import { directionOf, ENGLISH, loadLocale, pickLanguage, tagOf, type Locale } from "./i18n/languages";
import { writeStored } from "./storage";
import { STYLES } from "./styles";
import { Widget } from "./Widget";

/**
 * Draws the widget into the loader's shadow root, and remembers the visitor id so that the
 * next page load's verdict resumes the same visitor (and conversation). The language is the one
 * the owner pinned (`config.language`), else the browser's first the widget has, else English.
 * @example mount(host.attachShadow({ mode: "open" }), { base, account, config, host })
 */
export function mount(root: ShadowRoot, boot: Boot): void {
  writeStored(`hatch:${boot.account}:visitor`, boot.config.visitor);
  // lang picks the voice and the glyphs (Japanese and Chinese share code points); dir is set even left
  // to right, as `all: initial` on the host does not reset `direction`: the page's would come in.
  const draw = (locale: Locale) =>
    render(
      <>
        <style>{STYLES}</style>
        <div
          lang={tagOf(locale.language)}
          dir={directionOf(locale.language)}
          class={boot.config.position === "left" ? "start" : undefined}
          style={lookStyle(boot.config)}
        >
          <Widget boot={boot} locale={locale} />
        </div>
      </>,
      root,
    );
  const language = pickLanguage(boot.config.language, navigator.languages);
  // English is drawn at once; another language once its table is here, so that the first paint is in it.
  if (language === "en") draw(ENGLISH);
  else void loadLocale(language).then(draw);
}

/** The owner's look as custom properties on the widget's root, over the defaults styles.ts gives them there. */
function lookStyle({ accent, onAccent, offset }: Boot["config"]) {
  return {
    "--accent": accent,
    "--on-accent": onAccent,
    "--x": offset && `${offset[0]}px`,
    "--y": offset && `${offset[1]}px`,
  };
}
