// "Remove…", then the removal confirmed or kept in place: one click never removes anything. The
// caller holds whether it is confirming, to show what removing does beside it.

export function ConfirmRemove({
  label = "Remove…",
  question,
  confirmLabel,
  confirming,
  onConfirming,
  onRemove,
}: {
  /** The first button's words. */
  label?: string;
  /** The group's name while confirming: "Remove ann@acme.test?" */
  question: string;
  confirmLabel: string;
  confirming: boolean;
  onConfirming(confirming: boolean): void;
  onRemove(): void;
}) {
  if (!confirming)
    return (
      <button type="button" class="secondary" onClick={() => onConfirming(true)}>
        {label}
      </button>
    );
  return (
    <span role="group" aria-label={question}>
      <button type="button" class="danger" onClick={onRemove}>
        {confirmLabel}
      </button>{" "}
      <button type="button" class="secondary" onClick={() => onConfirming(false)}>
        Keep
      </button>
    </span>
  );
}
