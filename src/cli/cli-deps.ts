/**
 * The store and ports the CLI commands run on. Locally: the running DynamoDB Local, or one started
 * on DATA_DIR for the duration of the command; with APP_ENV=aws: the deployed table (TABLE_NAME,
 * AWS_REGION and the usual AWS credentials). Loaded only once the command line is known to be good.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESClient } from '@aws-sdk/client-ses';
import { SesMailSender } from '../mail/ses/ses-mail-sender.js';
import { EventBridgeStepScheduler, weeklyDigestCron } from '../schedule/eventbridge-scheduler/eventbridge-step-scheduler.js';
import { isAws, readCliAwsConfig, readLocalConfig, type CliAwsConfig } from '../config/env.js';
import { systemClock } from '../domain/clock.js';
import { silentLogger, type RelayDeps } from '../referrals/deps.js';
import { noRateLimits } from '../limits/rate-limits.js';
import { buildLocalDeps } from '../runtime/local/local-deps.js';
import { assertJava, startDynamoDbLocal, stopChild } from '../runtime/local/services.js';
import { DynamoDbReferralStore, ensureTable } from '../store/dynamodb/dynamodb-store.js';

const unused = () => {
  throw new Error('not available in the CLI');
};

/** With the stack's CliEnv output set, a new group gets its weekly digest schedule in EventBridge. */
function awsDigestPlanner(env: CliAwsConfig): RelayDeps['digests'] {
  const { SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN, SCHEDULER_DLQ_ARN, DISPATCH_FUNCTION_ARN, DIGEST_FUNCTION_ARN } = env;
  if (!SCHEDULE_GROUP_NAME || !SCHEDULER_ROLE_ARN || !SCHEDULER_DLQ_ARN || !DISPATCH_FUNCTION_ARN || !DIGEST_FUNCTION_ARN) {
    return {
      plan: (group) => {
        process.stderr.write(`relay: note: no digest schedule was created for "${group.slug}" (set the stack's CliEnv output to plan it)\n`);
        return Promise.resolve();
      },
    };
  }
  const scheduler = new EventBridgeStepScheduler({ client: new SchedulerClient({}), groupName: SCHEDULE_GROUP_NAME, roleArn: SCHEDULER_ROLE_ARN, deadLetterArn: SCHEDULER_DLQ_ARN, targetArn: DISPATCH_FUNCTION_ARN, digestTargetArn: DIGEST_FUNCTION_ARN });
  return { plan: (group) => scheduler.upsertGroupDigestSchedule({ groupId: group.id, cron: weeklyDigestCron(group.settings.digestDay, group.settings.digestHour), timezone: group.timezone }) };
}

/**
 * With the stack's CliEnv output set, webhook deliveries the CLI raises (`member add`, `member
 * import`: member.added) get their attempts as EventBridge schedules, as from the API. Referral steps
 * are never planned by the CLI.
 */
function awsScheduler(env: CliAwsConfig): RelayDeps['scheduler'] {
  const { SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN, SCHEDULER_DLQ_ARN, DISPATCH_FUNCTION_ARN } = env;
  if (!SCHEDULE_GROUP_NAME || !SCHEDULER_ROLE_ARN || !SCHEDULER_DLQ_ARN || !DISPATCH_FUNCTION_ARN) {
    return { schedule: unused, cancel: unused, scheduleEffectRetry: unused, scheduleWebhookAttempt: unused, cancelWebhookAttempt: unused };
  }
  const scheduler = new EventBridgeStepScheduler({ client: new SchedulerClient({}), groupName: SCHEDULE_GROUP_NAME, roleArn: SCHEDULER_ROLE_ARN, deadLetterArn: SCHEDULER_DLQ_ARN, targetArn: DISPATCH_FUNCTION_ARN });
  return { schedule: unused, cancel: unused, scheduleEffectRetry: unused, scheduleWebhookAttempt: (a) => scheduler.scheduleWebhookAttempt(a), cancelWebhookAttempt: (id, n) => scheduler.cancelWebhookAttempt(id, n) };
}

function awsDeps(): RelayDeps {
  const config = readCliAwsConfig();
  const table = config.TABLE_NAME;
  return {
    store: new DynamoDbReferralStore(new DynamoDBClient({}), table),
    // Welcome emails of `member import --welcome` go out through SES when the stack's MAIL_FROM is set.
    mail: config.MAIL_FROM ? new SesMailSender(new SESClient({}), config.MAIL_FROM, config.SES_CONFIGURATION_SET) : { send: unused },
    scheduler: awsScheduler(config),
    digests: awsDigestPlanner(config),
    clock: systemClock,
    log: silentLogger,
    limits: noRateLimits,
    config: { inboundDomain: config.INBOUND_DOMAIN, webBaseUrl: config.WEB_BASE_URL ?? '', replyKeys: { current: { id: '1', secret: 'unused-in-cli' } }, sessionSecret: 'unused', local: false },
  };
}

async function localDeps(): Promise<{ deps: RelayDeps; stop: () => Promise<void> | void }> {
  const config = readLocalConfig();
  const deps = buildLocalDeps(config, silentLogger);
  try {
    await deps.store.ping();
    return { deps, stop: () => undefined };
  } catch {
    // Not running (or no table yet): start DynamoDB Local on the same data for this command only.
  }
  if (config.DYNAMODB_ENDPOINT) {
    // Someone else's DynamoDB: create the table if missing, never start one of our own.
    await ensureTable(deps.store.client, config.TABLE_NAME);
    return { deps, stop: () => undefined };
  }
  assertJava();
  const dynamo = await startDynamoDbLocal(config.DYNAMODB_PORT, config.DATA_DIR, config.HOST);
  await ensureTable(deps.store.client, config.TABLE_NAME);
  return { deps, stop: () => stopChild(dynamo.process) };
}

/** The deps for one command, and how to stop what was started for it. */
export async function openCliDeps(): Promise<{ deps: RelayDeps; stop: () => Promise<void> | void }> {
  return isAws() ? { deps: awsDeps(), stop: () => undefined } : await localDeps();
}
