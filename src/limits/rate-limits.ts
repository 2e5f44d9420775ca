/**
 * Rate limits (issue 12): fixed windows on the (local) clock, one counter item per caller and window
 * in DynamoDB, raised by one atomic conditional UpdateItem (never a read followed by a write), so
 * concurrent requests cannot slip past the limit. Defaults are far above any real member's use;
 * each is settable per deployment (RATE_LIMIT_* in src/config/env.ts) and `RATE_LIMITS=off` turns
 * them all off (local benchmarks).
 */
import type { Clock } from '../domain/clock.js';
import { RateLimitError } from '../domain/errors.js';

/** What is counted, and per whom. */
export const RATE_LIMIT_KINDS = {
  /** Referrals logged through the API or the form, per member (API key or session). */
  referrals: 'referrals logged',
  /** Actions on referrals through the API or the pages, per member. */
  actions: 'actions',
  /** Confirmation emails to extra sender addresses, per member. */
  addressConfirmations: 'address confirmation emails',
  /** Sign-in links asked for, per email address. */
  signIn: 'sign-in links',
  /** Mail to a log address, per sender address. */
  inboundLogging: 'emails logged',
} as const;
export type RateLimitKind = keyof typeof RATE_LIMIT_KINDS;

export interface Allowance {
  count: number;
  windowSeconds: number;
}
export type RateLimitSettings = Record<RateLimitKind, Allowance>;

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  referrals: { count: 60, windowSeconds: 60 },
  actions: { count: 120, windowSeconds: 60 },
  addressConfirmations: { count: 20, windowSeconds: 3600 },
  signIn: { count: 5, windowSeconds: 3600 },
  inboundLogging: { count: 100, windowSeconds: 3600 },
};

/** The env variable that sets each limit, e.g. `RATE_LIMIT_REFERRALS=60/minute`. */
export const RATE_LIMIT_ENV: Record<RateLimitKind, string> = {
  referrals: 'RATE_LIMIT_REFERRALS',
  actions: 'RATE_LIMIT_ACTIONS',
  addressConfirmations: 'RATE_LIMIT_ADDRESS_CONFIRMATIONS',
  signIn: 'RATE_LIMIT_SIGNIN',
  inboundLogging: 'RATE_LIMIT_INBOUND_LOGGING',
};

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86_400 } as const;
export const ALLOWANCE_PATTERN = /^(\d{1,9})\/(second|minute|hour|day)$/;

/** `60/minute` → {count: 60, windowSeconds: 60}; the pattern is checked by the env schema. */
export function parseAllowance(text: string): Allowance {
  const [, count, unit] = ALLOWANCE_PATTERN.exec(text)!;
  return { count: Number(count), windowSeconds: UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS] };
}

/** The one store method the limiter needs: add `n` to a window's counter unless it would pass `limit`. */
export interface WindowCounter {
  countInWindow(key: string, n: number, limit: number, expiresAt: Date): Promise<boolean>;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes `n` of the caller's allowance for `kind`; `ok: false` (with the seconds until the next window) when it is used up. */
  tryTake(kind: RateLimitKind, who: string, n?: number): Promise<TakeResult>;
  /** Like tryTake, but throws RateLimitError (429 with Retry-After) when the allowance is used up. */
  take(kind: RateLimitKind, who: string, n?: number): Promise<void>;
}

export const noRateLimits: RateLimiter = { tryTake: () => Promise.resolve({ ok: true }), take: () => Promise.resolve() };

export function createRateLimiter(opts: { counter: WindowCounter; clock: Clock; settings: RateLimitSettings | 'off' }): RateLimiter {
  const { counter, clock, settings } = opts;
  if (settings === 'off') return noRateLimits;
  const tryTake = async (kind: RateLimitKind, who: string, n = 1): Promise<TakeResult> => {
    const { count, windowSeconds } = settings[kind];
    const nowMs = clock.now().getTime();
    const window = Math.floor(nowMs / (windowSeconds * 1000));
    const windowEnd = (window + 1) * windowSeconds * 1000;
    // Kept a day past the window's end for DynamoDB's TTL sweep; the key names the window, so an
    // item the sweep has not removed yet never counts for a later window.
    const allowed = n <= count && (await counter.countInWindow(`${kind}:${who.toLowerCase()}:${windowSeconds}:${window}`, n, count, new Date(windowEnd + 86_400_000)));
    return allowed ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)) };
  };
  return {
    tryTake,
    take: async (kind, who, n = 1) => {
      const result = await tryTake(kind, who, n);
      if (!result.ok) {
        const { count, windowSeconds } = settings[kind];
        throw new RateLimitError(`Too many ${RATE_LIMIT_KINDS[kind]}: at most ${count} per ${describeWindow(windowSeconds)}. Try again in ${result.retryAfterSeconds} s.`, result.retryAfterSeconds);
      }
    },
  };
}

function describeWindow(seconds: number): string {
  const unit = (Object.entries(UNIT_SECONDS) as Array<[string, number]>).find(([, s]) => s === seconds);
  return unit ? unit[0] : `${seconds} s`;
}
