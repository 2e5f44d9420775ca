import { describe, expect, it } from 'vitest';
import type { RetryErrorType } from '@smithy/types';
import { LocalRetryStrategy } from '../../../src/runtime/local/local-retry.js';

const info = (errorType: RetryErrorType) => ({ errorType });

describe('LocalRetryStrategy (the local AWS clients)', () => {
  it('retries throttling and transient errors up to six attempts, then gives up', async () => {
    const strategy = new LocalRetryStrategy();
    let token = await strategy.acquireInitialRetryToken();
    expect(token.getRetryDelay()).toBe(0);
    for (let retry = 1; retry <= 5; retry++) {
      token = await strategy.refreshRetryTokenForRetry(token, info(retry % 2 ? 'THROTTLING' : 'TRANSIENT'));
      expect(token.getRetryCount()).toBe(retry);
    }
    await expect(strategy.refreshRetryTokenForRetry(token, info('THROTTLING'))).rejects.toThrow(/6 attempts/);
  });

  it('does not retry a client error or a server error the SDK calls final', async () => {
    const strategy = new LocalRetryStrategy();
    const token = await strategy.acquireInitialRetryToken();
    await expect(strategy.refreshRetryTokenForRetry(token, info('CLIENT_ERROR'))).rejects.toThrow(/not retryable/);
    await expect(strategy.refreshRetryTokenForRetry(token, info('SERVER_ERROR'))).rejects.toThrow(/not retryable/);
  });

  it('backs off with full jitter: from 20 ms doubling, never over 1 s', async () => {
    const strategy = new LocalRetryStrategy(20);
    const ceilings: number[] = [];
    let token = await strategy.acquireInitialRetryToken();
    for (let retry = 1; retry < 20; retry++) {
      let most = 0;
      // Many draws per step, to see the ceiling.
      for (let draw = 0; draw < 200; draw++) most = Math.max(most, (await strategy.refreshRetryTokenForRetry(token, info('THROTTLING'))).getRetryDelay());
      ceilings.push(most);
      token = await strategy.refreshRetryTokenForRetry(token, info('THROTTLING'));
    }
    expect(ceilings[0]).toBeLessThan(40);
    expect(ceilings[2]).toBeGreaterThan(80);
    expect(ceilings[2]).toBeLessThan(160);
    expect(Math.max(...ceilings)).toBeLessThan(1_000);
    expect(ceilings.at(-1)).toBeGreaterThan(900);
  });

  it('has no retry quota: a long run of failures does not use up its retries', async () => {
    const strategy = new LocalRetryStrategy();
    // The SDK's standard strategy refuses retries after about a hundred in a row (500 tokens, 5 each).
    for (let call = 0; call < 1_000; call++) {
      const first = await strategy.acquireInitialRetryToken();
      await expect(strategy.refreshRetryTokenForRetry(first, info('THROTTLING'))).resolves.toBeDefined();
    }
  });
});
