// Canned replies, for owners: the account's list of answers agents insert by typing "/" and a
// shortcut in the answer box; add one, remove one.

import { useEffect, useState } from "preact/hooks";
import { MAX_SHORTCUT_CHARS } from "../policy/limits";
import { messageOf, type Api } from "./api";
import { formErrorsOf, NO_ERRORS } from "./models/form-errors";
import { Notice } from "./Notice";
import { TextField } from "./TextField";
import type { CannedReply } from "./types";

export function RepliesSection({ api }: { api: Api }) {
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [shortcut, setShortcut] = useState("");
  const [text, setText] = useState("");
  const [errors, setErrors] = useState(NO_ERRORS);
  useEffect(() => {
    api.replies().then(setReplies, (error) => setLoadError(messageOf(error)));
  }, [api]);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const made = await api.addReply({ shortcut, text });
      setReplies([...(replies ?? []), made].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));
      setShortcut("");
      setText("");
      setErrors(NO_ERRORS);
    } catch (error) {
      setErrors(formErrorsOf(error));
    }
  };
  const remove = async (id: string) => {
    try {
      await api.removeReply(id);
      setReplies((replies ?? []).filter((reply) => reply.id !== id));
    } catch (error) {
      setErrors({ fields: {}, message: messageOf(error) });
    }
  };
  return (
    <section aria-labelledby="replies-heading">
      <h2 id="replies-heading">Canned replies</h2>
      <p class="hint">Agents type “/” in the answer box, then a few letters of the shortcut, to insert one.</p>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {replies?.length === 0 && <Notice kind="empty">No canned replies yet.</Notice>}
      {replies && replies.length > 0 && (
        <ul class="replies">
          {replies.map((reply) => (
            <li key={reply.id}>
              <code>/{reply.shortcut}</code> <span class="reply-text">{reply.text}</span>{" "}
              <button type="button" class="secondary" onClick={() => void remove(reply.id)}>
                Remove /{reply.shortcut}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <h3>Add a reply</h3>
        <TextField
          id="reply-shortcut"
          label="Shortcut"
          value={shortcut}
          onInput={setShortcut}
          error={errors.fields.shortcut}
          hint={`One word of up to ${MAX_SHORTCUT_CHARS} letters, digits or dashes, like “refund”.`}
          required
        />
        <TextField
          id="reply-text"
          label="Reply"
          multiline
          prose
          rows={3}
          value={text}
          onInput={setText}
          error={errors.fields.text}
          required
        />
        {errors.message && <Notice kind="error">{errors.message}</Notice>}
        <button type="submit">Add reply</button>
      </form>
    </section>
  );
}
