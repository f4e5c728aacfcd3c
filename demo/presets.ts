// The demo's fixed data: its account and users, the rules it starts with, and the visitor presets
// the host page offers. Addresses come from the documentation ranges (RFC 5737) and a private range,
// except where a preset needs a real network: an Amazon address for the hosting switch.

/** The demo account; its users' passwords are fixed and printed, since this is a local QA demo. */
export const DEMO_ACCOUNT = { id: "demo", name: "Hatch demo shop" } as const;

export const DEMO_USERS = [
  { email: "owner@demo.test", role: "owner", password: "demo-owner-password" },
  { email: "agent@demo.test", role: "agent", password: "demo-agent-password" },
] as const;

/** The IP rule the demo creates, so the "a blocked IP" preset has something to hit. */
export const BLOCKED_IP = "203.0.113.66";
/** The countries rule the demo creates: block these. */
export const BLOCKED_COUNTRIES = ["RU"] as const;
/** The demo's Tor exit list (TOR_EXIT_LIST), written into its data directory at every start. */
export const TOR_EXIT = "198.51.100.77";
/**
 * An address of AS16509 Amazon.com, Inc. (AWS EC2, eu-central-1) in the bundled @ip-location-db/asn
 * data, which the demo's hosting switch hides. test/e2e/demo.test.ts checks the data still says so.
 */
export const HOSTING_IP = "52.28.0.10";
export const HOSTING_AS = { asn: 16509, name: "Amazon.com, Inc." } as const;
/** The demo's network switches: hosting networks and Tor exits see no chat. */
export const DEMO_NETWORKS = { hosting: "hide", tor: "hide" } as const;
/** The header the demo proxy sets and the chat server trusts from it, as a CDN's would be. */
export const DEMO_COUNTRY_HEADER = "x-demo-country";

export interface Visitor {
  ip: string;
  /** ISO 3166-1 alpha-2, or null: the header is left out and the server asks its GeoIP database. */
  country: string | null;
}

export interface VisitorPreset extends Visitor {
  id: string;
  label: string;
  /** What to do before choosing this preset, when it plays the second half of a story. */
  first?: string;
  /** What QA should see with this visitor on the host site (after `first`, when there is one). */
  expect: string;
  /** Whether a browser with no history here gets the chat: one that has not done `first`. */
  shown: boolean;
}

export const VISITOR_PRESETS: readonly VisitorPreset[] = [
  {
    id: "allowed",
    label: "An allowed visitor",
    ip: "192.0.2.10",
    country: "DE",
    shown: true,
    expect: "The chat button appears at the bottom right. Open it and write: the chat shows up in the console.",
  },
  {
    id: "blocked-ip",
    label: "A blocked IP",
    ip: BLOCKED_IP,
    country: "DE",
    shown: false,
    expect: `No chat at all: ${BLOCKED_IP} is on the account's IP rules. Nothing is added to the page.`,
  },
  {
    id: "blocked-country",
    label: "A blocked country",
    ip: "198.51.100.5",
    country: "RU",
    shown: false,
    expect: "No chat at all: the country rule blocks RU (Russia).",
  },
  {
    id: "unknown-country",
    label: "Unknown country",
    ip: "10.0.0.5",
    country: null,
    shown: true,
    expect:
      "The chat appears: a private address has no country, and a block list shows unknown visitors " +
      'unless the owner picks "hide" (Block Visitors → Countries in the console).',
  },
  {
    id: "hosting",
    label: "A hosting network",
    ip: HOSTING_IP,
    country: "DE",
    shown: false,
    expect:
      `No chat at all: ${HOSTING_IP} is an Amazon Web Services address (AS${HOSTING_AS.asn} ${HOSTING_AS.name}), a ` +
      'hosting network, and the account hides those. "Test a visitor" (Block Visitors, in the console) names ' +
      `AS${HOSTING_AS.asn} as the reason; set "Hosting, cloud and VPN networks" to Off and save to let it in.`,
  },
  {
    id: "tor",
    label: "A Tor exit",
    ip: TOR_EXIT,
    country: "NL",
    shown: false,
    expect:
      `No chat at all: ${TOR_EXIT} is on the demo's Tor exit list (tor-exits.txt in its data directory, ` +
      "TOR_EXIT_LIST) and the account hides Tor exits. No rule names this address.",
  },
  {
    id: "banned-visitor",
    label: "A banned visitor on a new address",
    ip: "192.0.2.20",
    country: "DE",
    first:
      'Choose "An allowed visitor" and write in the chat. As the agent in the console, accept the chat, press ' +
      '"Block visitor…", untick the address so that only "This browser, whatever address it comes from next" is ' +
      "ticked, and block: the chat leaves this page. Then choose this preset.",
    shown: true,
    expect:
      "Still no chat: the proxy gives you a new address, but this browser keeps its visitor id, which is what the " +
      "agent blocked. A fresh browser (a private window) on this address gets the chat: the browser is banned, not " +
      "the address. Skip the first step and the chat appears.",
  },
];

/** The visitor the proxy starts with. */
export const DEFAULT_VISITOR: Visitor = { ip: VISITOR_PRESETS[0]!.ip, country: VISITOR_PRESETS[0]!.country };

/** The preset of this id; throws for an unknown one, so a renamed preset fails the tests that use it. */
export function presetById(id: string): VisitorPreset {
  const preset = VISITOR_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`There is no visitor preset "${id}".`);
  return preset;
}

/** The preset that `visitor` is exactly, if any. */
export function presetOf(visitor: Visitor): VisitorPreset | undefined {
  return VISITOR_PRESETS.find((p) => p.ip === visitor.ip && p.country === visitor.country);
}
