// The paperclip: a labelled, keyboard-reachable file input styled as a button. The chosen file goes to
// the model, which checks its size and real kind before anything is uploaded.

export interface AttachButtonProps {
  disabled: boolean;
  /** "Attach a file", in the visitor's language. */
  label: string;
  onFile(file: File): void;
}

/** A file input labelled "Attach a file"; the label is what shows. */
export function AttachButton({ disabled, label, onFile }: AttachButtonProps) {
  return (
    <label class="attach" title={label}>
      <input
        type="file"
        class="sr"
        disabled={disabled}
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          // Cleared so that choosing the same file again is a change too.
          input.value = "";
          if (file) onFile(file);
        }}
      />
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          d="M16.5 6.5l-7.8 7.8a1.8 1.8 0 0 0 2.5 2.5l8-8a3.5 3.5 0 0 0-5-5l-8.2 8.2a5.2 5.2 0 0 0 7.4 7.4l7.1-7.1"
          stroke="currentColor"
          stroke-width="1.8"
          stroke-linecap="round"
          fill="none"
        />
      </svg>
      <span class="sr">{label}</span>
    </label>
  );
}
