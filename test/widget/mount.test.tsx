// @vitest-environment happy-dom
// The shared mount: a query that fails inside the widget's shadow root says what it looked for and
// shows the shadow root's markup, rather than a TypeError about printing a ShadowRoot.

import { afterEach, expect, it } from "vitest";
import { mountWidget, type Mounted } from "./mount";

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

it("names the missing element and shows the shadow root's markup when a query fails", () => {
  mounted = mountWidget();
  expect(() => mounted!.view.getByRole("button", { name: "No such button" })).toThrow(
    /Unable to find an accessible element with the role "button" and name "No such button"[\s\S]*Open chat/,
  );
});
