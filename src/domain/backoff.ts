/**
 * Exponential backoff, the one shape every retry here follows: `baseMs` for the first retry
 * (attempt 0), doubled for each one after it, never more than `capMs`. Pure.
 */
export interface Backoff {
  baseMs: number;
  capMs: number;
}

/** The longest wait before retry `attempt` (0 = the first retry). */
export function backoffCeiling(attempt: number, { baseMs, capMs }: Backoff): number {
  // 2 ** 30 already passes any cap in use; the bound keeps the product finite for absurd attempts.
  return Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
}

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random wait between 0
 * and the ceiling, so callers that failed together do not all retry at the same moment.
 */
export function jitteredBackoff(attempt: number, shape: Backoff, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, shape));
}

export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));
