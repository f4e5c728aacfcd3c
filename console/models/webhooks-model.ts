// The account's webhook endpoints, for owners: list, add (its secret kept to show once), remove,
// switch on again, send a test event, and each endpoint's last deliveries with redelivery.

import { signal } from "@preact/signals";
import { messageOf, type Api } from "../api";
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

/** The server lists at most this many deliveries of an endpoint; a queued one pushes the oldest out. */
const MAX_DELIVERIES = 50;

/** An endpoint's deliveries as last read: null while loading; `error` when reading them failed. */
interface DeliveryList {
  list: WebhookDelivery[] | null;
  error: string | null;
}

/** Puts a delivery the server just queued into a list, newest first: a redelivery replaces its row. */
function upsert(list: WebhookDelivery[], delivery: WebhookDelivery): WebhookDelivery[] {
  if (list.some((row) => row.id === delivery.id)) return list.map((row) => (row.id === delivery.id ? delivery : row));
  return [delivery, ...list].slice(0, MAX_DELIVERIES);
}

export function createWebhooksModel(api: Api) {
  const endpoints = signal<WebhookEndpoint[]>([]);
  const { state, loadError, track } = createLoadState();
  const errors = signal<FormErrors>(NO_ERRORS);
  const busy = signal(false);
  /** The endpoint just added and its secret: held here only, shown once, gone when dismissed or reloaded. */
  const created = signal<{ url: string; secret: string } | null>(null);
  /** What the last action on one endpoint said: a refusal, or news (a test event queued). */
  const said = signal<{ endpointId: string; error: string | null; news: string | null } | null>(null);
  const deliveries = signal<ReadonlyMap<string, DeliveryList>>(new Map());

  const setDeliveries = (id: string, next: DeliveryList) => {
    deliveries.value = new Map(deliveries.value).set(id, next);
  };
  /** Shows a delivery just queued in the endpoint's list, when that list is read. */
  const queued = (id: string, delivery: WebhookDelivery) => {
    const shown = deliveries.value.get(id);
    if (shown?.list) setDeliveries(id, { list: upsert(shown.list, delivery), error: null });
  };
  /** Runs an action on endpoint `id`, keeping what it says (or why it failed) beside it. */
  async function change(id: string, run: () => Promise<string | null>): Promise<boolean> {
    try {
      said.value = { endpointId: id, error: null, news: await run() };
      return true;
    } catch (error) {
      said.value = { endpointId: id, error: messageOf(error), news: null };
      return false;
    }
  }

  return {
    endpoints,
    state,
    loadError,
    errors,
    busy,
    created,
    said,
    deliveries,
    load: () =>
      track(async () => {
        endpoints.value = await api.webhooks();
      }),
    /** Adds an endpoint; none of the events ticked is refused beside them before sending. */
    async add(form: { url: string; events: WebhookEvent[] }): Promise<boolean> {
      if (form.events.length === 0) {
        errors.value = { fields: { events: "Tick at least one event to send." }, message: null };
        return false;
      }
      errors.value = NO_ERRORS;
      busy.value = true;
      try {
        const { endpoint, secret } = await api.addWebhook({ url: form.url.trim(), events: form.events });
        endpoints.value = [...endpoints.value, endpoint];
        created.value = { url: endpoint.url, secret };
        return true;
      } catch (error) {
        errors.value = formErrorsOf(error);
        return false;
      } finally {
        busy.value = false;
      }
    },
    /** Forgets the secret shown once. */
    dismissSecret() {
      created.value = null;
    },
    remove: (id: string) =>
      change(id, async () => {
        await api.removeWebhook(id);
        endpoints.value = endpoints.value.filter((endpoint) => endpoint.id !== id);
        return null;
      }),
    /** Switches on again an endpoint switched off after failing for a day. */
    enable: (id: string) =>
      change(id, async () => {
        const endpoint = await api.enableWebhook(id);
        endpoints.value = endpoints.value.map((row) => (row.id === id ? endpoint : row));
        return "Switched on: events are sent to it again.";
      }),
    sendTest: (id: string) =>
      change(id, async () => {
        queued(id, await api.testWebhook(id));
        return "A test event is on its way: see its delivery under Deliveries.";
      }),
    redeliver: (id: string, deliveryId: number) =>
      change(id, async () => {
        queued(id, await api.redeliver(id, deliveryId));
        return "Sent again, with the same event id.";
      }),
    /** Reads an endpoint's last deliveries; a failed read says why in their place. */
    async loadDeliveries(id: string) {
      setDeliveries(id, { list: deliveries.value.get(id)?.list ?? null, error: null });
      try {
        setDeliveries(id, { list: await api.deliveries(id), error: null });
      } catch (error) {
        setDeliveries(id, { list: null, error: messageOf(error) });
      }
    },
  };
}

export type WebhooksModel = ReturnType<typeof createWebhooksModel>;
