/**
 * When a failed email is tried again. Pure. Exponential backoff with jitter from one minute up to an
 * hour; SES throttling (a sending-rate or quota limit) waits longer, since trying sooner only adds
 * to the rate. After a day of failures the email is parked for an admin instead of retried forever.
 */
import { backoffCeiling } from '../domain/backoff.js';

export const RETRY_WINDOW_MS = 24 * 3_600_000;
const FIRST_DELAY_MS = 60_000;
const MAX_DELAY_MS = 3_600_000;

export interface RetryDecision {
  /** Absent: stop retrying (park it). */
  nextAttemptAt?: Date;
}

/** SES and the SDK name throttling errors like this; a daily quota needs the longest wait. */
export function isThrottling(err: unknown): boolean {
  const name = (err as { name?: string; Code?: string })?.name ?? '';
  const message = String((err as Error)?.message ?? '');
  return /Throttl|TooManyRequests|MaxSendRate|Daily message quota/i.test(`${name} ${message}`);
}

/** One minute after the first failure, doubling with each one after it, at most an hour. */
export function backoffMs(attempts: number): number {
  return backoffCeiling(attempts - 1, { baseMs: FIRST_DELAY_MS, capMs: MAX_DELAY_MS });
}

/**
 * @param attempts attempts made so far (≥ 1), including the one that just failed
 * @param failingSince when the first attempt failed
 */
export function nextAttempt(attempts: number, failingSince: Date, now: Date, throttled: boolean, random: () => number = Math.random): RetryDecision {
  const base = backoffMs(attempts) * (throttled ? 4 : 1);
  const delay = Math.min(MAX_DELAY_MS * 2, base / 2 + (random() * base) / 2);
  const at = new Date(now.getTime() + delay);
  if (at.getTime() - failingSince.getTime() > RETRY_WINDOW_MS) return {};
  return { nextAttemptAt: at };
}
