// A screened message as pieces to draw or to write out: plain text, abusive words (masked until an
// agent reveals them), and links (shown as text with their host set apart). The console draws the
// pieces; mail writes the abusive ones as ••• and its links defanged. Spans come from the server
// (server/screening/). Abuse inside a link is masked within the link, which stays a link: its host
// still set apart, still defanged in mail, so abuse in a link's path cannot turn either off.

import type { MessageScreening } from "./chat";

export type Piece =
  | { kind: "text"; text: string }
  | { kind: "abuse"; text: string }
  /** `masked`: the link's text with the abuse in it masked; null when it holds none. */
  | { kind: "link"; text: string; host: string; masked: string | null };

/** What a masked word shows until it is revealed. */
export const MASK = "•••";

type Range = readonly [start: number, end: number];
type Span = { start: number; end: number; piece: (start: number, end: number) => Piece };

/** `ranges` less what `cuts` cover. */
function without(ranges: readonly Range[], cuts: readonly Range[]): Range[] {
  let left = [...ranges];
  for (const [cutStart, cutEnd] of cuts) {
    left = left.flatMap(([start, end]): Range[] => {
      if (cutEnd <= start || end <= cutStart) return [[start, end]];
      return [
        ...(start < cutStart ? [[start, cutStart] as const] : []),
        ...(cutEnd < end ? [[cutEnd, end] as const] : []),
      ];
    });
  }
  return left;
}

/** Text from start to end with the abuse in it masked; null when it holds none. */
function maskedWithin(text: string, start: number, end: number, abuse: readonly Range[]): string | null {
  let masked = "";
  let at = start;
  for (const [abuseStart, abuseEnd] of [...abuse].sort((a, b) => a[0] - b[0])) {
    const from = Math.max(abuseStart, at);
    const to = Math.min(abuseEnd, end);
    if (to <= from) continue;
    masked += text.slice(at, from) + MASK;
    at = to;
  }
  return masked === "" ? null : masked + text.slice(at, end);
}

/**
 * Spans clipped to the text and to each other, in order: a span overlapping an earlier one is cut to
 * what follows it. Abuse inside a link is the link's to mask; abuse around a link keeps what is outside it.
 */
function orderedSpans(text: string, screening: MessageScreening): Span[] {
  const links = screening.links.map(([start, end]): Range => [start, end]);
  const spans: Span[] = [
    ...without(screening.abuse, links).map(([start, end]) => ({
      start,
      end,
      piece: (from: number, to: number): Piece => ({ kind: "abuse", text: text.slice(from, to) }),
    })),
    ...screening.links.map(([start, end, host]) => ({
      start,
      end,
      piece: (from: number, to: number): Piece => ({
        kind: "link",
        text: text.slice(from, to),
        host,
        masked: maskedWithin(text, from, to, screening.abuse),
      }),
    })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  let from = 0;
  for (const span of spans) {
    const start = Math.max(span.start, from, 0);
    const end = Math.min(span.end, text.length);
    if (end <= start) continue;
    kept.push({ ...span, start, end });
    from = end;
  }
  return kept;
}

/** The message's text cut into pieces by its screening; one text piece when there is none. */
export function piecesOf(text: string, screening: MessageScreening | null): Piece[] {
  if (screening === null) return text === "" ? [] : [{ kind: "text", text }];
  const pieces: Piece[] = [];
  let at = 0;
  for (const span of orderedSpans(text, screening)) {
    if (span.start > at) pieces.push({ kind: "text", text: text.slice(at, span.start) });
    pieces.push(span.piece(span.start, span.end));
    at = span.end;
  }
  if (at < text.length) pieces.push({ kind: "text", text: text.slice(at) });
  return pieces;
}

/**
 * A link written so no mail program makes it one: "hxxps://evil[.]example/x", read by people, opened
 * by nobody by mistake (the way security teams write links they warn about).
 */
function defanged(link: string): string {
  return link.replace(/^http/i, "hxxp").replace(/\./g, "[.]");
}

/**
 * The text with its abusive words masked: what plain-text copies show. `links: "defanged"` for mail,
 * where a mail program would make a visitor's link clickable.
 */
export function maskedText(
  text: string,
  screening: MessageScreening | null,
  links: "as written" | "defanged" = "as written",
): string {
  return piecesOf(text, screening)
    .map((piece) => {
      if (piece.kind !== "link") return piece.kind === "abuse" ? MASK : piece.text;
      const shown = piece.masked ?? piece.text;
      return links === "defanged" ? defanged(shown) : shown;
    })
    .join("");
}
