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
/** The "A Tor exit" preset's address, on the demo's Tor exit list (TOR_EXIT_LIST), written at every start. */
const TOR_EXIT = "198.51.100.77";
/**
 * A second exit on that list, for the "A challenged visitor" preset: the Tor switch covers every exit,
 * so this one is challenged only once the owner sets the switch to "challenge", and a preset of its
 * own keeps "A Tor exit" (hidden, as the demo starts) apart from it on the host page.
 */
export const CHALLENGED_TOR_EXIT = "198.51.100.78";
/** Every address the demo's Tor exit list holds, in its order. */
export const TOR_EXITS = [TOR_EXIT, CHALLENGED_TOR_EXIT] as const;
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
  /** With `first`: what happens once it is done, in a few words, for the list `npm run demo` prints. */
  afterFirst?: string;
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
    id: "challenged",
    label: "A challenged visitor",
    ip: CHALLENGED_TOR_EXIT,
    country: "SE",
    first:
      'As the owner in the console, go to Block Visitors → Networks, set "Tor exits" to "Challenge (proof of ' +
      'work)" and save (Automatic protection → "Challenge difficulty" sets how much work; the default takes ' +
      'about a second on a mid-range phone). The switch covers every Tor exit, so "A Tor exit" gets the chat ' +
      'behind the check too until you set it back to "Hide the chat". Then choose this preset.',
    afterFirst: "shown behind a proof of work once Tor exits are challenged (see the host site)",
    shown: false,
    expect:
      `The chat shows: ${CHALLENGED_TOR_EXIT} is the demo's second Tor exit, and Tor exits are now challenged. ` +
      'On your first message the widget checks that you are not a robot for about a second ("Checking that you ' +
      'are not a robot…", with a progress bar and Cancel), then the message reaches the console. No third party ' +
      'is asked. "Test a visitor" says "Shown, behind a proof of work". Skip the first step and there is no chat ' +
      'at all, as for "A Tor exit".',
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
    afterFirst: "hidden once the agent has banned this browser (see the host site)",
    shown: true,
    expect:
      "Still no chat: the proxy gives you a new address, but this browser keeps its visitor id, which is what the " +
      "agent blocked. A fresh browser (a private window) on this address gets the chat: the browser is banned, not " +
      "the address. Skip the first step and the chat appears.",
  },
  {
    id: "abusive",
    label: "A visitor who writes abuse",
    ip: "192.0.2.30",
    country: "GB",
    shown: true,
    expect:
      'The chat appears. Write "you f*cking idiot, my card is 4242 4242 4242 4242, see ' +
      'paypal.com.account-check.info/login". In the console the agent reads the abuse as ••• (Show reveals it, ' +
      "and the audit says who looked), the card as •••• 4242, and the link as text with account-check.info in " +
      "bold. Send two more abusive messages within the hour and automatic protection bans this visitor: the " +
      'chat leaves the page. Set Block Visitors → Screening → "Abusive words" to "Hold the message" and such ' +
      "messages wait in the chat's held list instead.",
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
