import type { RelayDeps } from '../referrals/deps.js';

/**
 * How many automatic answers one person gets per day for one thing, so that two robots answering each
 * other (each mail in the loop is new, so per-message dedupe does not stop them) stop within a day.
 * Far above what a person needs: one who writes `help` twice still gets both answers.
 */
export const ANSWERS_PER_DAY = 3;

/**
 * Claims one of the `limit` answers allowed today (UTC day on the local clock) for `key`; false when
 * they are used up. Each answer is its own once-marker, so concurrent claims never over-count.
 */
export async function claimAnswer(deps: Pick<RelayDeps, 'store' | 'clock'>, key: string, limit = ANSWERS_PER_DAY): Promise<boolean> {
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  const expires = new Date(now.getTime() + 2 * 86_400_000);
  for (let slot = 1; slot <= limit; slot++) {
    if (await deps.store.claimOnce(`answer:${key}:${day}:${slot}`, expires, now)) return true;
  }
  return false;
}
