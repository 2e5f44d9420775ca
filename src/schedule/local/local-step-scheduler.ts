import type { ReferralStore } from '../../store/referral-store.js';
import { retryScheduleName, webhookAttemptName, type EffectRetry, type ScheduledStep, type StepScheduler, type WebhookAttempt } from '../step-scheduler.js';

/**
 * The local stand-in for EventBridge Scheduler: pending steps are rows in DynamoDB Local, so they
 * survive a restart, and the local server runs them when due on the local clock (see runDueSteps).
 */
export class LocalStepScheduler implements StepScheduler {
  constructor(private readonly store: Pick<ReferralStore, 'putStep' | 'putSteps' | 'deleteStep'>) {}

  async schedule(step: ScheduledStep): Promise<void> {
    await this.store.putStep(row(step));
  }

  async scheduleAll(steps: ScheduledStep[]): Promise<void> {
    await this.store.putSteps(steps.map(row));
  }

  async cancel(stepId: string): Promise<void> {
    await this.store.deleteStep(stepId);
  }

  async scheduleEffectRetry(retry: EffectRetry): Promise<void> {
    await this.store.putStep({ stepId: retryScheduleName(retry), referralId: retry.referralId, kind: 'email_retry', effectId: retry.effectId, due: retry.due.toISOString() });
  }

  async scheduleWebhookAttempt(attempt: WebhookAttempt): Promise<void> {
    // `referralId` carries the delivery id: the runner hands webhook rows to the webhook dispatcher.
    await this.store.putStep({ stepId: webhookAttemptName(attempt.deliveryId, attempt.attempt), referralId: attempt.deliveryId, kind: 'webhook', due: attempt.due.toISOString() });
  }

  async cancelWebhookAttempt(deliveryId: string, attempt: number): Promise<void> {
    await this.store.deleteStep(webhookAttemptName(deliveryId, attempt));
  }
}

const row = (step: ScheduledStep) => ({ stepId: step.stepId, referralId: step.referralId, kind: step.kind, due: step.due.toISOString() });
