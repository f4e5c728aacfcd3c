// CORS for the widget API: an Origin is echoed only when the account's website rules allow some page
// of it, so a copied site's browser cannot even read the answers.

import type { Context } from "hono";
import type { CompiledPolicy } from "../../policy/verdict";
import { parsePage } from "../../policy/website";
import { BoundedMemo } from "./memo";
import { MAX_REMEMBERED_ORIGINS } from "../limits";

const NO_CORS = Object.freeze({ Vary: "Origin" });
/** Origins remembered per compiled policy; a new policy starts afresh, so a change is never stale. */
const corsMemo = new WeakMap<CompiledPolicy, BoundedMemo<string, Readonly<Record<string, string>>>>();

/** The CORS headers for `origin` under `policy` (null: an unknown account, or no Origin sent). */
export function corsHeaders(policy: CompiledPolicy | null, origin: string | null): Readonly<Record<string, string>> {
  if (policy === null || origin === null) return NO_CORS;
  let memo = corsMemo.get(policy);
  if (memo === undefined) corsMemo.set(policy, (memo = new BoundedMemo(MAX_REMEMBERED_ORIGINS)));
  return memo.get(origin) ?? memo.set(origin, headersFor(policy, origin));
}

function headersFor(policy: CompiledPolicy, origin: string): Readonly<Record<string, string>> {
  const page = parsePage(`${origin}/`);
  return page.ok && policy.websites.allowsOrigin(page.page)
    ? Object.freeze({
        Vary: "Origin",
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": "Retry-After",
      })
    : NO_CORS;
}

/** Sets the CORS headers on a Hono answer. */
export function allowCors(c: Context, policy: CompiledPolicy | null, origin: string | null): void {
  for (const [name, value] of Object.entries(corsHeaders(policy, origin))) c.header(name, value);
}
