// Adding a webhook endpoint (owners): its HTTPS URL and the events it wants, all ticked at first; once
// added, its signing secret, shown this once.

import { useState } from "preact/hooks";
import { WEBHOOK_EVENTS } from "../policy/wire";
import type { WebhooksModel } from "./models/webhooks-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";
import type { WebhookEvent } from "./types";
import { WEBHOOK_EVENT_TEXT } from "./webhook-events";

/** The secret of the endpoint just added, to copy: the server never shows it again. */
function SecretField({ model, url, secret }: { model: WebhooksModel; url: string; secret: string }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div class="reset-link webhook-secret">
      <label for="webhook-secret">Signing secret for {url}</label>
      <input
        id="webhook-secret"
        readOnly
        value={secret}
        aria-describedby="webhook-secret-hint"
        onFocus={(e) => e.currentTarget.select()}
      />
      <div class="member-actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" class="secondary" onClick={() => model.dismissSecret()}>
          Done
        </button>
      </div>
      <p class="hint" id="webhook-secret-hint">
        Shown once: store it where your receiver verifies signatures.
      </p>
      <span role="status">
        {copied === "yes" ? "Copied." : copied === "failed" ? "Copying was refused: select the text and copy it." : ""}
      </span>
    </div>
  );
}

export function WebhookForm({ model }: { model: WebhooksModel }) {
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>([...WEBHOOK_EVENTS]);
  const { fields, message } = model.errors.value;
  const created = model.created.value;
  const toggle = (event: WebhookEvent) =>
    setEvents(
      events.includes(event)
        ? events.filter((e) => e !== event)
        : WEBHOOK_EVENTS.filter((e) => e === event || events.includes(e)),
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await model.add({ url, events })) {
      setUrl("");
      setEvents([...WEBHOOK_EVENTS]);
    }
  };
  return (
    <section aria-labelledby="webhook-add-heading">
      <h2 id="webhook-add-heading">Add an endpoint</h2>
      {created && <SecretField model={model} url={created.url} secret={created.secret} />}
      <form onSubmit={submit}>
        <TextField
          id="webhook-url"
          label="URL"
          type="url"
          value={url}
          onInput={setUrl}
          error={fields.url}
          hint="HTTPS, on a public address: Hatch posts each event there."
          placeholder="https://example.com/hatch-webhook"
          required
        />
        <fieldset aria-describedby={fields.events ? "webhook-events-error" : undefined}>
          <legend>Events to send</legend>
          <ul class="categories">
            {WEBHOOK_EVENTS.map((name) => (
              <li key={name}>
                <label>
                  <input
                    type="checkbox"
                    checked={events.includes(name)}
                    onChange={() => toggle(name)}
                    aria-describedby={`webhook-event-${name}`}
                  />{" "}
                  <code>{name}</code>
                </label>{" "}
                <span class="hint" id={`webhook-event-${name}`}>
                  {WEBHOOK_EVENT_TEXT[name]}
                </span>
              </li>
            ))}
          </ul>
          {fields.events && (
            <p class="error" id="webhook-events-error">
              {fields.events}
            </p>
          )}
        </fieldset>
        {message && <Notice kind="error">{message}</Notice>}
        <button type="submit" disabled={model.busy.value}>
          Add endpoint
        </button>
      </form>
    </section>
  );
}
