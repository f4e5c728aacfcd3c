// A file in a chat. Only an image with previews shown becomes an <img>; a hidden preview shows the
// name, size and kind and fetches nothing; every other file is a download link, never inline.

import { DANGEROUS_CATEGORIES, isInlineImage } from "../policy/file-category";
import { formatBytes } from "../policy/file-messages";
import type { StoredFile } from "./types";

export function FilePreview({ file, show, url }: { file: StoredFile; show: boolean; url: string }) {
  const facts = `${formatBytes(file.size)} · ${file.kind}`;
  // Images the server would not serve inline (TIFF, ICO, HEIC) are downloads like any other file.
  if (isInlineImage(file) && show) {
    return (
      <figure class="file">
        <img src={url} alt={file.name} loading="lazy" />
        <figcaption>
          <a href={url} download={file.name}>
            {file.name}
          </a>{" "}
          · {facts}
        </figcaption>
      </figure>
    );
  }
  if (isInlineImage(file)) {
    return (
      <p class="file file-hidden">
        {file.name} · {facts} <span class="muted">(preview hidden)</span>
      </p>
    );
  }
  const dangerous = DANGEROUS_CATEGORIES.includes(file.category);
  return (
    <p class={dangerous ? "file file-dangerous" : "file"}>
      <a href={url} download={file.name}>
        {file.name}
      </a>{" "}
      · {facts}
      {dangerous && <strong> · may be harmful: open only if you trust it</strong>}
    </p>
  );
}
