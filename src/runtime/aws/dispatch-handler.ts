import * as z from '../../config/zod.js';
import { STEP_KINDS } from '../../domain/types.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { deliverEmailEffect } from '../../outbox/email-effect.js';
import { dispatchStep } from '../../referrals/engine.js';
import { EFFECT_ID_PATTERN, WEBHOOK_DELIVERY_ID_PATTERN } from '../../schedule/step-scheduler.js';
import { attemptWebhookDelivery } from '../../webhooks/attempt.js';

/** The scheduler's input: ids only, no personal data. */
export const stepEventSchema = z.object({ stepId: z.string().check(z.minLength(1), z.maxLength(64)), referralId: z.string().check(z.regex(/^[a-z0-9]{16}$/)), kind: z.enum(STEP_KINDS) });
/** A webhook delivery attempt (EventBridgeStepScheduler.scheduleWebhookAttempt). */
export const webhookAttemptEventSchema = z.object({ kind: z.enum(['webhook']), deliveryId: z.string().check(z.regex(WEBHOOK_DELIVERY_ID_PATTERN)), attempt: z.number().check(z.refine((n) => Number.isInteger(n) && n >= 1 && n <= 99)) });

/** Another try of an outbox email that failed (see outbox/email-effect.ts). */
export const retryEventSchema = z.object({ kind: z.literal('email_retry'), effectId: z.string().check(z.regex(EFFECT_ID_PATTERN)), referralId: z.string().check(z.regex(/^[a-z0-9]{16}$/)) });

/** A step that runs this long after its due time counts as late (the scheduler's window is 1 minute). */
export const LATE_AFTER_MS = 5 * 60_000;

export function dispatchHandler(deps: RelayDeps) {
  return async (event: unknown) => {
    const retry = retryEventSchema.safeParse(event);
    if (retry.success) return { outcome: await deliverEmailEffect(deps, retry.data.referralId, retry.data.effectId) };
    const hook = webhookAttemptEventSchema.safeParse(event);
    if (hook.success) return { outcome: await attemptWebhookDelivery(deps, hook.data.deliveryId, hook.data.attempt) };
    const parsed = stepEventSchema.safeParse(event);
    if (!parsed.success) {
      // A malformed input can never succeed: log and finish, so the scheduler does not retry it.
      deps.log.error('dispatch: bad scheduler input', { issues: parsed.error.issues.map((i) => i.message) });
      return { outcome: 'rejected' };
    }
    let due: string | undefined;
    const outcome = await dispatchStep(deps, parsed.data, (pending, groupId) => {
      due = pending.due;
      deps.log.appendKeys?.({ groupId });
    });
    const kind = parsed.data.kind;
    if (outcome === 'sent') deps.metrics?.count('StepRun', { kind });
    if (outcome === 'skipped') deps.metrics?.count('StepSkipped', { kind });
    if (due && outcome !== 'not_pending' && deps.clock.now().getTime() - Date.parse(due) > LATE_AFTER_MS) {
      deps.metrics?.count('StepLate', { kind });
      deps.log.warn('step ran late', { stepId: parsed.data.stepId, kind, due });
    }
    return { outcome };
  };
}
