import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { jitteredBackoff } from '../../domain/backoff.js';

/**
 * How the local AWS clients retry a failed call (a throttle, a 5xx, a cut connection).
 *
 * The SDK's standard strategy suits AWS: 3 attempts, throttles backed off from 500 ms, and a retry
 * quota shared by the whole client (each retry costs 5 tokens of 500, a success gives one back), so
 * that a struggling service is not stormed. Against stand-ins on the same machine, under a fault
 * proxy failing one call in five, that quota runs dry after a few thousand calls; from then on every
 * fault reaches the code above, and the step runner and the stream poller fall back on their own,
 * much slower, retries (a minute of the clock, up to 30 s of real time): the local stack crawls.
 *
 * Locally, then: up to 6 attempts, full-jitter backoff from 20 ms doubling to 1 s, no quota. Only
 * errors the SDK calls retryable are retried (throttling and transient: 5xx, timeouts, resets), as
 * the standard strategy does. In AWS the clients keep the SDK's own strategy.
 */
export class LocalRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'local';
  constructor(
    private readonly maxAttempts = 6,
    private readonly baseDelayMs = 20,
    private readonly maxDelayMs = 1_000,
  ) {}

  acquireInitialRetryToken(): Promise<StandardRetryToken> {
    return Promise.resolve(token(0, 0));
  }

  /** The SDK waits the token's delay, then calls again; a rejection hands the call's own error up. */
  refreshRetryTokenForRetry(previous: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken> {
    const retries = previous.getRetryCount() + 1;
    if (retries >= this.maxAttempts) return Promise.reject(new Error(`gave up after ${this.maxAttempts} attempts`));
    if (info.errorType !== 'THROTTLING' && info.errorType !== 'TRANSIENT') return Promise.reject(new Error(`not retryable: ${info.errorType}`));
    return Promise.resolve(token(retries, jitteredBackoff(retries, { baseMs: this.baseDelayMs, capMs: this.maxDelayMs })));
  }

  recordSuccess(): void {
    /* no quota to give back to */
  }
}

const token = (retries: number, delayMs: number): StandardRetryToken => ({
  getRetryCount: () => retries,
  getRetryDelay: () => delayMs,
  getRetryCost: () => undefined,
});
