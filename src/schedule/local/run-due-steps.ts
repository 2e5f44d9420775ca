import type { StoredStep, ReferralStore } from '../../store/referral-store.js';

export interface DueStepRunnerDeps {
  store: Pick<ReferralStore, 'listDueSteps' | 'deleteStep'>;
  clock: { now(): Date; freeze(at?: Date): void; unfreeze(): void };
  /** The same dispatch code the Lambda `functions/dispatch.ts` runs. */
  dispatch(step: StoredStep): Promise<unknown>;
  onError?(step: StoredStep, err: unknown): void;
}

/**
 * Runs every step due up to `until`, earliest first, each with the clock set to its own due time —
 * including steps that earlier steps of the same window create. One runner at a time (the caller
 * serialises), so a step is never run twice concurrently; dispatch is idempotent anyway.
 */
export async function runDueSteps(deps: DueStepRunnerDeps, until: Date): Promise<number> {
  let ran = 0;
  // Time stands still for the whole run and only jumps to each step's due time, so steps that fall
  // due together all run at exactly that time, however long the ones before them took.
  deps.clock.freeze();
  try {
    for (;;) {
      const [next] = await deps.store.listDueSteps(until, 1);
      if (!next) return ran;
      deps.clock.freeze(new Date(next.due));
      try {
        await deps.dispatch(next);
      } catch (err) {
        // A step that throws is logged and dropped rather than retried forever; in AWS the retry
        // policy and the dead-letter queue play this part.
        deps.onError?.(next, err);
      }
      // Only this run of it: a step that re-planned itself (a retry later) stays.
      await deps.store.deleteStep(next.stepId, next.due);
      ran += 1;
    }
  } finally {
    deps.clock.unfreeze();
  }
}
