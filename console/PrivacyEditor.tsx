// Privacy (owners, Live Chat Window): how long visitors' chats and full addresses are kept, whether
// agents read addresses whole or as networks, and the privacy notice the widget shows before a chat.
// Shown first on the page: it is the choice an owner answers to their data-protection officer for.

import { useState } from "preact/hooks";
import { labelOf } from "../policy/field-labels";
import { DEFAULT_RETENTION } from "../policy/schema";
import { TextField } from "./TextField";
import type { PolicyDocument } from "./types";

type Retention = NonNullable<PolicyDocument["retention"]>;
type Privacy = NonNullable<NonNullable<PolicyDocument["window"]>["privacy"]>;

/** The policy's error fields this editor shows beside their inputs. */
export const PRIVACY_FIELDS = ["retention", "agentsSeeAddresses", "window.privacy"];

interface Props {
  retention: Retention | undefined;
  agentsSee: PolicyDocument["agentsSeeAddresses"];
  notice: Privacy | undefined;
  onRetention(next: Retention): void;
  onAgentsSee(next: "full" | "network"): void;
  /** undefined: no notice. */
  onNotice(next: Privacy | undefined): void;
  errors: Record<string, string>;
}

/** Days as typed: empty is null (never), anything else a number for the server to judge. */
const daysOf = (text: string) => (text.trim() === "" ? null : Number(text));
const typedDays = (days: number | null) => (days === null ? "" : String(days));

export function PrivacyEditor(props: Props) {
  const shown = { ...DEFAULT_RETENTION, ...props.retention };
  // As typed, so an empty field being rewritten does not snap back to its default.
  const [days, setDays] = useState({
    deleteClosedChatsAfterDays: typedDays(shown.deleteClosedChatsAfterDays),
    anonymizeAddressesAfterDays: typedDays(shown.anonymizeAddressesAfterDays),
  });
  const clock = (field: keyof Retention, hint: string) => (
    <TextField
      id={`retention-${field}`}
      label={labelOf(`retention.${field}`)}
      type="number"
      value={days[field]}
      onInput={(text) => {
        setDays({ ...days, [field]: text });
        props.onRetention({ ...props.retention, [field]: daysOf(text) });
      }}
      error={props.errors[`retention.${field}`]}
      hint={hint}
    />
  );
  return (
    <fieldset class="privacy" id="privacy">
      <legend>Privacy</legend>
      {clock(
        "deleteClosedChatsAfterDays",
        shown.deleteClosedChatsAfterDays === null
          ? "Empty: closed chats, their messages and files are kept until you erase them. Set a number of days to delete them on that clock."
          : `Closed chats, with their messages and files, are deleted ${shown.deleteClosedChatsAfterDays} days after they close.`,
      )}
      {clock(
        "anonymizeAddressesAfterDays",
        "Then only the network stays (/24 for IPv4, /48 for IPv6), in chats and the audit; rules keep what they block. Empty: kept in full. Default: 30.",
      )}
      <div class="field">
        <label for="agents-see-addresses">{labelOf("agentsSeeAddresses")}</label>
        <select
          id="agents-see-addresses"
          aria-describedby="agents-see-addresses-hint"
          value={props.agentsSee ?? "full"}
          onChange={(event) => props.onAgentsSee(event.currentTarget.value as "full" | "network")}
        >
          <option value="full">The full address</option>
          <option value="network">Only the network (owners still see the full address)</option>
        </select>
        <p class="hint" id="agents-see-addresses-hint">
          A block from a chat acts on the full address either way.
        </p>
        {props.errors.agentsSeeAddresses && (
          <p class="error" id="agents-see-addresses-error">
            {props.errors.agentsSeeAddresses}
          </p>
        )}
      </div>
      <NoticeFields notice={props.notice} onNotice={props.onNotice} errors={props.errors} />
    </fieldset>
  );
}

/** The privacy notice: the owner's words and link, and whether a visitor must agree to start. */
function NoticeFields({ notice, onNotice, errors }: Pick<Props, "notice" | "onNotice" | "errors">) {
  const [text, setText] = useState(notice?.text ?? "");
  const [url, setUrl] = useState(notice?.url ?? "");
  const [version, setVersion] = useState(String(notice?.version ?? 1));
  const edit = (next: { text?: string; url?: string; version?: string; requireConsent?: boolean }) => {
    const fields = { text, url, version, requireConsent: notice?.requireConsent ?? false, ...next };
    if (fields.text.trim() === "" && fields.url.trim() === "") return onNotice(undefined);
    onNotice({
      text: fields.text,
      ...(fields.url.trim() === "" ? {} : { url: fields.url }),
      requireConsent: fields.requireConsent,
      version: Number(fields.version),
    });
  };
  return (
    <>
      <TextField
        id="privacy-text"
        label={labelOf("window.privacy.text")}
        multiline
        prose
        rows={2}
        value={text}
        onInput={(value) => {
          setText(value);
          edit({ text: value });
        }}
        error={errors["window.privacy.text"]}
        hint="Shown to visitors above their first message, as you write it. Empty: no notice."
      />
      <TextField
        id="privacy-url"
        label={labelOf("window.privacy.url")}
        type="url"
        value={url}
        onInput={(value) => {
          setUrl(value);
          edit({ url: value });
        }}
        error={errors["window.privacy.url"]}
        placeholder="https://example.com/privacy"
      />
      <div class="field">
        <label>
          <input
            type="checkbox"
            checked={notice?.requireConsent ?? false}
            disabled={notice === undefined}
            onChange={(event) => edit({ requireConsent: event.currentTarget.checked })}
          />{" "}
          {labelOf("window.privacy.requireConsent")}: a box they tick to start, kept with the chat
        </label>
      </div>
      <TextField
        id="privacy-version"
        label={labelOf("window.privacy.version")}
        type="number"
        value={version}
        onInput={(value) => {
          setVersion(value);
          edit({ version: value });
        }}
        error={errors["window.privacy.version"]}
        hint="Kept with each chat's consent: raise it when you change the notice."
      />
    </>
  );
}
