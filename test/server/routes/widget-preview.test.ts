// The page Live Chat Window's preview frames: the built widget mounted by an inline module whose hash
// the CSP names, no request allowed, framed by the console's own origin only, and the console's page
// allowed to frame it.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

/** A CSP's directives, each to its sources. */
const directives = (csp: string | null) =>
  new Map(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/) as [string, ...string[]])
      .map(([name, ...sources]) => [name, sources]),
  );

describe("the widget preview page", () => {
  it("mounts the built widget entry from an inline module its CSP names by hash, and allows no request", async () => {
    const response = await fetch(`${h.url}/console/widget-preview`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    const entry = h.server.deps.assets.widgetEntry!;
    const script = /<script type="module">([\s\S]*)<\/script>/.exec(html)?.[1] ?? "";
    expect(script).toContain(`import { mount } from "${entry}";`);
    expect(script).toContain("event.origin !== location.origin || event.source !== parent");

    const csp = directives(response.headers.get("content-security-policy"));
    expect(csp.get("script-src")).toEqual([
      "'self'",
      `'sha256-${createHash("sha256").update(script).digest("base64")}'`,
    ]);
    expect(csp.get("connect-src")).toEqual(["'none'"]);
    // The account's avatars, from this origin's widget API; nothing else.
    expect(csp.get("img-src")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'self'"]);
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    // The rest of a page's headers still come from the table.
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  });

  it("is framed by the console's page, which may frame nothing of another origin", async () => {
    const response = await fetch(`${h.url}/console/`);
    const csp = directives(response.headers.get("content-security-policy"));
    expect(csp.get("frame-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });
});
