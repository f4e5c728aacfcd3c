// Request bodies, read only through here: each route names its limit, which is enforced against
// Content-Length and again while the bytes arrive (chunked bodies too), so a 413 is answered before
// the memory is spent. Uploads stream to disk instead (uploads.ts) with the same two checks.

import type { Context } from "hono";
import type * as z from "zod/mini";
import { ApiError, parseWith } from "./errors";

/** How much a route reads, and what the sender is told past it. */
export interface BodyLimit {
  maxBytes: number;
  /** Says what was too large and how to send less. */
  message: string;
}

/** The console's and the widget's JSON bodies, unless a route names another limit. */
const JSON_LIMIT: BodyLimit = {
  maxBytes: 64 * 1024,
  message: "The request body is larger than 64 KiB: send less.",
};

/** Routes that take no body still read this much, to say what was wrong with what came. */
const NO_BODY_LIMIT: BodyLimit = { maxBytes: 1024, message: "This request takes no body: send none, or {}." };

/** What server.ts passes with every request for the reader: the deadline's base (Seams' bodyDeadlineBaseMs). */
export interface BodyBindings {
  bodyDeadlineBaseMs: number;
}

/**
 * How long a body may take to arrive: `baseMs` (10 s), and a second more for each 32 KiB its route may
 * take (12 s for 64 KiB, about 4 minutes for a 7.9 MB CSV). Node's own requestTimeout (300 s) is for
 * uploads on slow links; without this, a sign-in whose body trickles in holds its connection for
 * 300 s, and a few hundred of them hold every connection the console keeps for itself.
 */
export function bodyDeadlineMs(maxBytes: number, baseMs: number): number {
  return baseMs + Math.ceil(maxBytes / (32 * 1024)) * 1000;
}

/** Whether the Content-Length says more than `maxBytes`. A malformed one is left to the byte count. */
function declaresMoreThan(c: Context, maxBytes: number): boolean {
  const declared = c.req.header("content-length");
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes;
}

/** The body as text, at most `limit.maxBytes` of it; more is a 413 and nothing further is read. */
async function readBody(c: Context, limit: BodyLimit): Promise<string> {
  if (declaresMoreThan(c, limit.maxBytes)) throw new ApiError(413, "too_large", limit.message);
  const body = c.req.raw.body;
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadlineMs = bodyDeadlineMs(limit.maxBytes, (c.env as BodyBindings).bodyDeadlineBaseMs);
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError(
            408,
            "too_slow",
            `The request body took longer than ${deadlineMs / 1000} s to arrive: send it again.`,
          ),
        ),
      deadlineMs,
    );
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      size += value.byteLength;
      // The rest is neither read nor held: the answer says Connection: close (app.ts).
      if (size > limit.maxBytes) throw new ApiError(413, "too_large", limit.message);
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a JSON body within `limit` and validates it; unknown fields and bad values become a 400 with `fields`. */
export async function readJson<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
  limit = JSON_LIMIT,
): Promise<z.infer<S>> {
  return parseWith(schema, parseJson(await readBody(c, limit)));
}

/** readJson() for a route whose body may be left out: no body reads as `{}`. */
export async function readOptionalJson<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
  limit = JSON_LIMIT,
): Promise<z.infer<S>> {
  const text = await readBody(c, limit);
  return parseWith(schema, text.trim() === "" ? {} : parseJson(text));
}

/** Thrown by the reviver below, so parseJson can tell it from a syntax error. */
const NUL_FOUND = new Error("NUL");

/**
 * Parses a JSON body. A string holding NUL (\u0000) is refused here, for every route at once:
 * PostgreSQL cannot store it in text, and no chat message, comment or name needs it.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (typeof value === "string" && value.includes("\u0000")) throw NUL_FOUND;
      return value;
    });
  } catch (error) {
    if (error === NUL_FOUND)
      throw new ApiError(
        400,
        "bad_text",
        "The request holds a NUL character (\\u0000), which Hatch does not keep: remove it.",
      );
    throw new ApiError(
      400,
      "bad_json",
      "The request body is not valid JSON: send a JSON object with Content-Type: application/json.",
    );
  }
}

/**
 * For routes that take no body: nothing, or `{}`, passes; anything else is refused, as the
 * contract refuses unknown fields everywhere rather than ignoring them.
 */
export async function rejectBody(c: Context): Promise<void> {
  const text = (await readBody(c, NO_BODY_LIMIT)).trim();
  if (text === "" || text === "{}") return;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_json", NO_BODY_LIMIT.message);
  }
  const keys = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? Object.keys(raw) : [];
  const fields = Object.fromEntries(keys.map((key) => [key, `Unknown field "${key}": remove it.`]));
  throw new ApiError(400, "invalid", NO_BODY_LIMIT.message, { fields: keys.length > 0 ? fields : undefined });
}
