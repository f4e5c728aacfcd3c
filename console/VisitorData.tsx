// An owner's answers to a visitor's data-protection request, beside their chat: export everything of
// theirs as one ZIP, or erase it (every chat, message and file of this visitor), confirmed first.

import { useState } from "preact/hooks";
import { messageOf, type Api } from "./api";
import { ConfirmRemove } from "./ConfirmRemove";
import { Notice } from "./Notice";

export function VisitorData({ api, visitorId, onErased }: { api: Api; visitorId: string; onErased(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const erase = async () => {
    try {
      await api.eraseVisitor(visitorId);
      onErased();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <div class="visitor-data">
      <a href={api.visitorExportUrl(visitorId)} download>
        Export this visitor's data
      </a>{" "}
      <ConfirmRemove
        label="Erase this visitor's data…"
        question={`Erase every chat, message and file of visitor ${visitorId}?`}
        confirmLabel="Erase for good"
        confirming={confirming}
        onConfirming={setConfirming}
        onRemove={() => void erase()}
      />
      {confirming && (
        <p class="hint">
          Every chat of this visitor goes, with its messages and files, for the whole team. Rules that block them stay.
          This cannot be undone: export first if they asked for a copy.
        </p>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
