// @vitest-environment happy-dom
// The unread count in the tab's title: written before the page's title, put back when read, and a
// title the page set meanwhile (a single-page app moving on) kept.

import { afterEach, describe, expect, it } from "vitest";
import { createTabTitle } from "../../widget/tab-title";

afterEach(() => (document.title = ""));

describe("the tab title", () => {
  it("counts the unread messages before the page's title, and puts the title back when read", () => {
    document.title = "Shop";
    const title = createTabTitle(document);
    title(0);
    expect(document.title).toBe("Shop");
    title(1);
    expect(document.title).toBe("(1) Shop");
    title(2);
    expect(document.title).toBe("(2) Shop");
    title(0);
    expect(document.title).toBe("Shop");
  });

  it("keeps a title the page set meanwhile, with the count and once read", () => {
    document.title = "Shop";
    const title = createTabTitle(document);
    title(1);
    document.title = "Cart";
    title(2);
    expect(document.title).toBe("(2) Cart");
    document.title = "Checkout";
    title(0);
    expect(document.title).toBe("Checkout");
  });

  it("leaves a page's title that starts like a count alone", () => {
    document.title = "(3) Deals";
    const title = createTabTitle(document);
    title(1);
    expect(document.title).toBe("(1) (3) Deals");
    title(0);
    expect(document.title).toBe("(3) Deals");
  });
});
