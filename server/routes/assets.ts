// GET /loader.js and GET /widget/NAME-HASH.js. Any site may load them: they are public code,
// and module scripts fetched across origins need CORS.

import { Hono } from "hono";
import type { Assets } from "../assets";
import { ApiError } from "../errors";

export function assetRoutes(assets: Assets) {
  const app = new Hono();
  app.get("/loader.js", (c) => serve(c.req.path));
  app.get("/widget/:file", (c) => serve(c.req.path));

  function serve(path: string) {
    const asset = assets.files.get(path);
    if (!asset) throw new ApiError(404, "not_found", `There is no ${path}; if this is a fresh checkout, run npm run build.`);
    return new Response(new Uint8Array(asset.body), {
      headers: {
        "Content-Type": asset.type,
        "Cache-Control": asset.cacheControl,
        "Access-Control-Allow-Origin": "*",
      },
    });
  }
  return app;
}
