// A stored file's bytes as an answer, for the console's files route and the visitor's: streamed from
// the file store, never sniffed, sandboxed, and named for saving (RFC 6266).

import type { Context } from "hono";
import { Readable } from "node:stream";
import type { Deps } from "../deps";
import type { StoredFile } from "../store/conversations";

/** Even an image must not load anything or run anything if opened on its own. */
const FILE_CSP = "default-src 'none'; sandbox";

/** How a file is handed over: shown in place as its own type (a safe image in the console), or saved as opaque bytes. */
interface Handover {
  inline: boolean;
  cacheControl: string;
}

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

/** The answer with the bytes of `file`, or null when the row outlived its bytes (answered as no file at all). */
export async function fileAnswer(
  c: Context,
  deps: Deps,
  file: StoredFile,
  { inline, cacheControl }: Handover,
): Promise<Response | null> {
  const bytes = await deps.files.read(file.id);
  if (!bytes) return null;
  // Hono answers HEAD through a GET route and drops the body: leave no stream open for it.
  const head = c.req.method === "HEAD";
  if (head) bytes.stream.destroy();
  const headers = {
    "Content-Type": inline ? file.mime : "application/octet-stream",
    "Content-Length": String(bytes.size),
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": FILE_CSP,
    "Cache-Control": cacheControl,
  };
  if (head) return c.body(null, 200, headers);
  return c.body(Readable.toWeb(bytes.stream) as ReadableStream<Uint8Array>, 200, headers);
}
