/**
 * `POST /api/webhooks {url, events?}` → 201 `{id, url, events, secret}` (the secret shown this once),
 * `GET /api/webhooks`, `DELETE /api/webhooks/:id`; admins only.
 */
import type { MiddlewareHandler } from 'hono';
import * as z from '../../config/zod.js';
import { NotFoundError } from '../../domain/errors.js';
import { WEBHOOK_DELIVERY_ID_PATTERN } from '../../schedule/step-scheduler.js';
import { resendWebhookDelivery } from '../../webhooks/resend.js';
import { deliveryView, registerWebhook, removeWebhook, webhookView } from '../../webhooks/registry.js';
import { newWebhookSchema } from '../../webhooks/schema.js';
import { WEBHOOK_EVENTS } from '../../webhooks/url-check.js';
import { requireAdmin } from '../auth.js';
import type { AppEnv } from '../context.js';
import { apiRouter, errors, json, security } from './openapi-kit.js';
import { idParamSchema } from './schemas.js';

const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireAdmin(c, 'manage webhooks');
  await next();
};

const webhookSchema = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: z.string() })
  .register(z.globalRegistry, { id: 'Webhook' });

const deliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    url: z.string(),
    messageId: z.string().register(z.globalRegistry, { description: 'The webhook-id header: the same on every attempt' }),
    event: z.enum(WEBHOOK_EVENTS),
    status: z.enum(['pending', 'sent', 'failing', 'parked']).register(z.globalRegistry, { description: 'failing: retrying (for 24 h); parked: given up, resend it' }),
    attempts: z.int(),
    createdAt: z.string(),
    lastAttemptAt: z.optional(z.string()),
    lastError: z.optional(z.string()),
    nextAttemptAt: z.optional(z.string()),
    sentAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'WebhookDelivery' });

const deliveryIdParamSchema = z.object({ id: z.string().check(z.regex(WEBHOOK_DELIVERY_ID_PATTERN, 'not a valid delivery id')) });

export function webhookRoutes() {
  const api = apiRouter();
  api.defineRoute(
    {
      method: 'post',
      path: '/webhooks',
      summary: 'Register a webhook endpoint',
      description:
        'Deliveries follow the Standard Webhooks specification: headers webhook-id, webhook-timestamp, webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body">, keyed by the secret after whsec_), body {type, timestamp, data}. https only (http to localhost only locally); hosts must resolve to public addresses. Without `events`, every event.',
      security,
      middleware: [adminOnly],
      request: { body: newWebhookSchema },
      responses: { 201: json(z.object({ id: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), secret: z.string() }), 'Registered; the secret is shown this once'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'manage webhooks');
      const webhook = await registerWebhook(c.get('deps'), s.group.id, c.req.valid('json'));
      return c.json({ id: webhook.id, url: webhook.url, events: webhook.events, secret: webhook.secret }, 201);
    },
  );
  api.defineRoute(
    { method: 'get', path: '/webhooks', security, middleware: [adminOnly], responses: { 200: json(z.object({ items: z.array(webhookSchema) }), "The group's webhooks (never their secrets)"), ...errors } },
    async (c) => {
      const s = requireAdmin(c, 'manage webhooks');
      return c.json({ items: (await c.get('deps').store.listWebhooks(s.group.id)).map(webhookView) }, 200);
    },
  );
  api.defineRoute(
    { method: 'delete', path: '/webhooks/{id}', security, middleware: [adminOnly], request: { params: idParamSchema }, responses: { 204: { description: 'Removed' }, ...errors } },
    async (c) => {
      const s = requireAdmin(c, 'manage webhooks');
      await removeWebhook(c.get('deps'), s.group.id, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  api.defineRoute(
    {
      method: 'get',
      path: '/webhooks/deliveries',
      summary: "The group's recent webhook deliveries, newest first",
      security,
      middleware: [adminOnly],
      responses: { 200: json(z.object({ items: z.array(deliverySchema) }), 'Deliveries (failing and parked ones need the admin)'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'manage webhooks');
      return c.json({ items: (await c.get('deps').store.listWebhookDeliveries(s.group.id)).map(deliveryView) }, 200);
    },
  );
  api.defineRoute(
    {
      method: 'post',
      path: '/webhooks/deliveries/{id}/resend',
      summary: 'Send a delivery again (a new 24 h of attempts, the first at once)',
      security,
      middleware: [adminOnly],
      request: { params: deliveryIdParamSchema },
      responses: { 202: json(deliverySchema, 'Planned'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'manage webhooks');
      const delivery = await resendWebhookDelivery(c.get('deps'), s.group.id, c.req.valid('param').id);
      if (!delivery) throw new NotFoundError('webhook delivery');
      return c.json(deliveryView(delivery), 202);
    },
  );
  return api;
}
