// The rules of every kind: what each hides, its comment, who made it (and from which chat), when, its
// expiry; owners can remove.

import { formatTime } from "./format";
import type { RulesModel } from "./models/rules-model";
import { Notice } from "./Notice";
import { authorText, isExpired, KIND_NAMES } from "./rule-text";
import type { Rule } from "./types";

function Author({ rule }: { rule: Rule }) {
  return (
    <>
      {authorText(rule)}
      {rule.conversationId && (
        <>
          {" "}
          from <a href={`#/chats/${encodeURIComponent(rule.conversationId)}`}>chat {rule.conversationId}</a>
        </>
      )}
    </>
  );
}

export function RulesTable({ model, canEdit }: { model: RulesModel; canEdit: boolean }) {
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
      {model.errors.value.message && <Notice kind="error">{model.errors.value.message}</Notice>}
      {model.total.value > rows.length && (
        <p class="hint">
          Showing the newest {rows.length.toLocaleString()} of {model.total.value.toLocaleString()} rules: narrow them
          with the search or the filters.
        </p>
      )}
      <div class="table-wrap">
        <table class="rules">
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
                  <td>{KIND_NAMES[rule.kind]}</td>
                  <td class="wrap">
                    <code>{rule.rule}</code>
                    {rule.label && <span class="muted"> {rule.label}</span>}
                  </td>
                  <td class="wrap">{rule.comment || <span class="muted">—</span>}</td>
                  <td class="wrap">
                    <Author rule={rule} />
                  </td>
                  <td>{formatTime(rule.createdAt)}</td>
                  <td>
                    {expired && <strong class="expired-mark">expired </strong>}
                    {rule.expiresAt ? formatTime(rule.expiresAt) : "never"}
                  </td>
                  {canEdit && (
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => void model.remove(rule.id)}
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
