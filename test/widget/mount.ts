// The widget mounted as the loader mounts it, in a shadow root of its own, for the component tests
// that need a happy-dom environment.

import { within } from "@testing-library/preact";
import { render } from "preact";
import type { Boot } from "../../widget/boot";
import { mount } from "../../widget/main";
import { ACCOUNT, BASE, MB, VISITOR } from "./fakes";

/** A mounted widget: queries scoped to its shadow root, and how to take it down as a page unload would. */
export interface Mounted {
  view: ReturnType<typeof within>;
  root: ShadowRoot;
  host: HTMLElement;
  unmount(): void;
}

/** Mounts the widget with the verdict's `config` (a visitor, images up to 10 MB, and whatever is given). */
export function mountWidget(config: Partial<Boot["config"]> = {}): Mounted {
  const host = document.createElement("hatch-chat");
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: "open" });
  const files = { categories: ["image" as const], maxBytes: 10 * MB };
  mount(root, { base: BASE, account: ACCOUNT, config: { visitor: VISITOR, files, ...config }, host });
  return {
    view: within(root as unknown as HTMLElement),
    root,
    host,
    unmount() {
      render(null, root);
      host.remove();
    },
  };
}
