// GET /console/widget-preview: the page Live Chat Window's preview frames, drawing the real widget (the
// built bundle the loader mounts on owners' sites) in the look the console posts to it.
//
// Decision: the console may not import widget/ (console/ and widget/ never import each other), and
// only the server knows the built entry's hashed name, so the server writes this page, once per
// build: an inline module that imports the entry and mounts it with a made-up boot, no verdict asked
// and no chat ever started. Its CSP allows no request but images from this origin (the account's
// avatars; connect-src 'none'), so a preview cannot reach the widget API however it is used; only the
// same origin may frame it, and only the console (the parent frame, on this origin) may post to it.

import { createHash } from "node:crypto";
import { Hono } from "hono";
import type { Assets } from "../http/assets";
import { ApiError } from "../http/errors";
import { ACCOUNT_ID } from "../store/accounts";

const WIDGET_PREVIEW_PATH = "/console/widget-preview";

/**
 * The page's script. A message `{config, open, account}` from the console redraws the widget with that
 * config (the verdict's look fields, and `language`), its avatars read from that account's widget API,
 * and opens or closes its panel; drawing again into the
 * same shadow root keeps the panel's state. The preview is a picture beside the settings: nothing in
 * it takes focus from the field the owner is typing in (the panel focuses its message field on open).
 */
const script = (entry: string) => `
import { mount } from ${JSON.stringify(entry)};
HTMLElement.prototype.focus = () => undefined;
const host = document.createElement("hatch-chat");
document.body.append(host);
const root = host.attachShadow({ mode: "open" });
let wanted = false;
const follow = () => {
  const button = root.querySelector(".button");
  if (button && (button.getAttribute("aria-expanded") === "true") !== wanted) button.click();
};
new MutationObserver(follow).observe(root, { childList: true, subtree: true, attributes: true });
addEventListener("message", (event) => {
  if (event.origin !== location.origin || event.source !== parent) return;
  const { config, open, account } = event.data;
  wanted = open === true;
  const files = { categories: [], maxBytes: 1 };
  const shown = typeof account === "string" && new RegExp(${JSON.stringify(ACCOUNT_ID.source)}).test(account) ? account : "preview";
  mount(root, { base: location.origin, account: shown, config: { visitor: "v_preview", files, ...config }, host });
  follow();
});
`;

/**
 * The page and its headers. Styles are inline because the widget puts its <style> elements in its
 * shadow root, as it does on any site; nothing on this page is written from strings but the entry's path.
 */
function previewPage(entry: string): { html: string; headers: Record<string, string> } {
  const code = script(entry);
  const hash = createHash("sha256").update(code).digest("base64");
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    "img-src 'self'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join("; ");
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Chat preview</title></head>
<body><script type="module">${code}</script></body>
</html>
`;
  return {
    html,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-cache",
      "Content-Security-Policy": csp,
      "X-Frame-Options": "SAMEORIGIN",
    },
  };
}

/**
 * The preview page, for the console's frame. 404 before the widget is built.
 * @example GET /console/widget-preview → 200 text/html, then postMessage({ config: { accent: "#ffd600", onAccent: "#111111" }, open: true })
 */
export function widgetPreviewRoutes(assets: Assets) {
  const app = new Hono();
  const page = assets.widgetEntry === null ? null : previewPage(assets.widgetEntry);
  app.get(WIDGET_PREVIEW_PATH, () => {
    if (!page) throw new ApiError(404, "not_found", "The widget is not built: run npm run build.");
    return new Response(page.html, { headers: page.headers });
  });
  return app;
}
