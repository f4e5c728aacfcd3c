// A visitor's words as screening left them (policy/screened-text.ts): abusive words masked until the
// agent asks to see them (the server audits it), links as text with the host they go to set apart
// and a copy button, clickable only when the owner lets links be links. A link is drawn isolated
// from the text around it and without bidi controls, so an override the visitor typed cannot make
// "evil.example/‮moc.lapyap" read as another address or move the host it goes to.

import { useState } from "preact/hooks";
import { MASK, piecesOf, type Piece } from "../policy/screened-text";
import type { Message } from "./types";

/** Marks and overrides that reorder text (LRM, RLM, ALM, embeddings, overrides, isolates): no URL needs one. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

type LinkProps = { piece: Extract<Piece, { kind: "link" }>; clickable: boolean; shown: boolean };

function LinkPiece({ piece, clickable, shown }: LinkProps) {
  const [copied, setCopied] = useState(false);
  // Abuse in the link stays masked, and the link no more than text, until the agent asks to see it.
  const hidden = piece.masked !== null && !shown;
  const text = (hidden ? piece.masked! : piece.text).replace(BIDI_CONTROLS, "");
  const copy = () =>
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(true),
      () => undefined,
    );
  return (
    <bdi class="message-link" dir="ltr">
      {clickable && !hidden ? (
        <a
          href={/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`}
          target="_blank"
          rel="noopener noreferrer nofollow ugc"
        >
          {text}
        </a>
      ) : (
        <span>{text}</span>
      )}{" "}
      <span class="link-host">
        (goes to <strong>{piece.host}</strong>)
      </span>{" "}
      <button type="button" class="secondary link-copy" onClick={copy} aria-label={`Copy the link to ${piece.host}`}>
        {copied ? "Copied" : "Copy"}
      </button>
    </bdi>
  );
}

export function MessageText({ message, reveal }: { message: Message; reveal(): Promise<boolean> }) {
  const [shown, setShown] = useState(false);
  const pieces = piecesOf(message.text, message.screening);
  const masked = pieces.some((piece) => piece.kind === "abuse" || (piece.kind === "link" && piece.masked !== null));
  const clickable = message.screening?.clickable === true;
  const show = async () => setShown(await reveal());
  return (
    <p>
      {pieces.map((piece, i) =>
        piece.kind === "link" ? (
          <LinkPiece key={i} piece={piece} clickable={clickable} shown={shown} />
        ) : piece.kind === "abuse" && !shown ? (
          <span key={i} class="masked" title="Hidden by screening">
            {MASK}
          </span>
        ) : (
          piece.text
        ),
      )}
      {masked && !shown && (
        <>
          {" "}
          <button type="button" class="secondary link-button" onClick={() => void show()}>
            Show
          </button>
        </>
      )}
    </p>
  );
}
