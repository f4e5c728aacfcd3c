// The widget mounted as the loader mounts it, in a shadow root of its own, for the component tests
// that need a happy-dom environment.

import { configure, fireEvent, within } from "@testing-library/preact";
import { render } from "preact";
import type { Boot } from "../../widget/boot";
import { mount } from "../../widget/main";
import { ACCOUNT, BASE, MB, VISITOR } from "./fakes";

// The widget's queries run inside a shadow root. Testing Library prints the container when a query
// fails, and cannot print a ShadowRoot: it threw "Expected an element or document but got ShadowRoot"
// instead, which hid the failure itself. The shadow root's markup is printed here instead. And a wait
// gets five seconds, not one: a widget that solves proofs of work is slower on a machine busy with
// the rest of the suite, which made "gives up after repeated refusals" fail there.
configure({
  asyncUtilTimeout: 5_000,
  getElementError(message, container) {
    const markup = container instanceof ShadowRoot ? container.innerHTML : (container as Element | null)?.outerHTML;
    const error = new Error([message, markup?.slice(0, 4_000)].filter(Boolean).join("\n\n"));
    error.name = "TestingLibraryElementError";
    return error;
  },
});

/** A mounted widget: queries scoped to its shadow root, and how to take it down as a page unload would. */
export interface Mounted {
  view: ReturnType<typeof within>;
  root: ShadowRoot;
  host: HTMLElement;
  unmount(): void;
}

/** Picks `file` in the file input labelled `label`, as a visitor's file dialog would. */
export function chooseFile(view: ReturnType<typeof within>, label: string, file: File): void {
  const input = view.getByLabelText(label) as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
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
