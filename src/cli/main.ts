/**
 * `npx relay …`: the admin CLI on the same store as the server. Locally it uses the running
 * DynamoDB Local, or starts one on DATA_DIR for the duration of the command; with APP_ENV=aws it
 * uses the deployed table (TABLE_NAME, AWS_REGION and the usual AWS credentials).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeStepScheduler, weeklyDigestCron } from '../schedule/eventbridge-scheduler/eventbridge-step-scheduler.js';
import { ConfigError, isAws, readCliAwsConfig, readLocalConfig, type CliAwsConfig } from '../config/env.js';
import { DomainError } from '../domain/errors.js';
import { systemClock } from '../domain/clock.js';
import { silentLogger, type RelayDeps } from '../referrals/deps.js';
import { buildLocalDeps } from '../runtime/local/local-deps.js';
import { assertJava, startDynamoDbLocal, stopChild } from '../runtime/local/services.js';
import { DynamoDbReferralStore, ensureTable } from '../store/dynamodb/dynamodb-store.js';
import { runCommand, UsageError, USAGE } from './commands.js';

const unused = () => {
  throw new Error('not available in the CLI');
};

/** With the stack's CliEnv output set, a new group gets its weekly digest schedule in EventBridge. */
function awsDigestPlanner(env: CliAwsConfig): RelayDeps['digests'] {
  const { SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN, SCHEDULER_DLQ_ARN, DISPATCH_FUNCTION_ARN, DIGEST_FUNCTION_ARN } = env;
  if (!SCHEDULE_GROUP_NAME || !SCHEDULER_ROLE_ARN || !SCHEDULER_DLQ_ARN || !DISPATCH_FUNCTION_ARN || !DIGEST_FUNCTION_ARN) {
    return {
      plan: async (group) =>
        void process.stderr.write(`relay: note: no digest schedule was created for "${group.slug}" (set the stack's CliEnv output to plan it)\n`),
    };
  }
  const scheduler = new EventBridgeStepScheduler({ client: new SchedulerClient({}), groupName: SCHEDULE_GROUP_NAME, roleArn: SCHEDULER_ROLE_ARN, deadLetterArn: SCHEDULER_DLQ_ARN, targetArn: DISPATCH_FUNCTION_ARN, digestTargetArn: DIGEST_FUNCTION_ARN });
  return { plan: (group) => scheduler.upsertGroupDigestSchedule({ groupId: group.id, cron: weeklyDigestCron(group.settings.digestDay, group.settings.digestHour), timezone: group.timezone }) };
}

async function awsDeps(): Promise<RelayDeps> {
  const config = readCliAwsConfig();
  const table = config.TABLE_NAME;
  return {
    store: new DynamoDbReferralStore(new DynamoDBClient({}), table),
    mail: { send: unused },
    scheduler: { schedule: unused, cancel: unused, scheduleEffectRetry: unused },
    digests: awsDigestPlanner(config),
    clock: systemClock,
    log: silentLogger,
    config: { inboundDomain: config.INBOUND_DOMAIN, webBaseUrl: config.WEB_BASE_URL ?? '', replyKeys: { current: { id: '1', secret: 'unused-in-cli' } }, sessionSecret: 'unused', local: false },
  };
}

async function localDeps(): Promise<{ deps: RelayDeps; stop(): Promise<void> | void }> {
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
  const dynamo = await startDynamoDbLocal(config.DYNAMODB_PORT, config.DATA_DIR);
  await ensureTable(deps.store.client, config.TABLE_NAME);
  return { deps, stop: () => stopChild(dynamo.process) };
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    console.log(USAGE);
    return;
  }
  const { deps, stop } = isAws() ? { deps: await awsDeps(), stop: () => undefined } : await localDeps();
  try {
    const out = await runCommand(deps, argv);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`relay: ${err.message.split('\n')[0]}\n`);
      process.exit(2);
    }
    if (err instanceof DomainError) {
      process.stderr.write(`relay: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`relay: ${String((err as Error).stack ?? err)}\n`);
    process.exit(1);
  },
);
