import { describe, expect, it } from 'vitest';
import { backoffCeiling, jitteredBackoff } from '../../../src/domain/backoff.js';
import { backoffMs } from '../../../src/outbox/retry-policy.js';

describe('backoff', () => {
  const shape = { baseMs: 20, capMs: 1000 };

  it('starts at the base, doubles per attempt and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffCeiling(a, shape))).toEqual([20, 40, 80, 160, 320, 640, 1000, 1000]);
  });

  it('stays finite and at the cap for absurd attempts, and treats a negative attempt as the first', () => {
    expect(backoffCeiling(10_000, shape)).toBe(1000);
    expect(backoffCeiling(-3, shape)).toBe(20);
  });

  it('full jitter: anywhere from 0 up to (not including) the ceiling', () => {
    expect(jitteredBackoff(3, shape, () => 0)).toBe(0);
    expect(jitteredBackoff(3, shape, () => 0.5)).toBe(80);
    expect(jitteredBackoff(3, shape, () => 0.999_999)).toBe(159);
    for (let i = 0; i < 200; i++) {
      const wait = jitteredBackoff(i % 12, shape);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(backoffCeiling(i % 12, shape));
    }
  });

  it("is the email retries' shape too: 1 min after the first failure, doubling, at most an hour", () => {
    expect([1, 2, 3, 6, 7, 20].map(backoffMs)).toEqual([60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});
