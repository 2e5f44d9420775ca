import { describe, expect, it } from 'vitest';
import { rateLimitSettings, readLocalConfig } from '../../../src/config/env.js';
import { RateLimitError } from '../../../src/domain/errors.js';
import { createRateLimiter, DEFAULT_RATE_LIMITS, parseAllowance, type WindowCounter } from '../../../src/limits/rate-limits.js';

/** The store's conditional counter over a Map: add n unless that passes the limit. */
function fakeCounter() {
  const counts = new Map<string, number>();
  const counter: WindowCounter = {
    countInWindow: async (key, n, limit) => {
      const now = counts.get(key) ?? 0;
      if (now + n > limit) return false;
      counts.set(key, now + n);
      return true;
    },
  };
  return { counter, counts };
}

describe('createRateLimiter', () => {
  it('allows `count` per fixed window of the clock, per caller, then says how long until the next window', async () => {
    let now = new Date('2026-03-03T10:00:20Z');
    const { counter, counts } = fakeCounter();
    const limiter = createRateLimiter({ counter, clock: { now: () => now }, settings: { ...DEFAULT_RATE_LIMITS, referrals: { count: 3, windowSeconds: 60 } } });

    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.tryTake('referrals', 'member-a'));

    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: false, retryAfterSeconds: 40 }]);
    expect(await limiter.tryTake('referrals', 'member-b')).toEqual({ ok: true });
    expect([...counts.keys()][0]).toMatch(/^referrals:member-a:60:\d+$/);
    now = new Date('2026-03-03T10:01:00Z');
    expect(await limiter.tryTake('referrals', 'member-a')).toEqual({ ok: true });
  });

  it('take() throws a RateLimitError carrying Retry-After seconds; several at once count as several', async () => {
    const { counter } = fakeCounter();
    const limiter = createRateLimiter({ counter, clock: { now: () => new Date('2026-03-03T10:30:00Z') }, settings: { ...DEFAULT_RATE_LIMITS, addressConfirmations: { count: 10, windowSeconds: 3600 } } });
    await limiter.take('addressConfirmations', 'm', 10);
    const err = await limiter.take('addressConfirmations', 'm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 1800 });
    expect((err as Error).message).toContain('at most 10 per hour');
    await expect(limiter.take('addressConfirmations', 'other', 11)).rejects.toBeInstanceOf(RateLimitError);
  });

  it("is case-blind about who (an email address is one caller however it's written)", async () => {
    const { counter } = fakeCounter();
    const limiter = createRateLimiter({ counter, clock: { now: () => new Date() }, settings: { ...DEFAULT_RATE_LIMITS, signIn: { count: 1, windowSeconds: 3600 } } });
    expect((await limiter.tryTake('signIn', 'Ann@Example.com')).ok).toBe(true);
    expect((await limiter.tryTake('signIn', 'ann@example.com')).ok).toBe(false);
  });

  it("with RATE_LIMITS=off never counts", async () => {
    const { counter, counts } = fakeCounter();
    const limiter = createRateLimiter({ counter, clock: { now: () => new Date() }, settings: 'off' });
    for (let i = 0; i < 1000; i++) await limiter.take('referrals', 'm');
    expect(counts.size).toBe(0);
  });
});

describe('rate limits from the environment', () => {
  it('defaults, RATE_LIMITS=off, and RATE_LIMIT_* overrides', () => {
    expect(rateLimitSettings(readLocalConfig({}))).toEqual(DEFAULT_RATE_LIMITS);
    expect(rateLimitSettings(readLocalConfig({ RATE_LIMITS: 'off' }))).toBe('off');
    const moved = rateLimitSettings(readLocalConfig({ RATE_LIMIT_REFERRALS: '5/second', RATE_LIMIT_INBOUND_LOGGING: '1000/day' }));
    expect(moved).toMatchObject({ referrals: { count: 5, windowSeconds: 1 }, inboundLogging: { count: 1000, windowSeconds: 86_400 }, actions: DEFAULT_RATE_LIMITS.actions });
    expect(parseAllowance('60/hour')).toEqual({ count: 60, windowSeconds: 3600 });
  });

  it.each([['RATE_LIMITS', 'maybe'], ['RATE_LIMIT_ACTIONS', '10 per minute'], ['RATE_LIMIT_SIGNIN', '-1/hour'], ['RATE_LIMIT_REFERRALS', '5/week']])('a bad %s stops start-up naming it', (name, value) => {
    expect(() => readLocalConfig({ [name]: value })).toThrow(name);
  });
});
