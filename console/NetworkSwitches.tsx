// The network switches: hide the chat from hosting, cloud and VPN networks and from Tor exits, or show it
// behind a proof of work; with what Hatch knows of each (the Tor exit list's state, how many hosting networks).

import type { ComponentChildren } from "preact";
import type { NetworksModel } from "./models/networks-model";
import type { NetworkStatus, PolicyDocument } from "./types";

type Switches = NonNullable<PolicyDocument["networks"]>;
type Mode = Switches["hosting"];

const MODES: [Mode, string][] = [
  ["off", "Off"],
  ["hide", "Hide the chat"],
  ["challenge", "Challenge (proof of work)"],
];

const OFF: Switches = { hosting: "off", tor: "off" };

/** The Tor exit list as the owner needs to know it: missing, or how many exits and since when. */
function torStatusText(tor: NetworkStatus["tor"]): string {
  if (tor.file === null) return "No Tor exit list is configured: set TOR_EXIT_LIST (see README).";
  if (tor.loadedAt === null) return `The Tor exit list ${tor.file} is being read.`;
  const skipped = tor.skipped > 0 ? `; ${tor.skipped} lines skipped` : "";
  return `${tor.addresses === 1 ? "1 exit" : `${tor.addresses} exits`}, read at ${new Date(tor.loadedAt).toLocaleString()}${skipped}.`;
}

function Switch({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: Mode;
  onChange(mode: Mode): void;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.currentTarget.value as Mode)}>
        {MODES.map(([mode, text]) => (
          <option key={mode} value={mode}>
            {text}
          </option>
        ))}
      </select>
      {children}
    </div>
  );
}

export function NetworkSwitches({
  value,
  onChange,
  readOnly,
  status,
}: {
  value: Switches | undefined;
  onChange(next: Switches): void;
  readOnly: boolean;
  status: NetworksModel;
}) {
  const switches = value ?? OFF;
  const known = status.status.value;
  return (
    <fieldset class="networks" id="networks" tabIndex={-1} disabled={readOnly}>
      <legend>Networks</legend>
      <p class="hint">
        Challenge: the chat shows, but the visitor's browser must solve a proof of work before their first message
        (about a second at the default difficulty); no third party is involved.
      </p>
      <Switch
        id="network-hosting"
        label="Hosting, cloud and VPN networks"
        value={switches.hosting}
        onChange={(hosting) => onChange({ ...switches, hosting })}
      >
        {known && (
          <p class="hint">
            Hatch knows {known.hosting.networks} networks of hosting, cloud and VPN providers (by AS number).
          </p>
        )}
      </Switch>
      <Switch
        id="network-tor"
        label="Tor exits"
        value={switches.tor}
        onChange={(tor) => onChange({ ...switches, tor })}
      >
        {known && <p class="hint tor-status">{torStatusText(known.tor)}</p>}
        {known?.tor.file && known.tor.error && <p class="error">{known.tor.error}</p>}
        {known?.tor.file === null && switches.tor !== "off" && (
          <p class="error">With no list, this switch {switches.tor === "hide" ? "hides" : "challenges"} no one.</p>
        )}
      </Switch>
      {status.state.value === "error" && <p class="error">{status.loadError.value}</p>}
    </fieldset>
  );
}
