import { describe, expect, it } from 'vitest';
import { sendOnceThisWeek } from '../../../src/digest/once-a-week.js';

function fakeDeps() {
  const claims = new Set<string>();
  const errors: { msg: string; data: unknown }[] = [];
  return {
    claims,
    errors,
    deps: {
      store: {
        claimOnce: async (key: string) => (claims.has(key) ? false : (claims.add(key), true)),
        releaseOnce: async (key: string) => void claims.delete(key),
      },
      log: { info: () => undefined, warn: () => undefined, error: (msg: string, data?: unknown) => void errors.push({ msg, data }) },
    } as never,
  };
}

const what = (now: string) => ({ kind: 'digest', groupId: 'g1', memberId: 'm1', timezone: 'Europe/London', now: new Date(now) });

describe('sendOnceThisWeek', () => {
  it('sends once per ISO week of the group timezone, whatever the redeliveries', async () => {
    const { deps, claims } = fakeDeps();
    let sends = 0;
    const send = async () => void (sends += 1);
    expect(await sendOnceThisWeek(deps, what('2026-11-23T08:00:00Z'), send)).toBe(true);
    expect(await sendOnceThisWeek(deps, what('2026-11-23T08:00:05Z'), send)).toBe(false);
    expect(await sendOnceThisWeek(deps, what('2026-11-29T22:00:00Z'), send)).toBe(false); // still Sunday in London
    expect(await sendOnceThisWeek(deps, what('2026-11-30T08:00:00Z'), send)).toBe(true);
    expect(sends).toBe(2);
    expect([...claims]).toEqual(['digest:g1:m1:2026-W48', 'digest:g1:m1:2026-W49']);
  });

  it('gives the claim back when the send fails, logs it, and lets a later run send', async () => {
    const { deps, claims, errors } = fakeDeps();
    expect(await sendOnceThisWeek(deps, what('2026-11-23T08:00:00Z'), async () => Promise.reject(new Error('SES throttled')))).toBe(false);
    expect(claims.size).toBe(0);
    expect(errors).toEqual([{ msg: 'digest failed', data: { groupId: 'g1', memberId: 'm1', err: 'Error: SES throttled' } }]);
    expect(await sendOnceThisWeek(deps, what('2026-11-23T09:00:00Z'), async () => undefined)).toBe(true);
  });
});
