/**
 * Logs and metrics in Lambda, with Powertools for AWS Lambda (TypeScript): the Logger writes one JSON
 * object per line with the invocation's request id, the cold-start flag and the referral / group /
 * step ids once known; the Metrics write CloudWatch embedded metric format (EMF) to stdout, which
 * Lambda's log pipeline turns into metrics without a PutMetricData call. Both are the AWS-maintained
 * standard for Lambda (the same field names as Lambda's own JSON logs, `AWS_LAMBDA_LOG_LEVEL` from the
 * function's `applicationLogLevelV2` honoured); the batch processor already comes from the same family.
 *
 * The domain sees only the ports (`Logger`, `Metrics` in src/referrals/deps.ts).
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Logger, LogKeys, Metrics } from '../../referrals/deps.js';

import { METRICS_NAMESPACE, SERVICE_NAME } from './metric-names.js';

export { METRICS_NAMESPACE, SERVICE_NAME };

export interface Observability {
  logger: PowertoolsLogger;
  metrics: PowertoolsMetrics;
}

/** One Logger and one Metrics per process (per function), built at cold start. */
export function createObservability(): Observability {
  return {
    logger: new PowertoolsLogger({ serviceName: SERVICE_NAME }),
    metrics: new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

const definedKeys = (keys: LogKeys): Record<string, string> => Object.fromEntries(Object.entries(keys).filter(([, v]) => typeof v === 'string' && v));

/** The Logger port on Powertools' Logger. */
export function relayLogger(logger: PowertoolsLogger): Logger {
  return {
    info: (msg, data) => logger.info(msg, data ?? {}),
    warn: (msg, data) => logger.warn(msg, data ?? {}),
    error: (msg, data) => logger.error(msg, data ?? {}),
    appendKeys: (keys) => logger.appendKeys(definedKeys(keys)),
  };
}

/**
 * The Metrics port on Powertools' Metrics. Each count is stored under the `service` dimension (what
 * the alarms watch) and, when it has a kind, written at once as a second EMF record with `service`
 * and `kind` (what the dashboard splits by).
 */
export function relayMetrics(metrics: PowertoolsMetrics): Metrics {
  return {
    count(name, dimensions) {
      metrics.addMetric(name, MetricUnit.Count, 1);
      if (dimensions?.kind) metrics.singleMetric().addDimension('kind', dimensions.kind).addMetric(name, MetricUnit.Count, 1);
    },
  };
}

/**
 * Wraps a handler: the Lambda context (request id, cold start) and the event's ids go on every log
 * line of the invocation, and the metrics it recorded are written when it ends, even when it throws.
 */
export function instrumented<E, R>(
  { logger, metrics }: Observability,
  handler: (event: E, context: Context) => Promise<R>,
  keysOf: (event: E) => LogKeys = () => ({}),
): (event: E, context?: Context) => Promise<R> {
  return async (event, context = {} as Context) => {
    logger.resetKeys();
    logger.addContext(context);
    logger.appendKeys(definedKeys(keysOf(event)));
    try {
      return await handler(event, context);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

/** The ids in a scheduler input or any event that names them (`referralId`, `stepId`, `groupId`). */
export function idsOf(event: unknown): LogKeys {
  if (!event || typeof event !== 'object') return {};
  const { referralId, stepId, groupId } = event as Record<string, unknown>;
  return definedKeys({ referralId, stepId, groupId } as LogKeys);
}

/** The referral id in an API Gateway request path (`/referrals/:id…`, `/api/referrals/:id…`). */
export function httpIds(event: unknown): LogKeys {
  const path = (event as { rawPath?: unknown } | undefined)?.rawPath;
  const id = typeof path === 'string' ? /\/referrals\/([a-z0-9]{16})(?:\/|$)/.exec(path)?.[1] : undefined;
  return id ? { referralId: id } : {};
}
