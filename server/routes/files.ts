// Files visitors sent, for the console: only safe raster images are served inline as themselves;
// everything else is an opaque download, so no file a visitor made can run in Hatch's origin.

import { Hono } from "hono";
import { isInlineImage } from "../../policy/file-category";
import { Readable } from "node:stream";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";

/** Even an image must not load anything or run anything if opened on its own. */
const FILE_CSP = "default-src 'none'; sandbox";

const notFound = () => new ApiError(404, "not_found", "There is no such file in this account.");

/**
 * `attachment` (or `inline`) with the name both as a plain ASCII fallback and RFC 5987 encoded (RFC 6266 §4.3).
 * @example contentDisposition("attachment", "résumé.pdf") // attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
 */
function contentDisposition(type: "inline" | "attachment", name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%/]/g, "_") || "file";
  // encodeURIComponent leaves '()*! which RFC 5987's attr-char does not allow (' ( ) * are delimiters).
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The bytes of a file of the signed-in user's account, streamed from the file store.
 * @example GET /api/v1/console/files/file_… → 200 image/png inline, or application/octet-stream attachment
 */
export function fileRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  app.use("/files/*", requireUser(deps));

  app.get("/files/:id", async (c) => {
    const file = await deps.conversations.file(c.get("user").account_id, c.req.param("id"));
    if (!file) throw notFound();
    const bytes = await deps.files.read(file.id);
    // The row outlived its bytes: the same answer as no file at all.
    if (!bytes) throw notFound();
    // Hono answers HEAD through this GET route and drops the body: leave no stream open for it.
    const head = c.req.method === "HEAD";
    if (head) bytes.stream.destroy();
    const inline = isInlineImage(file);
    const headers = {
      "Content-Type": inline ? file.mime : "application/octet-stream",
      "Content-Length": String(bytes.size),
      "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": FILE_CSP,
      "Cache-Control": "private, max-age=3600",
    };
    if (head) return c.body(null, 200, headers);
    return c.body(Readable.toWeb(bytes.stream) as ReadableStream<Uint8Array>, 200, headers);
  });

  return app;
}
