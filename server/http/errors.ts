// server/http/: the HTTP pieces every route shares (errors, bodies, headers, CORS, client address, assets,
// metrics); below the store, so a store may answer in the contract's error shape.
// The contract's error shape: {"error":{"code","message","fields"?}} with a fitting status,
// and the helper that turns zod failures into it.

import type { ContentfulStatusCode } from "hono/utils/http-status";
import type * as z from "zod/mini";

/** What an error may add to its status, code and message. */
export interface ApiErrorOptions {
  /** Field → why it is wrong, for a 400 the console shows beside each field. */
  fields?: Record<string, string> | undefined;
  /** Response headers the error needs (`Retry-After` on a 429 or a 503). */
  headers?: Record<string, string> | undefined;
}

/** A failure the client should see as it is. Anything else becomes a 500 with no detail. */
export class ApiError extends Error {
  readonly fields: Record<string, string> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message);
    this.fields = options.fields;
    this.headers = options.headers;
  }
}

export function errorBody(code: string, message: string, fields?: Record<string, string>) {
  return { error: fields === undefined ? { code, message } : { code, message, fields } };
}

/** A 400 about one field, said as the contract says it: "field: why", and the why under `fields`. */
export function fieldError(field: string, message: string): ApiError {
  return new ApiError(400, "invalid", `${field}: ${message}`, { fields: { [field]: message } });
}

/** The 403 a blocked visitor gets: no reason, so an abuser learns nothing. */
export function unavailable(): ApiError {
  return new ApiError(403, "unavailable", "The chat is not available.");
}

/** Validates `raw` against `schema`, or throws the 400 that names each bad field. */
export function parseWith<S extends z.ZodMiniType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.infer<S>;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join(".") || "body";
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        fields[path === "body" ? key : `${path}.${key}`] = `Unknown field "${key}": remove it.`;
    } else {
      fields[path] ??= issue.message;
    }
  }
  const first = Object.entries(fields)[0];
  throw new ApiError(400, "invalid", first ? `${first[0]}: ${first[1]}` : "The request is not valid.", { fields });
}
