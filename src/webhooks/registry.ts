/**
 * A group's webhook endpoints: register (URL checked, and in AWS resolved to public addresses only),
 * list (never the secret again), remove.
 */
import { lookup } from 'node:dns/promises';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { RelayDeps } from '../referrals/deps.js';
import type { WebhookDelivery, WebhookEndpoint } from '../store/referral-store.js';
import { newWebhookSecret } from './secret.js';
import { assertPublicHost, checkWebhookUrl, WEBHOOK_EVENTS, WebhookUrlError, type ResolveAll } from './url-check.js';

/** At most this many endpoints per group: enough for a CRM, Zapier and a spare. */
export const MAX_WEBHOOKS_PER_GROUP = 10;

export const resolveAll: ResolveAll = (host) => lookup(host, { all: true, verbatim: true });

/** What the admin sees of an endpoint after creating it: everything but the secret. */
export const webhookView = ({ id, url, events, createdAt }: WebhookEndpoint) => ({ id, url, events, createdAt });

export async function registerWebhook(
  deps: Pick<RelayDeps, 'store' | 'clock' | 'config'>,
  groupId: string,
  input: { url: string; events?: string[] },
  resolve: ResolveAll = resolveAll,
): Promise<WebhookEndpoint> {
  let url: URL;
  try {
    url = checkWebhookUrl(input.url, { local: deps.config.local });
    if (!deps.config.local) await assertPublicHost(url, resolve);
  } catch (err) {
    if (err instanceof WebhookUrlError) throw new ValidationError(err.message, [{ path: 'url', message: err.message.replace(/^url: /, '') }]);
    throw err;
  }
  if ((await deps.store.listWebhooks(groupId)).length >= MAX_WEBHOOKS_PER_GROUP) {
    throw new ValidationError(`A group can have at most ${MAX_WEBHOOKS_PER_GROUP} webhooks; remove one first`);
  }
  const webhook: WebhookEndpoint = {
    id: newId(),
    groupId,
    url: url.href,
    events: input.events ? [...new Set(input.events)] : [...WEBHOOK_EVENTS],
    secret: newWebhookSecret(),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.putWebhook(webhook);
  return webhook;
}

export async function removeWebhook(deps: Pick<RelayDeps, 'store'>, groupId: string, id: string): Promise<void> {
  if (!(await deps.store.deleteWebhook(groupId, id))) throw new NotFoundError('webhook');
}

/** What the admin sees of a delivery: where, what, and how it went (not the body or the secret). */
export const deliveryView = ({ id, endpointId, url, messageId, event, status, attempts, createdAt, lastAttemptAt, lastError, nextAttemptAt, sentAt }: WebhookDelivery) => ({
  id,
  endpointId,
  url,
  messageId,
  event,
  status,
  attempts,
  createdAt,
  ...(lastAttemptAt ? { lastAttemptAt } : {}),
  ...(lastError ? { lastError } : {}),
  ...(nextAttemptAt ? { nextAttemptAt } : {}),
  ...(sentAt ? { sentAt } : {}),
});

/** The group's deliveries that need the admin: still failing (retrying) or parked (given up). */
export async function troubledDeliveries(deps: Pick<RelayDeps, 'store'>, groupId: string): Promise<WebhookDelivery[]> {
  // A removed endpoint's deliveries are history, not something to resend.
  const endpoints = new Set((await deps.store.listWebhooks(groupId)).map((e) => e.id));
  return (await deps.store.listWebhookDeliveries(groupId)).filter((d) => (d.status === 'failing' || d.status === 'parked') && endpoints.has(d.endpointId));
}
