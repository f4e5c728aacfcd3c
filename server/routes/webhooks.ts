// Webhooks (owners): endpoints added with the events they take and a secret shown once, removed,
// switched on again after failing for a day; their last deliveries, a test event, a redelivery.

import { Hono } from "hono";
import * as z from "zod/mini";
import { WEBHOOK_EVENTS, type WebhookDelivery } from "../../policy/wire";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { readJson, rejectBody } from "../http/request-body";
import { newId } from "../ids";
import type { OutboxRecord } from "../store/outbox";
import { MAX_ENDPOINTS, publicEndpoint } from "../store/webhooks";
import { checkDestination, ownerMessage } from "../webhooks/address-guard";
import { sequenceOf, type WebhookPayload } from "../webhooks/events";
import { newWebhookSecret } from "../webhooks/signature";

/** A URL longer than this is no endpoint anyone types. */
const MAX_URL_CHARS = 2_000;
/** Deliveries the console lists per endpoint. */
const LISTED_DELIVERIES = 50;

const endpointInputSchema = z.strictObject({
  url: z
    .string({ error: "url is the endpoint's address, like https://example.com/hatch-webhooks." })
    .check(z.trim(), z.maxLength(MAX_URL_CHARS, `url is at most ${MAX_URL_CHARS} characters.`)),
  events: z.array(z.enum(WEBHOOK_EVENTS, { error: `events are some of: ${WEBHOOK_EVENTS.join(", ")}.` })).check(
    z.minLength(1, "Choose at least one event to send."),
    z.refine((events) => new Set(events).size === events.length, "Each event once."),
  ),
});
const enableSchema = z.strictObject({
  enabled: z.literal(true, { error: 'enabled is true: an endpoint is switched on again with {"enabled":true}.' }),
});

const noEndpoint = () => new ApiError(404, "not_found", "There is no such webhook endpoint in this account.");

function deliveryOf(record: OutboxRecord): WebhookDelivery {
  const payload = record.payload as WebhookPayload;
  return {
    id: record.id,
    eventId: payload.eventId,
    type: payload.type,
    status: record.doneAt === null ? "pending" : record.lastError === null ? "delivered" : "failed",
    attempts: record.attempts,
    createdAt: new Date(record.createdAt).toISOString(),
    nextAt: record.doneAt === null ? new Date(record.nextAt).toISOString() : null,
    lastError: record.lastError,
  };
}

/**
 * @example POST /api/v1/console/webhooks {"url":"https://example.com/hook","events":["chat.started"]}
 *   → 201 {"endpoint":{"id":"whk_…","url":…,"events":[…],"createdAt":…,"disabledAt":null},"secret":"whsec_…"}
 * @example GET /api/v1/console/webhooks/whk_…/deliveries → {"deliveries":[{"id":12,"eventId":"chat.started:conv_…","status":"delivered",…}]}
 */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  const owner = requireUser(deps, "owner");

  async function endpointOf(accountId: string, id: string) {
    const endpoint = await deps.webhooks.get(accountId, id);
    if (!endpoint) throw noEndpoint();
    return endpoint;
  }

  /** Queues `payload` again for its endpoint, under a new dedupe key: same event id, a new delivery. */
  async function queue(accountId: string, payload: WebhookPayload, dedupeKey: string): Promise<WebhookDelivery> {
    const sequenceKey = sequenceOf(payload.endpointId, null);
    await deps.outbox.enqueue({
      accountId,
      channel: "webhook",
      dedupeKey,
      sequenceKey,
      targetKey: payload.endpointId,
      payload,
    });
    return deliveryOf((await deps.outboxStore.byDedupeKey(accountId, dedupeKey))!);
  }

  app.get("/webhooks", owner, async (c) => {
    const endpoints = await deps.webhooks.list(c.get("user").account_id);
    return c.json({ endpoints: endpoints.map(publicEndpoint) });
  });

  app.post("/webhooks", owner, async (c) => {
    const body = await readJson(c, endpointInputSchema);
    const user = c.get("user");
    // The address is checked now, so a mistake shows at once; and again at each delivery (DNS may change).
    const destination = await checkDestination(body.url, { allowPrivate: deps.config.webhooksAllowPrivate });
    if (!destination.ok) {
      deps.log.info({ url: body.url, refusal: destination.message }, "webhook endpoint refused");
      const message = ownerMessage(destination);
      throw new ApiError(400, "invalid", `url: ${message}`, { fields: { url: message } });
    }
    const secret = newWebhookSecret();
    const endpoint = await deps.webhooks.add(
      user.account_id,
      { url: body.url, events: body.events, secret },
      deps.now(),
    );
    if (endpoint === null)
      throw new ApiError(
        409,
        "too_many_endpoints",
        `An account keeps at most ${MAX_ENDPOINTS} webhook endpoints: remove one you no longer use first.`,
      );
    // The secret is said this once: no cache along the way keeps it.
    c.header("Cache-Control", "no-store");
    return c.json({ endpoint: publicEndpoint(endpoint), secret }, 201);
  });

  app.delete("/webhooks/:id", owner, async (c) => {
    if (!(await deps.webhooks.remove(c.get("user").account_id, c.req.param("id")))) throw noEndpoint();
    return c.body(null, 204);
  });

  app.patch("/webhooks/:id", owner, async (c) => {
    await readJson(c, enableSchema);
    const accountId = c.get("user").account_id;
    await endpointOf(accountId, c.req.param("id"));
    await deps.webhooks.enable(accountId, c.req.param("id"));
    return c.json({ endpoint: publicEndpoint(await endpointOf(accountId, c.req.param("id"))) });
  });

  app.get("/webhooks/:id/deliveries", owner, async (c) => {
    const accountId = c.get("user").account_id;
    const endpoint = await endpointOf(accountId, c.req.param("id"));
    const records = await deps.outboxStore.listSequences(accountId, "webhook", `${endpoint.id}:`, LISTED_DELIVERIES);
    return c.json({ deliveries: records.map(deliveryOf) });
  });

  app.post("/webhooks/:id/test", owner, async (c) => {
    await rejectBody(c);
    const accountId = c.get("user").account_id;
    const endpoint = await endpointOf(accountId, c.req.param("id"));
    const eventId = newId("test");
    const payload: WebhookPayload = {
      endpointId: endpoint.id,
      eventId,
      type: "test",
      data: { message: "A test event from Hatch: your endpoint receives and verifies webhooks." },
      timestamp: deps.now(),
    };
    return c.json({ delivery: await queue(accountId, payload, `${eventId}|${endpoint.id}`) }, 202);
  });

  app.post("/webhooks/:id/deliveries/:deliveryId/redeliver", owner, async (c) => {
    await rejectBody(c);
    const accountId = c.get("user").account_id;
    const endpoint = await endpointOf(accountId, c.req.param("id"));
    const id = Number(c.req.param("deliveryId"));
    const record = Number.isSafeInteger(id) ? await deps.outboxStore.find(accountId, id) : null;
    const payload = record?.payload as WebhookPayload | undefined;
    if (!record || payload?.endpointId !== endpoint.id)
      throw new ApiError(404, "not_found", "There is no such delivery to this endpoint.");
    if (record.doneAt === null)
      throw new ApiError(409, "delivery_pending", "This delivery is still being tried: wait for it to end.");
    return c.json(
      { delivery: await queue(accountId, payload, `${payload.eventId}|${endpoint.id}|${newId("again")}`) },
      202,
    );
  });

  return app;
}
