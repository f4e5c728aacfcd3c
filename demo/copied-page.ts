// The "copied site": the shop's page with its snippet, copied to another origin. The demo account
// allows only the host site, so Hatch shows no chat here, and the browser may not even read its answer.

import type { DemoPageInfo } from "./host-page";
import { escapeHtml, htmlPage, snippet } from "./html";
import { DEMO_ACCOUNT } from "./presets";

// Asks for a verdict as the loader does, and says whether this page could read the answer.
const PROBE_SCRIPT = `
  const probe = document.getElementById("probe");
  fetch(VERDICT + "?page=" + encodeURIComponent(location.href), { credentials: "omit" })
    .then((response) => response.text())
    .then(
      (text) => { probe.textContent = "This page could read Hatch's answer, which it should not: " + text; probe.className = "bad"; },
      () => { probe.textContent = "The browser refused to let this page read Hatch's answer (no Access-Control-Allow-Origin for " + location.origin + "), as it should."; probe.className = "good"; },
    );
`;

export function copiedPage(info: DemoPageInfo): string {
  const verdictUrl = `${info.proxyOrigin}/api/v1/widget/${DEMO_ACCOUNT.id}/verdict`;
  return htmlPage(
    "Copied shop — the demo shop on another origin",
    `
<header>
  <h1>Copied shop <small>the demo shop's page, copied to ${escapeHtml(info.copiedOrigin)}</small></h1>
</header>
<main>
  <section aria-labelledby="what-title">
    <h2 id="what-title">What should happen here</h2>
    <p>Someone copied the <a href="${escapeHtml(info.hostOrigin)}/">demo shop</a>'s page, Hatch snippet included, to this
    origin. The demo account allows only <code>${escapeHtml(info.hostPattern)}</code> (Block Visitors → Websites in the console), so:</p>
    <ul>
      <li>No chat button appears, whoever the visitor is.</li>
      <li>Hatch's answers carry no <code>Access-Control-Allow-Origin</code> for this origin, so the browser does not let this page read them.</li>
    </ul>
    <p>Check, with the same request the loader makes: <output id="probe">asking Hatch…</output></p>
    <h3>The snippet on this page</h3>
    <pre><code>${escapeHtml(snippet(info.proxyOrigin, DEMO_ACCOUNT.id))}</code></pre>
  </section>
</main>
<script>const VERDICT = ${JSON.stringify(verdictUrl).replace(/</g, "\\u003c")};${PROBE_SCRIPT}</script>
${snippet(info.proxyOrigin, DEMO_ACCOUNT.id)}`,
  );
}
