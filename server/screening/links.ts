// Links in what visitors write: where each is and the host it really goes to. A phishing link reads
// "paypal.com.account-check.example/login"; the console shows it as text with its host set apart,
// so an agent sees where it leads before anyone opens it. linkify-it finds links the way people
// write them (with or without a scheme, against the list of real top-level domains); the host is the
// registrable domain (tldts, from the Public Suffix List) of the URL parser's ASCII host name, so a
// look-alike Unicode name shows as the xn-- it is and "paypal.com.evil.example" as "evil.example".

import LinkifyIt from "linkify-it";
import { getDomain } from "tldts";

const linkify = new LinkifyIt();

/** [start, end, host] of each web link in the text; email addresses are not links here. */
export function findLinks(text: string): [number, number, string][] {
  const found: [number, number, string][] = [];
  for (const match of linkify.match(text) ?? []) {
    if (match.schema === "mailto:") continue;
    const host = hostOf(match.url);
    if (host !== null) found.push([match.index, match.lastIndex, host]);
  }
  return found;
}

/** The registrable domain the link goes to; the whole host name where there is none (an address, localhost). */
function hostOf(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  if (host === "") return null;
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}
