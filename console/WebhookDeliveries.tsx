// An endpoint's last deliveries, newest first: what was sent, how it went, and "Redeliver" for a failed one.

import { formatTime } from "./format";
import type { WebhooksModel } from "./models/webhooks-model";
import { Notice } from "./Notice";
import type { WebhookDelivery } from "./types";

/** How a delivery went, in words; a pending one says when it is tried next. */
function statusText(delivery: WebhookDelivery): string {
  switch (delivery.status) {
    case "delivered":
      return "Delivered";
    case "failed":
      return "Failed";
    default:
      return delivery.nextAt ? `Pending, next try ${formatTime(delivery.nextAt)}` : "Pending";
  }
}

export function WebhookDeliveries({ model, endpointId, id }: { model: WebhooksModel; endpointId: string; id: string }) {
  const shown = model.deliveries.value.get(endpointId);
  const list = shown?.list;
  return (
    <div id={id} class="webhook-deliveries">
      {shown?.error && <Notice kind="error">{shown.error}</Notice>}
      {!shown?.error && !list && <Notice kind="loading">Loading deliveries…</Notice>}
      {list?.length === 0 && <Notice kind="empty">Nothing sent yet: send a test event to try the endpoint.</Notice>}
      {list && list.length > 0 && (
        <div class="table-wrap">
          <table class="stack">
            <caption class="sr-only">Last deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Time</th>
                <th scope="col">Last error</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((delivery) => (
                <tr key={delivery.id}>
                  <td data-label="Type">
                    <code>{delivery.type}</code>
                  </td>
                  <td data-label="Status">{statusText(delivery)}</td>
                  <td data-label="Attempts">{delivery.attempts}</td>
                  <td data-label="Time">{formatTime(delivery.createdAt)}</td>
                  <td class="wrap" data-label="Last error">
                    {delivery.lastError ?? "—"}
                  </td>
                  <td>
                    {delivery.status === "failed" && (
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`Redeliver ${delivery.type} of ${formatTime(delivery.createdAt)}`}
                        onClick={() => void model.redeliver(endpointId, delivery.id)}
                      >
                        Redeliver
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
