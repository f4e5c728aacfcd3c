// The widget's first bundle: the loader calls `mount` with the shadow root it made and the verdict's
// config. It draws only the chat button; the panel is fetched on first open, the ticket once the
// visitor first writes or a remembered chat resumes.

import { render } from "preact";
import type { Boot } from "./boot";
import { writeStored } from "./storage";
import { STYLES } from "./styles";
import { Widget } from "./Widget";

/**
 * Draws the widget into the loader's shadow root, and remembers the visitor id so that the
 * next page load's verdict resumes the same visitor (and conversation).
 * @example mount(host.attachShadow({ mode: "open" }), { base, account, config, host })
 */
export function mount(root: ShadowRoot, boot: Boot): void {
  writeStored(`hatch:${boot.account}:visitor`, boot.config.visitor);
  render(
    <>
      <style>{STYLES}</style>
      <Widget boot={boot} />
    </>,
    root,
  );
}
