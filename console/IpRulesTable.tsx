// The IP rules: filter, and a table of network, comment, who, when and expiry; owners can remove.

import { authorText, type IpRulesModel } from "./models/ip-rules-model";
import { formatTime } from "./format";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function IpRulesTable({ model, canEdit }: { model: IpRulesModel; canEdit: boolean }) {
  if (model.state.value === "loading") return <Notice kind="loading">Loading IP rules…</Notice>;
  if (model.state.value === "error") return <Notice kind="error">{model.loadError.value}</Notice>;
  if (model.rules.value.length === 0) {
    return (
      <Notice kind="empty">
        {canEdit
          ? "No IP rules yet: add an address or network below, or block a visitor from a chat."
          : "No IP rules yet. Block an abusive visitor from their chat."}
      </Notice>
    );
  }
  const rows = model.filtered.value;
  return (
    <>
      <TextField
        id="rule-filter"
        label="Filter rules"
        value={model.filter.value}
        onInput={(v) => (model.filter.value = v)}
        placeholder="network, comment or email"
      />
      {rows.length === 0 ? (
        <Notice kind="empty">No rule matches “{model.filter.value}”.</Notice>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Network</th>
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
              {rows.map((rule) => (
                <tr key={rule.id}>
                  <td>
                    <code>{rule.network}</code>
                  </td>
                  <td class="wrap">{rule.comment || <span class="muted">—</span>}</td>
                  <td class="wrap">
                    {authorText(rule)}
                    {rule.createdBy.kind === "agent" && (
                      <>
                        {" "}
                        from{" "}
                        <a href={`#/chats/${encodeURIComponent(rule.createdBy.conversationId)}`}>
                          chat {rule.createdBy.conversationId}
                        </a>
                      </>
                    )}
                  </td>
                  <td>{formatTime(rule.createdAt)}</td>
                  <td>{rule.expiresAt ? formatTime(rule.expiresAt) : "never"}</td>
                  {canEdit && (
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => void model.remove(rule.id)}
                        aria-label={`Remove ${rule.network}`}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
