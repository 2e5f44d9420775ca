import type { Logger } from '@smithy/types';

/**
 * The SDK clients' logger. The SDK's default (NoOpLogger) has an `info` that does nothing, yet its
 * logger middleware builds the sensitive-data-filtered copy of every request and response it would
 * log before calling it: on each DynamoDB call, a walk of the whole item against its schema. With no
 * `info` at all, `logger?.info?.(…)` skips that work; failures still reach `error` (a no-op too: our
 * own code logs what failed, with context).
 */
export const quietSdkLogger = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as Logger;
