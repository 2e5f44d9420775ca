import type { Clock } from '../domain/clock.js';
import type { Group } from '../domain/types.js';
import type { RateLimiter } from '../limits/rate-limits.js';
import type { MailSender } from '../mail/mail-sender.js';
import type { StepScheduler } from '../schedule/step-scheduler.js';
import type { ReferralStore } from '../store/referral-store.js';

export interface SigningKeys {
  current: { id: string; secret: string };
  previous?: { id: string; secret: string };
}

/** Keeps raw inbound mail outside the table; a dead letter holds the returned pointer. */
export interface RawMailArchive {
  /** Stores `raw` under `id` (or points at where it already is) and returns the pointer. */
  keep(id: string, raw: Uint8Array): Promise<string>;
  /** Forgets it (erasure); nothing when it is already gone. */
  drop(ref: string): Promise<void>;
}

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/** Keeps a group's weekly digest schedule in step with its settings (day, hour, timezone). */
export interface DigestPlanner {
  plan(group: Group): Promise<void>;
}

/** Everything the domain needs from the outside world, built once per process by the entry point. */
export interface RelayDeps {
  store: ReferralStore;
  mail: MailSender;
  scheduler: StepScheduler;
  digests: DigestPlanner;
  clock: Clock;
  log: Logger;
  /** Where raw mail too large for a table item is kept (locally DATA_DIR; in AWS the SES S3 object already is). */
  rawMail?: RawMailArchive;
  /** Per-caller rate limits (429 with Retry-After); `noRateLimits` where none apply (the CLI). */
  limits: RateLimiter;
  config: {
    inboundDomain: string;
    /** Public base URL of the web app (links in emails). */
    webBaseUrl: string;
    /** Reply-To token keys; the previous key still verifies after a rotation. */
    replyKeys: SigningKeys;
    /** Secret for session cookies and signed links (derived from the same secret store). */
    sessionSecret: string;
    /** The secret before the last rotation: still verifies sessions and signed links (stop, unsubscribe). */
    previousSessionSecret?: string;
    /** Local stack: cookies without Secure, the /dev routes. */
    local: boolean;
  };
}

export const consoleLogger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: 'info', msg, ...data })),
  warn: (msg, data) => console.warn(JSON.stringify({ level: 'warn', msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: 'error', msg, ...data })),
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
