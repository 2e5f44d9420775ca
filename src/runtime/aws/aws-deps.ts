import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESClient } from '@aws-sdk/client-ses';
import { rateLimitSettings, readAwsConfig, type AwsConfig } from '../../config/env.js';
import { createRateLimiter } from '../../limits/rate-limits.js';
import { systemClock } from '../../domain/clock.js';
import { SesMailSender } from '../../mail/ses/ses-mail-sender.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { EventBridgeStepScheduler, weeklyDigestCron } from '../../schedule/eventbridge-scheduler/eventbridge-step-scheduler.js';
import { DynamoDbReferralStore } from '../../store/dynamodb/dynamodb-store.js';
import { createObservability, relayLogger, relayMetrics, type Observability } from './observability.js';
import { readSecretString } from './read-secret.js';
import { quietSdkLogger } from '../sdk-logger.js';

/**
 * The secret is JSON `{"current": {"id", "secret"}, "previous"?: {...}}` (rotation keeps the previous
 * key verifying) or, as generated at deploy time, a plain string used as key "1".
 */
export function parseSecret(value: string): RelayDeps['config']['replyKeys'] {
  try {
    const parsed = JSON.parse(value) as RelayDeps['config']['replyKeys'];
    if (parsed?.current?.id && parsed.current.secret) return parsed;
  } catch {
    /* a plain string */
  }
  return { current: { id: '1', secret: value } };
}

/**
 * A client made on its first `send`, not at cold start: a function that never sends mail or plans a
 * step that invocation does not pay for building the client (about 1.5 ms each).
 */
export function onFirstSend<C extends { send: (...args: never[]) => unknown }>(make: () => C): Pick<C, 'send'> {
  let client: C | undefined;
  return { send: ((...args: Parameters<C['send']>) => (client ??= make()).send(...args)) as C['send'] };
}

export interface AwsClients {
  dynamodb?: DynamoDBClient;
  ses?: Pick<SESClient, 'send'>;
  scheduler?: Pick<SchedulerClient, 'send'>;
  /** Reads a secret's string by ARN; defaults to `readSecretString` (a signed GetSecretValue, no SDK client). */
  readSecret?: (secretId: string) => Promise<string>;
  /** Powertools Logger and Metrics; defaults to new ones (see observability.ts). */
  observability?: Observability;
}

/** The composition root in Lambda: config validated and the secret read once, at cold start. */
export async function buildAwsDeps(env: Record<string, string | undefined> = process.env, clients: AwsClients = {}): Promise<RelayDeps & { awsConfig: AwsConfig; observability: Observability }> {
  const config = readAwsConfig(env);
  const observability = clients.observability ?? createObservability();
  const readSecret = clients.readSecret ?? ((secretId: string) => readSecretString(secretId, {}, env));
  const secret = await readSecret(config.REPLY_TOKEN_SECRET_ARN);
  if (!secret) throw new Error('The reply-token secret is empty');
  const replyKeys = parseSecret(secret);
  const store = new DynamoDbReferralStore(clients.dynamodb ?? new DynamoDBClient({ logger: quietSdkLogger }), config.TABLE_NAME);
  const scheduler = new EventBridgeStepScheduler({
    client: clients.scheduler ?? onFirstSend(() => new SchedulerClient({ logger: quietSdkLogger })),
    groupName: config.SCHEDULE_GROUP_NAME,
    targetArn: config.DISPATCH_FUNCTION_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.SCHEDULER_DLQ_ARN,
    digestTargetArn: config.DIGEST_FUNCTION_ARN,
  });
  return {
    awsConfig: config,
    store,
    mail: new SesMailSender(clients.ses ?? onFirstSend(() => new SESClient({ logger: quietSdkLogger })), config.MAIL_FROM, config.SES_CONFIGURATION_SET),
    scheduler,
    // One recurring schedule per group, in the group's timezone (ScheduleExpressionTimezone).
    digests: {
      plan: (group) =>
        scheduler.upsertGroupDigestSchedule({ groupId: group.id, cron: weeklyDigestCron(group.settings.digestDay, group.settings.digestHour), timezone: group.timezone }),
    },
    clock: systemClock,
    log: relayLogger(observability.logger),
    metrics: relayMetrics(observability.metrics),
    observability,
    limits: createRateLimiter({ counter: store, clock: systemClock, settings: rateLimitSettings(config) }),
    config: {
      inboundDomain: config.INBOUND_DOMAIN,
      webBaseUrl: config.WEB_BASE_URL ?? `https://${config.INBOUND_DOMAIN}`,
      replyKeys,
      sessionSecret: `${replyKeys.current.secret}:session`,
      ...(replyKeys.previous ? { previousSessionSecret: `${replyKeys.previous.secret}:session` } : {}),
      local: false,
    },
  };
}
