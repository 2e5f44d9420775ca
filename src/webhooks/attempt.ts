/**
 * One planned attempt of one webhook delivery (the dispatch Lambda in AWS, the local scheduler
 * here). The attempt is claimed (version-checked) and the next one planned *before* sending, so a
 * crash mid-way still retries; a success cancels that next attempt, and an attempt that finds the
 * delivery sent, parked or already past it does nothing. Retries follow Standard Webhooks' schedule
 * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h) and a last try at 24 h; then the delivery is parked for the
 * admin, who can resend it.
 */
import { StaleWriteError } from '../domain/errors.js';
import type { RelayDeps } from '../referrals/deps.js';
import type { WebhookDelivery } from '../store/referral-store.js';
import { deliverWebhook, type DeliverOptions } from './deliver.js';
import { resolveAll } from './registry.js';

export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;
const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000];

/** When attempt `attempts + 1` goes, after `attempts` failed ones; undefined once the 24 h are over. Pure. */
export function nextWebhookAttemptAt(attempts: number, firstAttemptAt: Date, now: Date): Date | undefined {
  const end = firstAttemptAt.getTime() + WEBHOOK_RETRY_WINDOW_MS;
  if (now.getTime() >= end) return undefined;
  const delay = RETRY_DELAYS_MS[attempts - 1] ?? WEBHOOK_RETRY_WINDOW_MS;
  return new Date(Math.min(now.getTime() + delay, end));
}

export type AttemptOutcome = 'sent' | 'failing' | 'parked' | 'done';

type AttemptDeps = Pick<RelayDeps, 'store' | 'scheduler' | 'clock' | 'log' | 'config'>;

export async function attemptWebhookDelivery(deps: AttemptDeps, deliveryId: string, attempt: number, options: Pick<DeliverOptions, 'fetch'> = {}): Promise<AttemptOutcome> {
  const found = await deps.store.getWebhookDelivery(deliveryId);
  // A repeated or overtaken schedule: this attempt was made already, or the delivery is finished.
  if (!found || found.status === 'sent' || found.status === 'parked' || found.attempts !== attempt - 1) return 'done';
  const now = deps.clock.now();
  let claimed: WebhookDelivery;
  try {
    claimed = await deps.store.updateWebhookDelivery({ ...found, attempts: attempt, lastAttemptAt: now.toISOString(), firstAttemptAt: found.firstAttemptAt ?? now.toISOString() });
  } catch (err) {
    if (err instanceof StaleWriteError) return 'done';
    throw err;
  }
  const next = nextWebhookAttemptAt(attempt, new Date(claimed.firstAttemptAt!), now);
  if (next) await deps.scheduler.scheduleWebhookAttempt({ deliveryId, attempt: attempt + 1, due: next });

  const endpoint = (await deps.store.listWebhooks(claimed.groupId)).find((e) => e.id === claimed.endpointId);
  const result = endpoint
    ? await deliverWebhook(
        { url: endpoint.url, secret: endpoint.secret },
        { id: claimed.messageId, type: claimed.event as never, body: claimed.body },
        // The signature's timestamp is the receiver's business (it checks it against its own clock):
        // real time, also when the local clock was moved on.
        { now: new Date(), resolve: deps.config.local ? undefined : resolveAll, fetch: options.fetch },
      )
    : ({ ok: false, error: 'the webhook was removed', retry: false } as const);

  if (result.ok) {
    await deps.store.updateWebhookDelivery({ ...claimed, status: 'sent', sentAt: now.toISOString(), lastError: undefined, nextAttemptAt: undefined });
    if (next) await deps.scheduler.cancelWebhookAttempt(deliveryId, attempt + 1).catch(() => undefined);
    return 'sent';
  }
  const park = !result.retry || !next;
  deps.log.warn('webhook delivery failed', { deliveryId, attempt, error: result.error, retryAt: park ? undefined : next?.toISOString() });
  await deps.store.updateWebhookDelivery({ ...claimed, status: park ? 'parked' : 'failing', lastError: result.error, nextAttemptAt: park ? undefined : next?.toISOString() });
  if (park && next) await deps.scheduler.cancelWebhookAttempt(deliveryId, attempt + 1).catch(() => undefined);
  return park ? 'parked' : 'failing';
}

