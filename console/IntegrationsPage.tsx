// Integrations (owners): webhook endpoints Hatch posts the account's events to, signed as the Standard
// Webhooks specification says, with their last deliveries.

import { useEffect, useMemo } from "preact/hooks";
import type { Api } from "./api";
import { createWebhooksModel } from "./models/webhooks-model";
import { Notice } from "./Notice";
import { WebhookForm } from "./WebhookForm";
import { WebhookItem } from "./WebhookItem";

/** The specification every delivery follows; its libraries verify a signature in a few lines. */
const STANDARD_WEBHOOKS = "https://www.standardwebhooks.com/";

export function IntegrationsPage({ api }: { api: Api }) {
  const model = useMemo(() => createWebhooksModel(api), [api]);
  useEffect(() => void model.load(), [model]);
  const endpoints = model.endpoints.value;
  return (
    <main class="page">
      <h1>Integrations</h1>
      <p class="hint">
        Webhooks: Hatch posts each event you choose to your HTTPS endpoint, signed with its secret and retried for a day
        until it answers 2xx. Each delivery follows the <a href={STANDARD_WEBHOOKS}>Standard Webhooks</a> specification:
        see “Verifying webhook signatures” in Hatch's README for a receiver that checks them in a few lines of Node.
      </p>
      <section aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">Endpoints</h2>
        {model.state.value === "loading" && <Notice kind="loading">Loading endpoints…</Notice>}
        {model.state.value === "error" && <Notice kind="error">{model.loadError.value}</Notice>}
        {model.state.value === "ready" && endpoints.length === 0 && (
          <Notice kind="empty">No endpoints yet: add one below.</Notice>
        )}
        {endpoints.length > 0 && (
          <ul class="team webhooks">
            {endpoints.map((endpoint) => (
              <WebhookItem key={endpoint.id} model={model} endpoint={endpoint} />
            ))}
          </ul>
        )}
      </section>
      <WebhookForm model={model} />
    </main>
  );
}
