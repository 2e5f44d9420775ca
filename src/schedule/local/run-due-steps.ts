import type { StoredStep, ReferralStore } from '../../store/referral-store.js';
import { backoffMs } from '../../outbox/retry-policy.js';
import { eachLimited } from '../../domain/each-limited.js';

export interface DueStepRunnerDeps {
  store: Pick<ReferralStore, 'listDueSteps' | 'deleteStep' | 'putStep'>;
  clock: { now(): Date; freeze(at?: Date): void; unfreeze(): void };
  /** The same dispatch code the Lambda `functions/dispatch.ts` runs. */
  dispatch(step: StoredStep): Promise<unknown>;
  /** A step threw; `retryAt` is when it runs again, absent when it was given up. */
  onError?(step: StoredStep, err: unknown, retryAt?: Date): void;
  /** A step that failed every try: kept for an operator (the scheduler's dead-letter queue in AWS). */
  onGiveUp?(step: StoredStep, err: unknown): Promise<void> | void;
}

/**
 * The local counterpart of the EventBridge Scheduler retry policy (10 retries within 24 hours, then
 * the dead-letter queue): a step that throws runs again after a backoff on the local clock — one
 * minute, doubling, at most an hour — and after the last try it is handed to `onGiveUp`.
 */
export const STEP_MAX_RETRIES = 10;

/** Steps read per query; those due at the same moment run side by side, this many referrals at a time. */
const PAGE = 100;
const CONCURRENCY = 16;

/**
 * Runs every step due up to `until`, earliest first, each with the clock set to its own due time —
 * including steps that earlier steps of the same window create. Steps due at the same moment run
 * side by side (EventBridge Scheduler fires them concurrently too), but one referral's steps always
 * one after another, in order. One runner at a time (the caller serialises), so a step is never run
 * twice concurrently; dispatch is idempotent anyway.
 */
export async function runDueSteps(deps: DueStepRunnerDeps, until: Date): Promise<number> {
  let ran = 0;
  // Time stands still for the whole run and only jumps to each due time, so steps that fall due
  // together all run at exactly that time, however long the ones before them took.
  deps.clock.freeze();
  try {
    for (;;) {
      const page = await deps.store.listDueSteps(until, PAGE);
      const first = page[0];
      if (!first) return ran;
      // Only the steps due at the earliest moment: a step they create may fall due before the rest.
      const now = page.filter((s) => s.due === first.due);
      deps.clock.freeze(new Date(first.due));
      const byReferral = new Map<string, StoredStep[]>();
      for (const step of now) byReferral.set(step.referralId, [...(byReferral.get(step.referralId) ?? []), step]);
      await eachLimited([...byReferral.values()], CONCURRENCY, async (steps) => {
        for (const step of steps) {
          await runOne(deps, step);
          ran += 1;
        }
      });
    }
  } finally {
    deps.clock.unfreeze();
  }
}

async function runOne(deps: DueStepRunnerDeps, step: StoredStep): Promise<void> {
  try {
    await deps.dispatch(step);
  } catch (err) {
    const retry = (step.retry ?? 0) + 1;
    if (retry <= STEP_MAX_RETRIES) {
      // Tried again later: the same step under a later due time replaces this run of it, so the
      // delete below (only this due time) leaves it. Should this write fail, the step stays due
      // and the next run tries it anyway: a step is never lost to a failure.
      const retryAt = new Date(deps.clock.now().getTime() + backoffMs(retry));
      await deps.store.putStep({ ...step, due: retryAt.toISOString(), retry });
      deps.onError?.(step, err, retryAt);
      return;
    }
    deps.onError?.(step, err);
    await deps.onGiveUp?.(step, err);
  }
  // Only this run of it: a step that re-planned itself (a retry later) stays.
  await deps.store.deleteStep(step.stepId, step.due);
}
