// The demo pages' shared shell: plain HTML with a little CSS, and escaping for what goes into it.

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The snippet a site owner pastes, exactly as the console shows it. */
export function snippet(chatOrigin: string, account: string): string {
  return `<script async src="${chatOrigin}/loader.js" data-account="${account}"></script>`;
}

const CSS = `
  body { font: 16px/1.5 system-ui, sans-serif; color: #1d2330; background: #f7f7f4; margin: 0; }
  header, main { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
  header { padding-top: 1.5rem; }
  h1 small, h2 small { font-weight: normal; color: #5a6170; font-size: 0.65em; }
  section { background: #fff; border: 1px solid #dcdcd6; border-radius: 8px; padding: 0.5rem 1.25rem 1rem; margin: 1.25rem 0; }
  .note { color: #5a6170; font-size: 0.92em; }
  .now { background: #eef4ff; border-left: 4px solid #3b6fd8; padding: 0.5rem 0.75rem; }
  .presets { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0.75rem; }
  .preset { border: 1px solid #dcdcd6; border-radius: 6px; padding: 0.6rem 0.75rem; }
  .preset button { font: inherit; font-weight: 600; padding: 0.3rem 0.7rem; cursor: pointer; }
  .preset button[aria-pressed="true"] { background: #3b6fd8; color: #fff; border-color: #3b6fd8; }
  .preset p { margin: 0.4rem 0 0; font-size: 0.92em; }
  form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin-top: 1rem; }
  label { display: flex; flex-direction: column; font-size: 0.92em; }
  input { font: inherit; padding: 0.25rem 0.4rem; }
  [role="alert"]:not(:empty) { color: #a3141a; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
  th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e6e6e0; padding: 0.4rem 0.5rem; }
  .good { color: #17692b; }
  .bad { color: #a3141a; }
  code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
  pre { background: #f1f1ec; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
`;

/** A whole page; `body` is trusted HTML built by the caller with escapeHtml. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
