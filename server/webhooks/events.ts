// Webhook events: what happened, queued for each endpoint of the account that takes its type, and
// sent from the outbox (sender below). A chat's events to one endpoint go in order; an endpoint that
// has failed for a day is switched off and the owners are told.

import type { WebhookEvent } from "../../policy/wire";
import type { Log } from "../log";
import type { Outbox, Sender } from "../outbox/worker";
import type { WebhookStore } from "../store/webhooks";
import { deliver } from "./deliver";

/** What the outbox keeps of one event for one endpoint. */
export interface WebhookPayload {
  endpointId: string;
  /** The `webhook-id`: the same on every try and redelivery, so a receiver can drop duplicates. */
  eventId: string;
  type: WebhookEvent | "test";
  data: unknown;
  /** When it happened, in ms. */
  timestamp: number;
}

/** One event: `id` names it once (`chat.message:123`), `chatId` keeps a chat's events in order. */
export interface WebhookEventInput {
  type: WebhookEvent;
  id: string;
  data: unknown;
  chatId?: string | null;
}

interface EmitDeps {
  webhooks: WebhookStore;
  outbox: Outbox;
  now(): number;
  log: Log;
}

/** An endpoint's deliveries share this prefix of their sequence key: its deliveries are listed by it. */
export const sequenceOf = (endpointId: string, chatId: string | null = null) => `${endpointId}:${chatId ?? "account"}`;

/** A failing endpoint is switched off after this long without a success. */
export const SWITCH_OFF_AFTER_MS = 24 * 60 * 60 * 1000;

/** Queues `event` for every endpoint of the account that takes it. Best effort: a failure here never fails what happened. */
export async function emitWebhook(deps: EmitDeps, accountId: string, event: WebhookEventInput): Promise<void> {
  try {
    const endpoints = await deps.webhooks.list(accountId);
    for (const endpoint of endpoints) {
      if (endpoint.disabledAt !== null || !endpoint.events.includes(event.type)) continue;
      const payload: WebhookPayload = {
        endpointId: endpoint.id,
        eventId: event.id,
        type: event.type,
        data: event.data,
        timestamp: deps.now(),
      };
      await deps.outbox.enqueue({
        accountId,
        channel: "webhook",
        dedupeKey: `${event.id}|${endpoint.id}`,
        sequenceKey: sequenceOf(endpoint.id, event.chatId),
        targetKey: endpoint.id,
        payload,
        // Nothing of a chat erased meanwhile: the erasure finishes first, and this finds the chat gone.
        conversationId: event.chatId ?? null,
      });
    }
  } catch (error) {
    deps.log.error({ err: error, event: event.id }, "webhook event could not be queued");
  }
}

/**
 * The outbox's sender of webhooks. A delivery to an endpoint removed or switched off since is given up;
 * a failure counts toward switching the endpoint off, which `switchedOff` then tells.
 */
export function webhookSender(
  webhooks: WebhookStore,
  {
    now,
    allowPrivate,
    switchedOff,
  }: { now(): number; allowPrivate: boolean; switchedOff(endpointId: string, accountId: string): Promise<void> },
): Sender {
  return async ({ accountId, payload }) => {
    const { endpointId, eventId, type, data, timestamp } = payload as WebhookPayload;
    const endpoint = await webhooks.get(accountId, endpointId);
    if (endpoint === null) return { ok: false, error: "The endpoint was removed.", giveUp: true };
    if (endpoint.disabledAt !== null) return { ok: false, error: "The endpoint is switched off.", giveUp: true };
    const outcome = await deliver({
      url: endpoint.url,
      secret: endpoint.secret,
      id: eventId,
      type,
      data,
      timestamp: new Date(timestamp),
      allowPrivate,
    });
    if (outcome.ok) {
      await webhooks.succeeded(endpointId);
      return { ok: true };
    }
    if (await webhooks.failed(endpointId, now(), SWITCH_OFF_AFTER_MS)) await switchedOff(endpointId, accountId);
    return { ok: false, error: outcome.error ?? `HTTP ${outcome.status}` };
  };
}
