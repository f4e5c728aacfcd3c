// The script tag's script: asks the chat host for a verdict and, only if shown, mounts the widget.
//   <script async src="https://CHAT-HOST/loader.js" data-account="ACCOUNT"></script>
// Hidden or failed: nothing is added, styled, logged or requested again. Shown: one host element
// with a shadow root, then the widget bundle named by the verdict. No globals are defined;
// a twice-pasted snippet mounts once (a Symbol.for key marks the page). The only file where bytes
// are counted by hand: see bench/size.ts for the budget.

interface Verdict {
  show: boolean;
  config: { visitor: string; widget: string; files: unknown };
}

((script: HTMLScriptElement | null, doc: Document) => {
  const mark = Symbol.for("hatch.loader");
  const win = window as unknown as Record<symbol, boolean>;
  const account = script?.dataset.account;
  if (!script || !account || win[mark]) return;
  win[mark] = true;
  const base = new URL(script.src).origin;
  const api = `${base}/api/v1/widget/${encodeURIComponent(account)}`;
  let visitor = "";
  try {
    visitor = localStorage.getItem(`hatch:${account}:visitor`) || "";
  } catch {
    // Storage can be blocked (sandboxed frames, privacy modes): the visitor simply starts afresh.
  }
  fetch(
    `${api}/verdict?page=${encodeURIComponent(location.href)}${visitor && "&visitor=" + encodeURIComponent(visitor)}`,
    { credentials: "omit" },
  )
    .then((response) => (response.ok ? response.json() : null))
    .then((verdict: Verdict | null) => {
      if (!verdict || !verdict.show) return;
      const host = doc.createElement("hatch-chat");
      const root = host.attachShadow({ mode: "open" });
      doc.body.appendChild(host);
      return import(/* @vite-ignore */ base + verdict.config.widget).then((widget) =>
        widget.mount(root, { base, account, config: verdict.config, host }),
      );
    })
    .catch(() => undefined);
})(document.currentScript as HTMLScriptElement | null, document);
