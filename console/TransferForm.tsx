// "Pass to…": an active chat handed to a co-worker online, who the visitor then reads as their agent.

import { useEffect, useState } from "preact/hooks";
import { agentLabel } from "./agent-label";
import { messageOf, type Api } from "./api";
import type { ConversationModel } from "./models/conversation-model";
import { Notice } from "./Notice";
import type { TransferCandidate } from "./types";

export function TransferForm({ api, chat, onDone }: { api: Api; chat: ConversationModel; onDone(): void }) {
  const id = chat.conversation.value?.id ?? "";
  const [candidates, setCandidates] = useState<TransferCandidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState("");
  useEffect(() => {
    api.transferCandidates(id).then(
      (found) => {
        setCandidates(found);
        setChosen(found[0]?.userId ?? "");
      },
      (failure) => setError(messageOf(failure)),
    );
  }, [api, id]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!candidates) return <Notice kind="loading">Looking for co-workers online…</Notice>;
  if (candidates.length === 0) return <Notice kind="empty">No co-worker is online to take this chat.</Notice>;
  return (
    <form
      class="transfer-form"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await chat.transfer(chosen)) onDone();
      }}
    >
      <label for="transfer-to">Pass this chat to</label>{" "}
      <select id="transfer-to" value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
        {candidates.map((candidate) => (
          <option key={candidate.userId} value={candidate.userId}>
            {agentLabel(candidate.name, candidate.email) ?? "A co-worker with no name yet"}
          </option>
        ))}
      </select>{" "}
      <button type="submit">Pass the chat</button>
    </form>
  );
}
