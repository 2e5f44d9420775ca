import type { RelayDeps } from '../referrals/deps.js';
import type { WebhookDelivery } from '../store/referral-store.js';

/**
 * The admin's "resend": a failing or parked delivery starts over (a new 24 h of attempts), the
 * first one now. The same message id and body, so a receiver that did get it can drop the repeat.
 */
export async function resendWebhookDelivery(deps: Pick<RelayDeps, 'store' | 'scheduler' | 'clock'>, groupId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
  const found = await deps.store.getWebhookDelivery(deliveryId);
  if (!found || found.groupId !== groupId) return undefined;
  // Its endpoint was removed meanwhile: there is nowhere to send it.
  if (!(await deps.store.listWebhooks(groupId)).some((e) => e.id === found.endpointId)) return undefined;
  const now = deps.clock.now();
  // Attempt numbers keep counting up, so the old schedules (if any still fire) find nothing to do.
  const restarted = await deps.store.updateWebhookDelivery({ ...found, status: 'pending', firstAttemptAt: undefined, nextAttemptAt: now.toISOString(), sentAt: undefined });
  await deps.scheduler.scheduleWebhookAttempt({ deliveryId, attempt: restarted.attempts + 1, due: now });
  return restarted;
}
