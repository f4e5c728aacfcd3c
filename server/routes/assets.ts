// GET /loader.js and GET /widget/NAME-HASH.js, which any site may load (public code; module
// scripts fetched across origins need CORS), and the console app under /console/.

import { Hono } from "hono";
import type { Assets } from "../http/assets";
import { ApiError } from "../http/errors";

export function assetRoutes(assets: Assets) {
  const app = new Hono();
  app.get("/loader.js", (c) => serve(c.req.path, true));
  app.get("/widget/:file", (c) => serve(c.req.path, true));
  app.get("/", (c) => c.redirect("/console/"));
  app.get("/console", (c) => c.redirect("/console/"));
  // The console routes with the URL's hash, so every page is index.html.
  app.get("/console/", () => serve("/console/index.html", false));
  app.get("/console/*", (c) => serve(c.req.path, false));

  function serve(path: string, anyOrigin: boolean) {
    const asset = assets.files.get(path);
    if (!asset)
      throw new ApiError(404, "not_found", `There is no ${path}; if this is a fresh checkout, run npm run build.`);
    const headers: Record<string, string> = { "Content-Type": asset.type, "Cache-Control": asset.cacheControl };
    if (anyOrigin) headers["Access-Control-Allow-Origin"] = "*";
    return new Response(new Uint8Array(asset.body), { headers });
  }
  return app;
}
