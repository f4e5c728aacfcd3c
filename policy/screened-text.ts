// A screened message as pieces to draw or to write out: plain text, abusive words (masked until an
// agent reveals them), and links (shown as text with their host set apart). The console draws the
// pieces; mail writes the abusive ones as ••• and its links defanged. Spans come from the server
// (server/screening/). Abuse wins over a link: a link with abuse in it is drawn as text, its abuse masked.

import type { MessageScreening } from "./chat";

export type Piece =
  { kind: "text"; text: string } | { kind: "abuse"; text: string } | { kind: "link"; text: string; host: string };

/** What a masked word shows until it is revealed. */
export const MASK = "•••";

type Span = { start: number; end: number; piece: (text: string) => Piece };

/** Whether start…end overlaps one of the spans. */
const overlapsAny = (start: number, end: number, spans: readonly (readonly [number, number])[]): boolean =>
  spans.some(([from, to]) => from < end && start < to);

/**
 * Spans clipped to the text and to each other, in order: a span overlapping an earlier one is cut to
 * what follows it. A link overlapping abuse is left out, so the abuse is masked and no link is cut short.
 */
function orderedSpans(text: string, screening: MessageScreening): Span[] {
  const spans: Span[] = [
    ...screening.abuse.map(([start, end]) => ({
      start,
      end,
      piece: (t: string): Piece => ({ kind: "abuse", text: t }),
    })),
    ...screening.links
      .filter(([start, end]) => !overlapsAny(start, end, screening.abuse))
      .map(([start, end, host]) => ({
        start,
        end,
        piece: (t: string): Piece => ({ kind: "link", text: t, host }),
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
    pieces.push(span.piece(text.slice(span.start, span.end)));
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
      if (piece.kind === "abuse") return MASK;
      return piece.kind === "link" && links === "defanged" ? defanged(piece.text) : piece.text;
    })
    .join("");
}
