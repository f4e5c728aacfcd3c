// `npm run demo`: Hatch with the QA pages, a visitor proxy and a demo account, all on loopback.
// DEMO_PORT_BASE (default 8800) moves the four ports; DEMO_DATA_DIR (default ./data-demo) the data.

import { describeConfig } from "../server/config";
import { snippet } from "./html";
import { DEMO_ACCOUNT, DEMO_USERS, VISITOR_PRESETS } from "./presets";
import { portsFrom, startDemo } from "./start-demo";

const base = Number(process.env.DEMO_PORT_BASE?.trim() || 8800);
if (!Number.isInteger(base) || base < 1 || base > 65532) {
  console.error(
    `DEMO_PORT_BASE "${process.env.DEMO_PORT_BASE}" is not a port: use a number from 1 to 65532 (the demo uses it and the next three).`,
  );
  process.exit(1);
}

const demo = await startDemo({
  ports: portsFrom(base),
  dataDir: process.env.DEMO_DATA_DIR?.trim() || "./data-demo",
  env: process.env,
});
const lines = [
  "Hatch demo is running.",
  "",
  `  Host site (embeds the snippet):  ${demo.urls.host}`,
  `  Copied site (another origin):    ${demo.urls.copied}`,
  `  Console (through the proxy):     ${demo.urls.console}`,
  `  Visitor proxy (PUBLIC_URL):      ${demo.urls.proxy}`,
  `  Chat server (behind the proxy):  ${demo.urls.chat}`,
  "",
  `  Console sign-in, account "${DEMO_ACCOUNT.id}":`,
  ...DEMO_USERS.map((user) => `    ${user.role.padEnd(5)}  ${user.email}  password: ${user.password}`),
  "",
  "  Visitor presets (choose on the host site; one QA tester at a time):",
  ...VISITOR_PRESETS.map(
    (p) =>
      `    ${p.label.padEnd(34)} ${`${p.ip} ${p.country ?? "(no country)"}`.padEnd(24)} → chat ${
        p.afterFirst ?? (p.shown ? "shown" : "hidden")
      }`,
  ),
  `  The account allows only the website ${demo.hostPattern}; the copied site gets no chat.`,
  `  Hosting networks and Tor exits are hidden; the demo's Tor exit list is ${demo.torExitList}.`,
  "",
  `  Snippet: ${snippet(demo.urls.proxy, DEMO_ACCOUNT.id)}`,
  "",
  "  Chat server configuration:",
  ...describeConfig(demo.server.deps.config).map((line) => `    ${line}`),
  `    (TRUST_PROXY trusts ${demo.trust.note})`,
];
if (!demo.server.deps.assets.widgetEntry)
  lines.push("", "  The loader and widget are not built: run npm run build (npm run demo does it first).");
console.log(lines.join("\n"));
console.log("\nPress Ctrl+C to stop.");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the demo…");
    void demo.close().then(() => process.exit(0));
  });
}
