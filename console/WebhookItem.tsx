// One webhook endpoint: its URL, events and status; a test event, switching it on again after a day of
// failures, removal confirmed in place, and its last deliveries on request.

import { ConfirmRemove } from "./ConfirmRemove";
import { useState } from "preact/hooks";
import { WEBHOOK_EVENTS } from "../policy/wire";
import { formatTime } from "./format";
import type { WebhooksModel } from "./models/webhooks-model";
import { Notice } from "./Notice";
import type { WebhookEndpoint } from "./types";
import { WebhookDeliveries } from "./WebhookDeliveries";

export function WebhookItem({ model, endpoint }: { model: WebhooksModel; endpoint: WebhookEndpoint }) {
  const [confirming, setConfirming] = useState(false);
  const [open, setOpen] = useState(false);
  const said = model.said.value?.endpointId === endpoint.id ? model.said.value : null;
  const panel = `webhook-deliveries-${endpoint.id}`;
  const all = WEBHOOK_EVENTS.every((event) => endpoint.events.includes(event));
  const toggleDeliveries = () => {
    if (!open) void model.loadDeliveries(endpoint.id);
    setOpen(!open);
  };
  return (
    <li>
      <span class="webhook-url">{endpoint.url}</span>
      <p class="hint">
        {all ? "All events" : "Events"}:{" "}
        {endpoint.events.map((event, i) => (
          <span key={event}>
            {i > 0 && ", "}
            <code>{event}</code>
          </span>
        ))}
      </p>
      {endpoint.disabledAt === null ? (
        <p class="webhook-status">Active</p>
      ) : (
        <p class="webhook-status">
          <strong>Switched off after failing for a day</strong>{" "}
          <span class="muted">(since {formatTime(endpoint.disabledAt)})</span>{" "}
          <button type="button" onClick={() => void model.enable(endpoint.id)}>
            Switch on
          </button>
        </p>
      )}
      <div class="member-actions">
        <button type="button" class="secondary" onClick={() => void model.sendTest(endpoint.id)}>
          Send a test event
        </button>
        <button type="button" class="secondary" aria-expanded={open} aria-controls={panel} onClick={toggleDeliveries}>
          Deliveries
        </button>
        <ConfirmRemove
          question={`Remove ${endpoint.url}?`}
          confirmLabel="Remove this endpoint"
          confirming={confirming}
          onConfirming={setConfirming}
          onRemove={() => void model.remove(endpoint.id)}
        />
      </div>
      {confirming && <p class="hint">Nothing more is sent to it, and its deliveries are forgotten.</p>}
      {said?.error && <Notice kind="error">{said.error}</Notice>}
      {said?.news && <Notice kind="ok">{said.news}</Notice>}
      {open && <WebhookDeliveries model={model} endpointId={endpoint.id} id={panel} />}
    </li>
  );
}
