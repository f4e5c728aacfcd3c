// The host site's page: a shop that embeds the real snippet, with the visitor panel (who the proxy
// says you are) and the sample-files panel (what Hatch should do with each file under each preset).

import { escapeHtml, htmlPage, snippet } from "./html";
import {
  BLOCKED_COUNTRIES,
  BLOCKED_IP,
  DEMO_ACCOUNT,
  DEMO_USERS,
  presetOf,
  TOR_EXITS,
  VISITOR_PRESETS,
  type Visitor,
} from "./presets";
import { FILE_PRESETS, inspectionOutcome, outcomeUnder, SAMPLE_FILES } from "./sample-files";
import { VISITOR_PATH } from "./visitor-proxy";

export interface DemoPageInfo {
  hostOrigin: string;
  copiedOrigin: string;
  /** The visitor proxy, which is the chat host as browsers see it (PUBLIC_URL). */
  proxyOrigin: string;
  /** The website pattern the demo account allows, e.g. `localhost:8801`. */
  hostPattern: string;
  /** The demo's Tor exit list file (TOR_EXIT_LIST). */
  torExitList: string;
  visitor: Visitor;
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function describeVisitor(visitor: Visitor): string {
  return `IP ${visitor.ip}, ${visitor.country ? `country ${visitor.country}` : "no country header (the server asks its GeoIP database)"}`;
}

function visitorPanel(info: DemoPageInfo): string {
  const current = presetOf(info.visitor);
  const presets = VISITOR_PRESETS.map(
    (preset) => `
    <div class="preset">
      <button type="button" data-ip="${escapeHtml(preset.ip)}" data-country="${escapeHtml(preset.country ?? "")}" aria-pressed="${preset === current}">${escapeHtml(preset.label)}</button>
      <p><code>${escapeHtml(preset.ip)}</code> · ${preset.country ? `<code>${escapeHtml(preset.country)}</code>` : "no country"}</p>
      ${preset.first ? `<p><strong>First:</strong> ${escapeHtml(preset.first)}</p><p><strong>Then:</strong> ${escapeHtml(preset.expect)}</p>` : `<p>${escapeHtml(preset.expect)}</p>`}
    </div>`,
  ).join("");
  return `
  <section aria-labelledby="visitor-title">
    <h2 id="visitor-title">Who you are</h2>
    <p class="now">You are now: <strong id="current-visitor">${escapeHtml(describeVisitor(info.visitor))}</strong>${current ? ` — “${escapeHtml(current.label)}”.` : "."}
    ${current ? `<br>Expected${current.first ? " once you have done its first step (below)" : ""}: ${escapeHtml(current.expect)}` : ""}</p>
    <p class="note">The demo proxy in front of Hatch tells it this address and country, the way a CDN does in production.
    The choice is kept in the proxy's memory for every browser at once: <strong>one QA tester at a time</strong>.
    Choosing reloads this page, so the loader asks Hatch again.</p>
    <div class="presets">${presets}</div>
    <form id="visitor-form">
      <label>IP address (IPv4 or IPv6)<input name="ip" required value="${escapeHtml(info.visitor.ip)}" autocomplete="off"></label>
      <label>Country (two letters, empty for unknown)<input name="country" maxlength="2" size="4" value="${escapeHtml(info.visitor.country ?? "")}" autocomplete="off"></label>
      <button type="submit">Use this visitor</button>
    </form>
    <p role="alert" id="visitor-error"></p>
  </section>`;
}

function filesPanel(): string {
  const head = FILE_PRESETS.map((preset) => `<th scope="col">${escapeHtml(preset.label)}</th>`).join("");
  const rows = SAMPLE_FILES.map((file) => {
    const cells = FILE_PRESETS.map((preset) => {
      const outcome = outcomeUnder(file.category, preset.id);
      if (!outcome.sent) return `<td class="bad">Refused before upload: “${escapeHtml(outcome.message)}”</td>`;
      const inspected = inspectionOutcome(file, preset.id);
      return inspected.refused
        ? `<td class="bad">Refused by the server's inspection: “${escapeHtml(inspected.message)}”</td>`
        : `<td class="good">Sent</td>`;
    }).join("");
    return `<tr><th scope="row"><a href="/files/${encodeURIComponent(file.name)}" download>${escapeHtml(file.name)}</a></th>
      <td>${escapeHtml(file.what)}</td><td><code>${file.category}</code></td>${cells}</tr>`;
  }).join("\n");
  return `
  <section aria-labelledby="files-title">
    <h2 id="files-title">Sample files to send</h2>
    <p>Download a file, open the chat and attach it with the paper clip (“Attach a file”). The widget reads the
    file's first bytes and refuses what the account does not allow, without uploading anything; the server
    checks the bytes again and is the authority (it answers 415 with the same words). The owner picks the
    preset in the console: Live Chat Window → Files.</p>
    <p class="note">These files are made by the repo (<code>test/fixtures/make-files.ts</code>) from each format's
    specification, and by real tools for the ones the server inspects (<code>test/fixtures/inspection/make.sh</code>). Under the presets that hide the chat (a blocked IP or country, a hosting network, a Tor exit)
    there is no chat, so nothing can be sent at all.
    The browser may warn about downloading the programs and scripts: they do nothing harmful, so keep them.</p>
    <table>
      <thead><tr><th scope="col">File</th><th scope="col">What it is</th><th scope="col">Hatch sees</th>${head}</tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </section>`;
}

function accountPanel(info: DemoPageInfo): string {
  const users = DEMO_USERS.map(
    (user) => `<li>${user.role}: <code>${user.email}</code> / <code>${user.password}</code></li>`,
  ).join("");
  return `
  <section aria-labelledby="account-title">
    <h2 id="account-title">The demo account</h2>
    <p>Console: <a href="${escapeHtml(info.proxyOrigin)}/console/">${escapeHtml(info.proxyOrigin)}/console/</a>,
    account <code>${DEMO_ACCOUNT.id}</code>:</p>
    <ul>${users}</ul>
    <p>Its starting rules, put back each time <code>npm run demo</code> starts (anything else you change is kept):</p>
    <ul>
      <li>IP rule: <code>${BLOCKED_IP}</code> is blocked.</li>
      <li>Countries: block <code>${BLOCKED_COUNTRIES.join(", ")}</code>; unknown countries are shown.</li>
      <li>Networks: hosting, cloud and VPN networks and Tor exits are hidden. The Tor exit list is
        <code>${escapeHtml(info.torExitList)}</code>, which lists ${TOR_EXITS.map((exit) => `<code>${exit}</code>`).join(" and ")}.
        Set the Tor switch to “Challenge” for “A challenged visitor”.</li>
      <li>Websites: only <code>${escapeHtml(info.hostPattern)}</code> is allowed, so the
        <a href="${escapeHtml(info.copiedOrigin)}/">copied site</a> on another origin gets no chat.</li>
    </ul>
    <h3>The snippet on this page</h3>
    <pre><code>${escapeHtml(snippet(info.proxyOrigin, DEMO_ACCOUNT.id))}</code></pre>
  </section>`;
}

// Posts the choice to the proxy (CORS allows this origin only), then reloads.
const PANEL_SCRIPT = `
  const error = document.getElementById("visitor-error");
  async function choose(ip, country) {
    error.textContent = "";
    try {
      const response = await fetch(ENDPOINT, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ip, country }) });
      const body = await response.json();
      if (!response.ok) { error.textContent = body.error.message; return; }
      location.reload();
    } catch {
      error.textContent = "The demo proxy did not answer: is npm run demo still running?";
    }
  }
  for (const button of document.querySelectorAll("button[data-ip]")) {
    button.addEventListener("click", () => choose(button.dataset.ip, button.dataset.country));
  }
  document.getElementById("visitor-form").addEventListener("submit", (event) => {
    event.preventDefault();
    choose(event.target.elements.ip.value, event.target.elements.country.value);
  });
`;

export function hostPage(info: DemoPageInfo): string {
  return htmlPage(
    "Demo shop — a site that embeds Hatch",
    `
<header>
  <h1>Demo shop <small>a site that embeds Hatch, at ${escapeHtml(info.hostOrigin)}</small></h1>
  <p>This page stands for a customer's website. It carries the real Hatch snippet, loaded through the demo's
  visitor proxy. The chat button appears at the bottom right only when the account's rules let this visitor,
  on this page, see it; otherwise Hatch adds nothing to the page at all.</p>
</header>
<main>
${visitorPanel(info)}
${filesPanel()}
${accountPanel(info)}
</main>
<script>const ENDPOINT = ${scriptJson(info.proxyOrigin + VISITOR_PATH)};${PANEL_SCRIPT}</script>
${snippet(info.proxyOrigin, DEMO_ACCOUNT.id)}`,
  );
}
