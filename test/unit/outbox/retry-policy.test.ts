import { describe, expect, it } from 'vitest';
import { isThrottling, nextAttempt, RETRY_WINDOW_MS } from '../../../src/outbox/retry-policy.js';

const t0 = new Date('2026-03-02T10:00:00Z');
const mid = () => 0.5;

describe('retry policy for failed emails', () => {
  it('backs off exponentially from a minute, capped at an hour, with jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => nextAttempt(n, t0, t0, false, mid).nextAttemptAt!.getTime() - t0.getTime());
    expect(delays.slice(0, 4)).toEqual([45_000, 90_000, 180_000, 360_000]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3_600_000);
    const low = nextAttempt(3, t0, t0, false, () => 0).nextAttemptAt!.getTime() - t0.getTime();
    const high = nextAttempt(3, t0, t0, false, () => 0.999).nextAttemptAt!.getTime() - t0.getTime();
    expect(low).toBe(120_000);
    expect(high).toBeGreaterThan(239_000);
  });

  it('waits longer when SES throttles', () => {
    const plain = nextAttempt(1, t0, t0, false, mid).nextAttemptAt!.getTime();
    const throttled = nextAttempt(1, t0, t0, true, mid).nextAttemptAt!.getTime();
    expect(throttled - t0.getTime()).toBe(4 * (plain - t0.getTime()));
    expect(isThrottling(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }))).toBe(true);
    expect(isThrottling(new Error('Daily message quota exceeded'))).toBe(true);
    expect(isThrottling(new Error('connect ECONNREFUSED'))).toBe(false);
  });

  it('stops after the retry window: the email is parked', () => {
    const late = new Date(t0.getTime() + RETRY_WINDOW_MS);
    expect(nextAttempt(20, t0, late, false, mid).nextAttemptAt).toBeUndefined();
    expect(nextAttempt(2, t0, new Date(t0.getTime() + 3_600_000), false, mid).nextAttemptAt).toBeInstanceOf(Date);
  });
});
