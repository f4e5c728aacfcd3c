// The rules of every kind: what each hides, its comment, who made it (and from which chat), when, its
// expiry; owners can remove, and undo a removal for a few seconds.

import { useEffect, useRef } from "preact/hooks";
import { formatTime } from "./format";
import type { RulesModel } from "./models/rules-model";
import { Notice } from "./Notice";
import { hrefOf } from "./router";
import { authorText, isExpired, KIND_NAMES } from "./rule-text";
import type { ListedRule, RuleChat } from "./types";

/** The chat a rule came from, named as the chat list names a chat: its visitor's address, and when it started. */
function ChatLink({ chat }: { chat: RuleChat }) {
  return (
    <a href={hrefOf({ page: "chats", id: chat.id })}>
      {/* The comma with the address: a line never starts with it. */}
      chat with <span class="address-text">{chat.visitorIp},</span> {formatTime(chat.startedAt)}
    </a>
  );
}

function Author({ rule }: { rule: ListedRule }) {
  return (
    <>
      {authorText(rule)}
      {rule.conversationId && (
        <>
          {" from "}
          {rule.chat ? <ChatLink chat={rule.chat} /> : "a chat since erased"}
        </>
      )}
    </>
  );
}

/**
 * The rules just removed, each with its Undo while its window lasts, and a removal the server
 * refused. The region stays in place, empty, so that each removal is announced as it comes.
 */
function Removals({ model }: { model: RulesModel }) {
  const removing = model.removing.value;
  const newest = useRef<HTMLButtonElement>(null);
  const shown = useRef(0);
  // The focused Remove went with its row: focus goes to the Undo of what it removed.
  useEffect(() => {
    if (removing.length > shown.current) newest.current?.focus();
    shown.current = removing.length;
  }, [removing.length]);
  const { message } = model.errors.value;
  return (
    <>
      {message && <Notice kind="error">{message}</Notice>}
      <div class="removals" role="status">
        {removing.map((rule, i) => (
          <p key={rule.id} class="notice notice-ok">
            Removed <code class="rule-text">{rule.rule}</code>.{" "}
            <button
              type="button"
              class="secondary"
              ref={i === removing.length - 1 ? newest : undefined}
              onClick={() => model.undo(rule.id)}
              aria-label={`Undo removing ${rule.rule}`}
            >
              Undo
            </button>
          </p>
        ))}
      </div>
    </>
  );
}

export function RulesTable({ model, canEdit }: { model: RulesModel; canEdit: boolean }) {
  return (
    <>
      {canEdit && <Removals model={model} />}
      <RulesList model={model} canEdit={canEdit} />
    </>
  );
}

function RulesList({ model, canEdit }: { model: RulesModel; canEdit: boolean }) {
  if (model.state.value === "loading") return <Notice kind="loading">Loading rules…</Notice>;
  if (model.state.value === "error") return <Notice kind="error">{model.loadError.value}</Notice>;
  const rows = model.rules.value;
  if (rows.length === 0) {
    const filtered = Object.values(model.query.value).some(Boolean);
    return (
      <Notice kind="empty">
        {filtered
          ? "No rule matches these filters."
          : canEdit
            ? "No rules yet: add addresses, networks or AS numbers below, or block a visitor from a chat."
            : "No rules yet. Block an abusive visitor from their chat."}
      </Notice>
    );
  }
  const now = Date.now();
  return (
    <>
      {model.total.value > rows.length && (
        <p class="hint">
          Showing the newest {rows.length.toLocaleString()} of {model.total.value.toLocaleString()} rules: narrow them
          with the search or the filters.
        </p>
      )}
      <div class="table-wrap">
        <table class="rules stack">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Rule</th>
              <th scope="col">Comment</th>
              <th scope="col">Added by</th>
              <th scope="col">When</th>
              <th scope="col">Expires</th>
              {canEdit && (
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((rule) => {
              const expired = isExpired(rule, now);
              return (
                <tr key={rule.id} class={expired ? "expired" : undefined}>
                  <td data-label="Kind">{KIND_NAMES[rule.kind]}</td>
                  {/* No class "wrap": a rule is never broken mid-number; see .rule-text in console.css. */}
                  <td class="rule-cell" data-label="Rule">
                    <code class="rule-text">{rule.rule}</code>
                    {rule.label && <span class="muted"> {rule.label}</span>}
                  </td>
                  <td class="wrap" data-label="Comment">
                    {rule.comment || <span class="muted">—</span>}
                  </td>
                  <td class="wrap" data-label="Added by">
                    <Author rule={rule} />
                  </td>
                  <td data-label="When">{formatTime(rule.createdAt)}</td>
                  <td data-label="Expires">
                    {expired && <strong class="expired-mark">expired </strong>}
                    {rule.expiresAt ? formatTime(rule.expiresAt) : "never"}
                  </td>
                  {canEdit && (
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => model.remove(rule)}
                        aria-label={`Remove ${rule.rule}`}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
