import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../../src/domain/each-limited.js';

const tick = () => new Promise((ok) => setTimeout(ok, 1));

describe('eachLimited', () => {
  it('does every item once, with its index, never more than `limit` at once', async () => {
    const items = Array.from({ length: 23 }, (_, i) => `item${i}`);
    const seen: [string, number][] = [];
    let running = 0;
    let most = 0;
    await eachLimited(items, 4, async (item, index) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      seen.push([item, index]);
      running -= 1;
    });
    expect(seen.sort((a, b) => a[1] - b[1])).toEqual(items.map((item, i) => [item, i]));
    expect(most).toBe(4);
  });

  it('one at a time keeps the order; a limit below one still runs; no items, no work', async () => {
    const order: number[] = [];
    await eachLimited([3, 1, 2], 1, async (n) => {
      await tick();
      order.push(n);
    });
    expect(order).toEqual([3, 1, 2]);
    const zero: number[] = [];
    await eachLimited([1, 2], 0, async (n) => void zero.push(n));
    expect(zero).toEqual([1, 2]);
    await eachLimited([], 4, () => Promise.reject(new Error('not called')));
  });

  it('rejects with the first failure', async () => {
    await expect(eachLimited([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two'); })).rejects.toThrow('two');
  });
});
