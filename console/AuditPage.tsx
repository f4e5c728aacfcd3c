// Audit (owners): every change to the rules, the policy and the team, who made it and when, newest first.

import { useEffect, useMemo } from "preact/hooks";
import type { Api } from "./api";
import { auditWhat, auditWho } from "./audit-text";
import { formatTime } from "./format";
import { createAuditModel } from "./models/audit-model";
import { Notice } from "./Notice";

export function AuditPage({ api }: { api: Api }) {
  const audit = useMemo(() => createAuditModel(api), [api]);
  useEffect(() => void audit.load(), [audit]);
  const entries = audit.entries.value;
  return (
    <main class="page">
      <h1>Audit</h1>
      <p class="hint">Every change to the rules, the policy and the team: who made it, when, and what it was.</p>
      {audit.state.value === "loading" && <Notice kind="loading">Loading the audit log…</Notice>}
      {audit.state.value === "error" && <Notice kind="error">{audit.loadError.value}</Notice>}
      {audit.state.value === "ready" && entries.length === 0 && <Notice kind="empty">No changes yet.</Notice>}
      {entries.length > 0 && (
        <div class="table-wrap">
          <table class="audit stack">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">{formatTime(entry.createdAt)}</td>
                  <td class="wrap" data-label="Who">
                    {auditWho(entry)}
                  </td>
                  <td class="wrap" data-label="What">
                    {auditWhat(entry)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit.olderError.value && <Notice kind="error">{audit.olderError.value}</Notice>}
      {audit.next.value !== null && (
        <button type="button" class="secondary" disabled={audit.loadingOlder.value} onClick={() => void audit.older()}>
          {audit.loadingOlder.value ? "Loading…" : "Older"}
        </button>
      )}
    </main>
  );
}
