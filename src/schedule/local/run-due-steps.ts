import type { StoredStep, ReferralStore } from '../../store/referral-store.js';

export interface DueStepRunnerDeps {
  store: Pick<ReferralStore, 'listDueSteps' | 'deleteStep'>;
  clock: { now(): Date; freeze(at?: Date): void; unfreeze(): void };
  /** The same dispatch code the Lambda `functions/dispatch.ts` runs. */
  dispatch(step: StoredStep): Promise<unknown>;
  onError?(step: StoredStep, err: unknown): void;
}

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
    // A step that throws is logged and dropped rather than retried forever; in AWS the retry
    // policy and the dead-letter queue play this part.
    deps.onError?.(step, err);
  }
  // Only this run of it: a step that re-planned itself (a retry later) stays.
  await deps.store.deleteStep(step.stepId, step.due);
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
