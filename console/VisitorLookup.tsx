// Options, for owners: a visitor's data by their id (the one a chat shows under "Visitor id", or the one
// they read out from their browser), for a request that comes by mail rather than from a chat.

import { useState } from "preact/hooks";
import { VISITOR_ID } from "../policy/rules";
import type { Api } from "./api";
import { Notice } from "./Notice";
import { TextField } from "./TextField";
import { VisitorData } from "./VisitorData";

export function VisitorLookup({ api }: { api: Api }) {
  const [visitorId, setVisitorId] = useState("");
  const [erased, setErased] = useState<string | null>(null);
  const id = visitorId.trim();
  const typed = id !== "" && !VISITOR_ID.test(id);
  return (
    <section aria-labelledby="visitor-data-heading">
      <h2 id="visitor-data-heading">A visitor's data</h2>
      <TextField
        id="visitor-data-id"
        label="Visitor id"
        value={visitorId}
        onInput={(value) => {
          setVisitorId(value);
          setErased(null);
        }}
        error={
          typed ? "A visitor id is v_ and 16 letters, digits, dashes or underscores, as a chat shows it." : undefined
        }
        hint="For a visitor who asks by mail for their data, or to be forgotten: their chats show it under “Visitor id”."
      />
      {erased && <Notice kind="ok">Erased every chat, message and file of {erased}.</Notice>}
      {VISITOR_ID.test(id) && erased !== id && (
        <VisitorData key={id} api={api} visitorId={id} onErased={() => setErased(id)} />
      )}
    </section>
  );
}
