// The widget's first bundle: the loader calls `mount` with the shadow root it made and the verdict's
// config. It draws only the chat button; the panel is fetched on first open, the ticket once the
// visitor first writes or a remembered chat resumes.

import { render } from "preact";
import { writeStored } from "./storage";
import { STYLES } from "./styles";
import { Widget } from "./Widget";

/** What the loader hands over after a `show` verdict. */
export interface Boot {
  /** The chat host's origin, the API base: "https://chat.example.com". */
  base: string;
  account: string;
  config: { visitor: string; files: { categories: string[]; maxBytes: number } };
  /** The element the loader added to the page; removing it removes the widget. */
  host: HTMLElement;
}

/**
 * Draws the widget into the loader's shadow root, and remembers the visitor id so that the
 * next page load's verdict resumes the same visitor (and conversation).
 * @example mount(host.attachShadow({ mode: "closed" }), { base, account, config, host })
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
