// Links in what visitors write: where each is and the host it really goes to. A phishing link reads
// "paypal.com.account-check.example/login"; the console shows it as text with its host set apart,
// so an agent sees where it leads before anyone opens it. linkify-it finds links the way people
// write them (with or without a scheme, against the list of real top-level domains); the host is the
// registrable domain (tldts, from the Public Suffix List) of the URL parser's ASCII host name, so a
// look-alike Unicode name shows as the xn-- it is and "paypal.com.evil.example" as "evil.example".

import LinkifyIt from "linkify-it";
import { getDomain } from "tldts";

const linkify = new LinkifyIt();

/**
 * Dots a browser's address bar reads as "." (IDNA maps them): ideographic, full-width, half-width;
 * between ASCII letters or digits only, as "。" ends a Japanese or Chinese sentence.
 */
const WIDE_DOTS = /(?<=[A-Za-z0-9-])[\u3002\uff0e\uff61](?=[A-Za-z0-9])/g;
/** Full-width ASCII, which IDNA maps to ASCII too ("ｅｖｉｌ．ｃｏｍ" opens evil.com). */
const FULL_WIDTH = /[\uff01-\uff5e]/g;

/**
 * The text as an address bar reads it, character for character, so offsets stay the same: a link
 * written with wide dots or full-width letters is found, and its host is the one it opens.
 */
function asBrowsersRead(text: string): string {
  return text.replace(FULL_WIDTH, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)).replace(WIDE_DOTS, ".");
}

/** [start, end, host] of each web link in the text; email addresses are not links here. */
export function findLinks(text: string): [number, number, string][] {
  const found: [number, number, string][] = [];
  for (const match of linkify.match(asBrowsersRead(text)) ?? []) {
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
