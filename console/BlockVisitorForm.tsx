// "Block this visitor": their browser, their address, their network or their network operator (AS),
// for how long and why; then the rules made, or found already doing it.

import { useState } from "preact/hooks";
import { formatNetwork, networkOf } from "../policy/cidr";
import { formatIp, parseIp, unmapIpv4 } from "../policy/ip";
import { DurationField } from "./DurationField";
import { expiryOf, type Duration } from "./durations";
import type { ConversationModel } from "./models/conversation-model";
import { Notice } from "./Notice";
import { KIND_NAMES } from "./rule-text";
import { TextField } from "./TextField";
import type { AsOf, BlockedRule, RuleKind } from "./types";

/** The order scopes are offered and sent in: narrowest first. */
const SCOPES: readonly RuleKind[] = ["visitor", "address", "network", "as"];

/** The address a block stores and its /24 (IPv4) or /64 (IPv6), as the server computes them; null when unusable. */
function addressOf(ip: string): { address: string; network: string } | null {
  const parsed = parseIp(ip);
  if (!parsed.ok) return null;
  const address = unmapIpv4(parsed.address);
  return { address: formatIp(address), network: formatNetwork(networkOf(address, address.version === 4 ? 24 : 64)) };
}

/** A scope as the form offers it: its name, and one line on whom else it hides. */
interface Choice {
  name: string;
  detail: string;
}

/** The scopes this visitor can be blocked by: the browser always; the address, network and AS when known. */
function choicesFor(
  at: { address: string; network: string } | null,
  visitorAs: AsOf | null,
): Partial<Record<RuleKind, Choice>> {
  const choices: Partial<Record<RuleKind, Choice>> = {
    visitor: { name: "This visitor", detail: "This browser, whatever address it comes from next" },
  };
  if (!at) return choices;
  choices.address = {
    name: `This address, ${at.address}`,
    detail: "And anyone else using it, such as a household, an office or a mobile network",
  };
  choices.network = {
    name: `Their network ${at.network}`,
    detail: at.network.includes(":")
      ? "Every address of this /64: usually one home or phone, however often its address changes"
      : "All 256 addresses around it: the next address over they may get, and their neighbours",
  };
  if (visitorAs)
    choices.as = {
      name: `Their provider AS${visitorAs.asn} ${visitorAs.name}`,
      detail: "Every customer of this provider, often millions of people: for the worst cases only",
    };
  return choices;
}

function Blocked({ rules, visitorAs }: { rules: BlockedRule[]; visitorAs: AsOf | null }) {
  return (
    <div class="notice notice-ok" role="status">
      <ul class="blocked">
        {rules.map((rule) => {
          const label = rule.label ?? (rule.kind === "as" ? visitorAs?.name : null);
          return (
            <li key={rule.id}>
              {rule.created ? "Blocked" : "Already blocked by"} <code>{rule.rule}</code>
              {label && ` ${label}`} ({KIND_NAMES[rule.kind]}
              {rule.expiresAt ? `, until ${new Date(rule.expiresAt).toLocaleString()}` : ""})
            </li>
          );
        })}
      </ul>
      This visitor no longer sees the chat. <a href="#/block">See the rules</a>
    </div>
  );
}

export function BlockVisitorForm({
  chat,
  ip,
  visitorAs,
}: {
  chat: ConversationModel;
  ip: string;
  visitorAs: AsOf | null;
}) {
  const at = addressOf(ip);
  const [scopes, setScopes] = useState<ReadonlySet<RuleKind>>(() => new Set(at ? ["visitor", "address"] : ["visitor"]));
  // A day by default: most abuse is one bad evening, and a ban for good of an address punishes
  // whoever gets it next. Longer is one choice away.
  const [duration, setDuration] = useState<Duration>("24h");
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const blocked = chat.blocked.value;
  const { fields, message } = chat.blockErrors.value;
  if (blocked) return <Blocked rules={blocked} visitorAs={visitorAs} />;

  const choices = choicesFor(at, visitorAs);
  const offered = SCOPES.filter((scope) => choices[scope] !== undefined);
  const chosen = offered.filter((scope) => scopes.has(scope));
  const toggle = (scope: RuleKind) => {
    const next = new Set(scopes);
    if (!next.delete(scope)) next.add(scope);
    setScopes(next);
  };
  return (
    <form
      class="block-form"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        await chat.block(chosen, comment, expiryOf(duration, ""));
        setBusy(false);
      }}
    >
      <fieldset class="choices" aria-describedby={fields.scope ? "block-scope-error" : undefined}>
        <legend>What to block</legend>
        {offered.map((scope) => (
          // The name and the line under it together name the box, as one label would, each its own element.
          <label key={scope} class="choice">
            <input
              type="checkbox"
              checked={scopes.has(scope)}
              onChange={() => toggle(scope)}
              aria-labelledby={`block-${scope}-name block-${scope}-detail`}
            />
            <span>
              <strong id={`block-${scope}-name`}>{choices[scope]!.name}</strong>
              <span id={`block-${scope}-detail`} class="choice-detail">
                {choices[scope]!.detail}
              </span>
            </span>
          </label>
        ))}
        {fields.scope && (
          <p class="error" id="block-scope-error">
            {fields.scope}
          </p>
        )}
      </fieldset>
      <DurationField
        id="block-duration"
        label="For how long"
        value={duration}
        onChange={setDuration}
        error={fields.expiresAt}
      />
      <TextField
        id="block-comment"
        label="Comment"
        value={comment}
        onInput={setComment}
        error={fields.comment}
        hint="Why, for whoever reads the rule later."
      />
      {message && <Notice kind="error">{message}</Notice>}
      <button type="submit" class="danger" disabled={busy || chosen.length === 0}>
        Block and close chat
      </button>
    </form>
  );
}
