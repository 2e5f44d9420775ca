import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Fn, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct, Node } from 'constructs';
import { z } from 'zod';
import { RelayAlarms, streamLag } from './constructs/alarms.js';
import { RelayDashboard, relayMetric } from './constructs/dashboard.js';
import { EffectsStream } from './constructs/effects.js';
import { RelayHttpApi } from './constructs/http-api.js';
import { InboundMail } from './constructs/inbound-mail.js';
import { MailDns, inboundMxValue } from './constructs/mail-dns.js';
import { MailSending } from './constructs/mail-sending.js';
import { RelayFunction } from './constructs/relay-function.js';
import { RelayTable, type TableAccess } from './constructs/relay-table.js';
import { ReplyTokenSecret } from './constructs/reply-token-secret.js';
import { StepScheduling } from './constructs/step-scheduling.js';
import { keys } from '../src/store/keys.js';

const FUNCTIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'functions');
const entry = (name: string) => path.join(FUNCTIONS_DIR, `${name}.ts`);


/** Reserved concurrent executions per function (47 in all); `-c reservedConcurrency=off` leaves them out. */
export const RESERVED_CONCURRENCY = { api: 20, inbound: 10, dispatch: 10, feedback: 5, digest: 2 } as const;

/** Deployment settings, from CDK context (`cdk.json`, or `-c key=value`). */
export interface RelaySettings {
  /** Inbound mail domain: replies and forwarded intros arrive at `*@domain`; mail is DKIM-signed for it. */
  readonly domain: string;
  /** From address of all outgoing mail. @default `relay@<domain>` */
  readonly mailFrom: string;
  /** Route 53 hosted zone for `domain` (or a parent): records are created there. Absent: printed as outputs. */
  readonly hostedZoneId?: string;
  /** Email address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Lowest level of the functions' own log lines kept (per stage: `-c logLevel=DEBUG`). @default INFO */
  readonly logLevel: lambda.ApplicationLogLevel;
  /** Lowest level of the Lambda platform's log lines kept. @default INFO */
  readonly systemLogLevel: lambda.SystemLogLevel;
}

/** Props of {@link RelayStack}. */
export interface RelayStackProps extends StackProps {
  readonly settings: RelaySettings;
}

// An empty string (the cdk.json default) counts as "not given".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

const contextSchema = z
  .object({
    domain: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lowercase domain name, e.g. relay.example.com'),
    mailFrom: optional(z.string().email('an email address')),
    hostedZoneId: optional(z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ')),
    alarmEmail: optional(z.string().email('an email address')),
    logLevel: optional(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'], { message: 'one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL' })),
    systemLogLevel: optional(z.enum(['DEBUG', 'INFO', 'WARN'], { message: 'one of DEBUG, INFO, WARN' })),
  })
  .transform((c): RelaySettings => ({
    domain: c.domain,
    mailFrom: c.mailFrom ?? `relay@${c.domain}`,
    hostedZoneId: c.hostedZoneId,
    alarmEmail: c.alarmEmail,
    logLevel: lambda.ApplicationLogLevel[c.logLevel ?? 'INFO'],
    systemLogLevel: lambda.SystemLogLevel[c.systemLogLevel ?? 'INFO'],
  }));

/** Thrown for a missing or malformed context value; names the key and how to set it. */
export class RelayContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayContextError';
  }
}

/**
 * Reads and validates the deployment settings from CDK context: `domain`, `mailFrom`,
 * `hostedZoneId`, `alarmEmail` (see cdk.json). No lookups: synth stays offline.
 * @throws RelayContextError naming each bad value
 */
export function readRelaySettings(node: Node): RelaySettings {
  const raw = Object.fromEntries(['domain', 'mailFrom', 'hostedZoneId', 'alarmEmail', 'logLevel', 'systemLogLevel'].map((k) => [k, node.tryGetContext(k)]));
  const result = contextSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new RelayContextError(`Bad CDK context (set with -c key=value or in cdk.json): ${problems.join('; ')}`);
}

/**
 * Referral Relay on AWS: HTTP API → api Lambda (Hono); SES receipt rule → S3 raw mail → inbound
 * Lambda; EventBridge Scheduler → dispatch and digest Lambdas; SES configuration set → SNS →
 * feedback Lambda; one DynamoDB table; reply-token secret; alarms. Each function gets only what it
 * uses, through the `bind…` methods of the constructs.
 */
export class RelayStack extends Stack {
  readonly table: RelayTable;
  readonly scheduling: StepScheduling;
  readonly mail: MailSending;
  readonly inbound: InboundMail;
  readonly httpApi: RelayHttpApi;
  readonly functions: Record<'api' | 'inbound' | 'dispatch' | 'feedback' | 'digest' | 'effects', RelayFunction>;
  readonly effects: EffectsStream;

  constructor(scope: Construct, id: string, props: RelayStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.table = new RelayTable(this, 'Data');
    const secret = new ReplyTokenSecret(this, 'ReplyToken');
    this.mail = new MailSending(this, 'Mail', { domain: settings.domain, mailFrom: settings.mailFrom });
    // Dispatch and digest get fixed names: their ARNs go into env vars (dispatch's into its own).
    this.scheduling = new StepScheduling(this, 'Scheduling', {
      groupName: `${this.stackName}-schedules`,
      dispatchFunctionName: `${this.stackName}-dispatch`,
      digestFunctionName: `${this.stackName}-digest`,
    });

    // Asynchronous invocations (SES, SNS, Scheduler) that still fail after Lambda's retries land here.
    const failedInvocations = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // Reserved concurrency per function (issue 12): a flood of API calls or inbound mail is capped at
    // its own function's share and cannot starve dispatch, feedback or digest. AWS keeps 100 of the
    // account's executions unreserved, so an account whose quota is still the new-account 10 must ask
    // for more, or deploy with `-c reservedConcurrency=off`.
    const reserved: Partial<Record<keyof typeof RESERVED_CONCURRENCY, number>> = this.node.tryGetContext('reservedConcurrency') === 'off' ? {} : RESERVED_CONCURRENCY;
    const logging = { logLevel: settings.logLevel, systemLogLevel: settings.systemLogLevel };
    const api = new RelayFunction(this, 'ApiFunction', { ...logging, entry: entry('api'), timeout: Duration.seconds(25), reservedConcurrentExecutions: reserved.api });
    const inbound = new RelayFunction(this, 'InboundFunction', {
      ...logging,
      entry: entry('inbound'),
      reservedConcurrentExecutions: reserved.inbound,
      timeout: Duration.seconds(60),
      memorySize: 1024,
      failedInvocationsQueue: failedInvocations,
    });
    const dispatch = new RelayFunction(this, 'DispatchFunction', {
      ...logging,
      entry: entry('dispatch'),
      functionName: `${this.stackName}-dispatch`,
      reservedConcurrentExecutions: reserved.dispatch,
      failedInvocationsQueue: failedInvocations,
    });
    const feedback = new RelayFunction(this, 'FeedbackFunction', { ...logging, entry: entry('feedback'), failedInvocationsQueue: failedInvocations, reservedConcurrentExecutions: reserved.feedback });
    const digest = new RelayFunction(this, 'DigestFunction', {
      ...logging,
      entry: entry('digest'),
      functionName: `${this.stackName}-digest`,
      reservedConcurrentExecutions: reserved.digest,
      timeout: Duration.minutes(5),
      failedInvocationsQueue: failedInvocations,
    });
    // The effects consumer: emails from the outbox items, schedules from the state's `pending` (see src/outbox/).
    const effects = new RelayFunction(this, 'EffectsFunction', { ...logging, entry: entry('effects'), timeout: Duration.seconds(60) });
    this.functions = { api, inbound, dispatch, feedback, digest, effects };
    this.effects = new EffectsStream(this, 'Effects', { table: this.table.table, consumer: effects });

    this.httpApi = new RelayHttpApi(this, 'Http', { handler: api });
    this.inbound = new InboundMail(this, 'Inbound', { domain: settings.domain, inboundFunction: inbound });
    this.mail.feedbackTopic.addSubscription(new subscriptions.LambdaSubscription(feedback));
    this.scheduling.allowInvoke(dispatch);
    this.scheduling.allowInvoke(digest);

    // The digest only reads, apart from its once-a-week claims (ONCE# items); the API also answers the
    // health check. Every other function changes referrals, members and markers of any kind.
    const tableAccess: Partial<Record<keyof typeof this.functions, TableAccess>> = {
      api: { describeTable: true },
      digest: { writesOnly: [keys.once('').pk] },
    };
    for (const [name, fn] of Object.entries(this.functions) as [keyof typeof this.functions, lambda.Function][]) {
      this.table.bindTable(fn, tableAccess[name]);
      this.mail.bindMailSending(fn);
      // Every function sends mail carrying signed reply addresses, or (inbound) verifies them.
      secret.bindReplyTokenSecret(fn);
      // The API endpoint does not depend on any function, so this makes no cycle.
      fn.addEnvironment('WEB_BASE_URL', this.httpApi.url);
    }
    for (const fn of [api, inbound, dispatch, feedback, effects]) this.scheduling.bindStepPlanner(fn);
    // The digest runs from its recurring schedule and plans no steps: settings only, no permission.
    this.scheduling.bindScheduleSettings(digest);
    this.inbound.bindRawMailBucket(inbound);

    new MailDns(this, 'Dns', { domain: settings.domain, identity: this.mail.identity, hostedZoneId: settings.hostedZoneId });

    const alarms = new RelayAlarms(this, 'Alarms', { alarmEmail: settings.alarmEmail });
    alarms.alarmOnQueue('SchedulerDeadLetters', this.scheduling.deadLetterQueue, 'The scheduler dead-letter queue');
    alarms.alarmOnQueue('FailedInvocationMessages', failedInvocations, 'The failed-invocations queue');
    alarms.alarmOnQueue('EffectsStreamFailures', this.effects.failures, 'The effects stream on-failure queue');
    alarms.alarmOnStreamLag('EffectsStreamBehind', effects, 'The effects stream (the outbox)');
    for (const [name, fn] of Object.entries(this.functions)) alarms.alarmOnErrors(`${name[0]!.toUpperCase()}${name.slice(1)}Errors`, fn);
    alarms.alarmOnSesReputation();
    // From the functions' own metrics (EMF): a send that failed (it is retried, then parked), inbound mail kept as a dead letter.
    alarms.alarmOnCount('EmailSendFailures', relayMetric('EmailFailed'), 'An email send failed (it is retried for a day, then parked): check SES sending and the function logs.');
    alarms.alarmOnCount('InboundDeadLetters', relayMetric('InboundDeadLettered'), 'Inbound mail was kept as a dead letter (unreadable, over a sender limit, or not loggable): see the admin dead-letter page.');
    new RelayDashboard(this, 'Dashboard', { alarms: alarms.alarms, streamLag: streamLag(effects) });

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the web app and JSON API', value: this.httpApi.url });
    new CfnOutput(this, 'LogAddressDomain', {
      description: 'Members forward intros to, and reply at, addresses in this domain',
      value: settings.domain,
    });
    new CfnOutput(this, 'MxRecord', { description: `MX record value for ${settings.domain}`, value: inboundMxValue() });
    new CfnOutput(this, 'TableName', { description: 'TABLE_NAME for `npx relay` against this deployment', value: this.table.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    // For `npx relay group create` against this deployment: it plans the group's weekly digest schedule.
    new CfnOutput(this, 'CliEnv', {
      description: 'Environment for `npx relay` against this deployment (besides TABLE_NAME and AWS_REGION)',
      value: Fn.join(' ', [
        `APP_ENV=aws INBOUND_DOMAIN=${settings.domain}`,
        Fn.join('', ['SCHEDULE_GROUP_NAME=', this.scheduling.group.ref]),
        Fn.join('', ['SCHEDULER_ROLE_ARN=', this.scheduling.role.roleArn]),
        Fn.join('', ['SCHEDULER_DLQ_ARN=', this.scheduling.deadLetterQueue.queueArn]),
        Fn.join('', ['DISPATCH_FUNCTION_ARN=', this.scheduling.dispatchFunctionArn]),
        Fn.join('', ['DIGEST_FUNCTION_ARN=', this.scheduling.digestFunctionArn]),
      ]),
    });
  }
}
