// The built loader and widget as the server serves them: names from the manifest, caching, CORS.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAssets } from "../../../server/http/assets";
import { assetRoutes } from "../../../server/routes/assets";

const dist = mkdtempSync(join(tmpdir(), "hatch-dist-"));
mkdirSync(join(dist, "widget", ".vite"), { recursive: true });
writeFileSync(join(dist, "loader.js"), "console.log('loader')");
writeFileSync(join(dist, "widget", "widget-abc123.js"), "export function mount() {}");
writeFileSync(
  join(dist, "widget", ".vite", "manifest.json"),
  JSON.stringify({ "widget/main.tsx": { file: "widget-abc123.js", isEntry: true } }),
);
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("built assets", () => {
  const assets = loadAssets(dist);
  const app = assetRoutes(assets);

  it("names the widget entry from Vite's manifest", () => {
    expect(assets.widgetEntry).toBe("/widget/widget-abc123.js");
  });

  it("serves the loader with a short cache and the widget immutable, both readable cross-origin", async () => {
    const loader = await app.request("/loader.js");
    expect(loader.headers.get("cache-control")).toBe("public, max-age=300");
    expect(loader.headers.get("content-type")).toContain("text/javascript");
    expect(loader.headers.get("access-control-allow-origin")).toBe("*");
    const widget = await app.request("/widget/widget-abc123.js");
    expect(widget.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await widget.text()).toBe("export function mount() {}");
  });

  it("serves nothing else from the build folder", async () => {
    for (const path of ["/widget/.vite/manifest.json", "/widget/..%2Floader.js", "/widget/missing.js"]) {
      expect((await app.request(path)).status).not.toBe(200);
    }
  });
});
