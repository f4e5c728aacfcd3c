// What the chat does while no agent is online: take messages (the default) or hide the chat.

type Away = "hide" | "messages";

const CHOICES: [Away, string, string][] = [
  [
    "messages",
    "Take messages",
    "The chat says no one is online now and the visitor may leave a message; it waits here as an offline message, and they read your answer on their next visit.",
  ],
  ["hide", "Hide the chat", "Visitors see no chat until an agent is online."],
];

export function AwayField({ value, onChange }: { value: Away | undefined; onChange(value: Away): void }) {
  const current = value ?? "messages";
  return (
    <fieldset>
      <legend>When no agent is online</legend>
      <div role="radiogroup" aria-label="When no agent is online">
        {CHOICES.map(([away, label, hint]) => (
          <label key={away}>
            <input type="radio" name="away" checked={current === away} onChange={() => onChange(away)} /> {label}
            <span class="hint"> — {hint}</span>
          </label>
        ))}
      </div>
      <p class="hint">An agent is online while a console of theirs is open and they have not chosen or gone away.</p>
    </fieldset>
  );
}
