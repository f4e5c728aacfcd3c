// An avatar picker: a file input, a round preview and a Remove button. The team's avatar (Live Chat
// Window) is uploaded at once and saved with the policy; a user's own (Options) is saved at once.

import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf, type Api } from "./api";
import { Notice } from "./Notice";

/** What the server accepts (server/routes/avatars.ts); it checks the bytes whatever the picker says. */
const ACCEPT = "image/png,image/jpeg,image/gif,image/webp";

interface AvatarFieldProps {
  id: string;
  heading: string;
  hint: string;
  /** The avatar's file id; null: none. */
  value: string | null;
  /** Where a saved avatar's image is. */
  src(fileId: string): string;
  /** Uploads the chosen image; the new file id. */
  upload(file: File): Promise<string>;
  /** Takes a new file id, or null once removed. */
  onChange(fileId: string | null): void | Promise<void>;
  /** The server's word on the value, beside the field. */
  error?: string | undefined;
}

export function AvatarField({ id, heading, hint, value, src, upload, onChange, error }: AvatarFieldProps) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The images chosen here, shown from this browser: a team avatar is served only once the policy is saved.
  // Kept until the field goes: a discarded draft may show an earlier one again.
  const chosen = useRef(new Map<string, string>());
  useEffect(() => () => chosen.current.forEach((url) => URL.revokeObjectURL(url)), []);

  const run = async (step: () => Promise<void>) => {
    setFailure(null);
    setBusy(true);
    try {
      await step();
    } catch (problem) {
      setFailure(messageOf(problem));
    } finally {
      setBusy(false);
    }
  };
  const pick = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    void run(async () => {
      const fileId = await upload(file);
      chosen.current.set(fileId, URL.createObjectURL(file));
      await onChange(fileId);
    });
  };
  const shown = value && (chosen.current.get(value) ?? src(value));
  const problem = failure ?? error;
  return (
    <fieldset class="avatar-field" aria-busy={busy}>
      <legend>{heading}</legend>
      {shown ? (
        <img class="avatar-preview" src={shown} alt={`${heading}: the image visitors see`} width={32} height={32} />
      ) : (
        <p class="hint">None: visitors see no image.</p>
      )}
      <label for={id}>Choose an image</label>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        disabled={busy}
        aria-describedby={`${id}-hint`}
        onChange={(event) => pick(event.currentTarget)}
      />
      {value && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void run(async () => onChange(null))}>
          Remove
        </button>
      )}
      <p id={`${id}-hint`} class="hint">
        {hint} A PNG, JPEG, GIF or WebP image of at most 1 MiB, shown round at 32 pixels.
      </p>
      {problem && <Notice kind="error">{problem}</Notice>}
    </fieldset>
  );
}

/** The signed-in user's own avatar, beside their messages in the visitor's widget: saved as it is chosen. */
export function MyAvatarField({ api, account }: { api: Api; account: string }) {
  const [value, setValue] = useState<string | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    api.myAvatar().then(setValue, (problem: unknown) => setLoadError(messageOf(problem)));
  }, [api]);
  if (loadError) return <Notice kind="error">{loadError}</Notice>;
  if (value === undefined) return null;
  return (
    <AvatarField
      id="my-avatar"
      heading="Your avatar"
      hint="Visitors see it beside your messages."
      value={value}
      src={(fileId) => api.avatarUrl(account, fileId)}
      upload={api.setMyAvatar}
      onChange={async (fileId) => {
        if (fileId === null) await api.removeMyAvatar();
        setValue(fileId);
      }}
    />
  );
}
