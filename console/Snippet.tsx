// The script tag to paste into the site, with a copy button.

import { useState } from "preact/hooks";

export function Snippet({ origin, account }: { origin: string; account: string }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const code = `<script async src="${origin}/loader.js" data-account="${account}"></script>`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <section aria-labelledby="snippet-heading">
      <h2 id="snippet-heading">Add the chat to your site</h2>
      <p>
        Paste this before <code>&lt;/body&gt;</code> on every page that should offer the chat.
      </p>
      <pre class="snippet">
        <code>{code}</code>
      </pre>
      <button type="button" onClick={() => void copy()}>
        Copy snippet
      </button>
      <span role="status">
        {copied === "yes"
          ? " Copied."
          : copied === "failed"
            ? " Copying was refused: select the text and copy it."
            : ""}
      </span>
    </section>
  );
}
