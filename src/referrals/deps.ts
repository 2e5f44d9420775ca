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

/** The ids a log line is about; in Lambda they stay on every line of the invocation once known. */
export interface LogKeys {
  referralId?: string;
  groupId?: string;
  stepId?: string;
}

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
  /** Puts these ids on every further line of this invocation (Lambda); elsewhere nothing. */
  appendKeys?(keys: LogKeys): void;
}

/**
 * What operators count (CloudWatch metrics in AWS, see src/runtime/aws/observability.ts): each is a
 * count of 1 per occurrence, `kind` (email kind, step kind) as a dimension where there is one.
 */
export const METRIC_NAMES = [
  'EmailSent',
  'EmailFailed',
  'EmailSuppressed',
  'StepRun',
  'StepSkipped',
  'StepLate',
  'InboundLogged',
  'InboundNeedsInfo',
  'InboundRefused',
  'InboundDeadLettered',
  'ReplyUnderstood',
  'ReplyNotUnderstood',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The metrics port: recorded by the handlers and effects, never by the pure core. */
export interface Metrics {
  count(name: MetricName, dimensions?: { kind?: string }): void;
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
  /** Operational counts; absent (locally, in tests) means not recorded. */
  metrics?: Metrics;
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

/** One JSON object per line (`LOG_FORMAT=json` locally). */
export const consoleLogger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: 'info', msg, ...data })),
  warn: (msg, data) => console.warn(JSON.stringify({ level: 'warn', msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: 'error', msg, ...data })),
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Keeps the lines at `level` or above. */
export function atLevel(log: Logger, level: LogLevel): Logger {
  const keep = (l: LogLevel) => LEVEL_ORDER[l] >= LEVEL_ORDER[level];
  return {
    info: (msg, data) => keep('info') && log.info(msg, data),
    warn: (msg, data) => keep('warn') && log.warn(msg, data),
    error: (msg, data) => keep('error') && log.error(msg, data),
  };
}

const plain = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
};

/** Human-readable lines for a terminal (the local default): `12:00:01 WARN message key=value …`. */
export function textLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`), now: () => Date = () => new Date()): Logger {
  const line = (level: string) => (msg: string, data?: Record<string, unknown>) =>
    write([now().toISOString().slice(11, 19), level, msg, ...Object.entries(data ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${plain(v)}`)].join(' '));
  return { info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}

/** The local logger: text unless `LOG_FORMAT=json`, filtered by `LOG_LEVEL`. */
export const localLogger = (config: { LOG_FORMAT: 'text' | 'json'; LOG_LEVEL: LogLevel }): Logger => atLevel(config.LOG_FORMAT === 'json' ? consoleLogger : textLogger(), config.LOG_LEVEL);
