/**
 * The CDK stack, asserted by meaning (which resource, which permission, which wiring), not by bytes.
 * The stack is built once for the file, with real bundling by the local esbuild (skipping bundling
 * would make CDK fingerprint the whole project, node_modules included, which is slower); the second
 * variant reuses those bundles through CDK's in-process asset cache.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Aspects, Stack, type CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE } from '../../../infra/constructs/bundling-options.js';
import { RESERVED_CONCURRENCY, RelayContextError, RelayStack, readRelaySettings } from '../../../infra/relay-stack.js';
import { readAwsConfig } from '../../../src/config/env.js';
import { METRIC_NAMES } from '../../../src/referrals/deps.js';
import { TABLE_KEYS } from '../../../src/store/keys.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CDK_CONTEXT = (JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

const FUNCTION_NAMES = ['api', 'inbound', 'dispatch', 'feedback', 'digest'] as const;
type FunctionName = (typeof FUNCTION_NAMES)[number] | 'effects';
const STEP_PLANNERS: FunctionName[] = ['api', 'inbound', 'dispatch', 'feedback'];
const SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'];

/** The app's env var names (README, issue): every function gets these; inbound also RAW_MAIL_BUCKET. */
const COMMON_ENV = [
  'APP_ENV',
  'TABLE_NAME',
  'INBOUND_DOMAIN',
  'MAIL_FROM',
  'SES_CONFIGURATION_SET',
  'REPLY_TOKEN_SECRET_ARN',
  'SCHEDULE_GROUP_NAME',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULER_DLQ_ARN',
  'DISPATCH_FUNCTION_ARN',
  'DIGEST_FUNCTION_ARN',
  'WEB_BASE_URL',
];

type Json = any; // template fragments: shapes vary by resource type

interface Built {
  stack: RelayStack;
  template: Template;
  resources: Record<string, Json>;
}

const BUILD_TIMEOUT_MS = 180_000;
// One cloud-assembly directory for every build of this file: CDK's in-process asset cache then
// reuses the first build's bundles instead of bundling again.
const outdir = mkdtempSync(path.join(tmpdir(), 'relay-cdk-'));

function build(context: Record<string, unknown>): Built & { outdir: string } {
  const app = new App({
    outdir,
    // Record where each asset went, as the CLI does, so the bundles can be inspected.
    context: { ...CDK_CONTEXT, ...context, 'aws:cdk:enable-asset-metadata': true },
  });
  const stack = new RelayStack(app, 'Relay', { settings: readRelaySettings(app.node) });
  Aspects.of(app).add(new AwsSolutionsChecks());
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Json>, outdir };
}

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnResource)) as string;

/** Renders Ref / GetAtt / Join (and pseudo parameters) as a readable string, e.g. `arn:${AWS::Partition}:…`. */
function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `\${${value.Ref}}`;
  if (value?.['Fn::GetAtt']) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(text).join(value['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

const asArray = <T,>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Json;
}

/** Every statement of every AWS::IAM::Policy attached to the role with this logical id. */
function statementsOfRole(resources: Record<string, Json>, roleLogicalId: string): Statement[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleLogicalId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
    .map((s) => ({ ...s, Action: asArray(s.Action), Resource: asArray(s.Resource).map(text) }));
}

describe('RelayStack (no hosted zone, no alarm email: cdk.json defaults)', () => {
  let built: Built & { outdir: string };
  let stack: RelayStack;
  let resources: Record<string, Json>;
  let template: Template;
  const fnId = (name: FunctionName) => logicalId(stack, stack.functions[name]);
  const envOf = (name: FunctionName): Record<string, Json> => resources[fnId(name)].Properties.Environment.Variables;
  const roleId = (name: FunctionName) => resources[fnId(name)].Properties.Role['Fn::GetAtt'][0] as string;
  const statementsOf = (name: FunctionName) => statementsOfRole(resources, roleId(name));
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  beforeAll(() => {
    built = build({});
    ({ stack, resources, template } = built);
  }, BUILD_TIMEOUT_MS);

  it('reserves concurrency per function, so one flooded door cannot starve the others', () => {
    for (const name of FUNCTION_NAMES) expect(resources[fnId(name)].Properties.ReservedConcurrentExecutions, name).toBe(RESERVED_CONCURRENCY[name]);
  });

  describe('DynamoDB table', () => {
    it('has the key schema of TABLE_KEYS, all string attributes', () => {
      const [[, table]] = ofType('AWS::DynamoDB::Table');
      const p = table.Properties;
      expect(p.KeySchema).toEqual([
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ]);
      expect(p.GlobalSecondaryIndexes.map((g: Json) => ({ name: g.IndexName, keys: g.KeySchema }))).toEqual(
        TABLE_KEYS.gsis.map((g) => ({
          name: g.name,
          keys: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
        })),
      );
      const keyNames = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...TABLE_KEYS.gsis.flatMap((g) => [g.partitionKey, g.sortKey])];
      expect(p.AttributeDefinitions).toEqual(expect.arrayContaining(keyNames.map((n) => ({ AttributeName: n, AttributeType: 'S' }))));
      expect(p.AttributeDefinitions).toHaveLength(keyNames.length);
    });

    it('is on-demand, with PITR, deletion protection, TTL on expiresAt, and retained', () => {
      const [[, table]] = ofType('AWS::DynamoDB::Table');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
      });
      expect(TABLE_KEYS.ttlAttribute).toBe('expiresAt');
      expect(table.DeletionPolicy).toBe('Retain');
    });
  });

  describe('Lambda functions', () => {
    it('are five, Node 24 on arm64, ESM bundles with source maps enabled, each with a one-month log group', () => {
      const fns = ofType('AWS::Lambda::Function').filter(([id]) => FUNCTION_NAMES.some((n) => id === fnId(n)));
      expect(fns).toHaveLength(5);
      for (const name of FUNCTION_NAMES) {
        const p = resources[fnId(name)].Properties;
        expect(p, name).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
        expect(p.Environment.Variables.NODE_OPTIONS, name).toBe('--enable-source-maps');
        expect(p.Timeout, name).toBeGreaterThan(0);
        expect(p.MemorySize, name).toBeGreaterThanOrEqual(256);
        const logGroup = resources[p.LoggingConfig.LogGroup.Ref];
        expect(logGroup.Properties.RetentionInDays, name).toBe(30);
      }
    });

    it('use their own roles with no managed policy (so no account-wide log permissions)', () => {
      for (const name of FUNCTION_NAMES) {
        const role = resources[roleId(name)];
        expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
        const logs = statementsOf(name).filter((s) => s.Action.some((a) => a.startsWith('logs:')));
        expect(logs.flatMap((s) => s.Resource), name).toEqual([`\${${resources[fnId(name)].Properties.LoggingConfig.LogGroup.Ref}.Arn}`]);
      }
    });

    it('send failed asynchronous invocations (SES, SNS, Scheduler) to a queue; the API has none', () => {
      for (const name of ['inbound', 'dispatch', 'feedback', 'digest'] as const) {
        const dlq = resources[fnId(name)].Properties.DeadLetterConfig?.TargetArn;
        expect(dlq, name).toBeDefined();
        expect(resources[dlq['Fn::GetAtt'][0]].Type).toBe('AWS::SQS::Queue');
      }
      expect(resources[fnId('api')].Properties.DeadLetterConfig).toBeUndefined();
    });

    it('log JSON (Lambda advanced logging controls) at the levels of the stage settings, INFO by default', () => {
      for (const name of [...FUNCTION_NAMES, 'effects' as const]) {
        expect(resources[fnId(name)].Properties.LoggingConfig, name).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
      }
    });

    it('dispatch and digest have fixed names, so their ARNs can be env vars (dispatch\'s in its own)', () => {
      expect(resources[fnId('dispatch')].Properties.FunctionName).toBe('Relay-dispatch');
      expect(resources[fnId('digest')].Properties.FunctionName).toBe('Relay-digest');
    });
  });

  describe('environment wiring', () => {
    it('gives every function the app\'s env var names; RAW_MAIL_BUCKET only to inbound', () => {
      for (const name of FUNCTION_NAMES) {
        const keys = Object.keys(envOf(name));
        expect(keys, name).toEqual(expect.arrayContaining(COMMON_ENV));
        expect(keys.includes('RAW_MAIL_BUCKET'), name).toBe(name === 'inbound');
        expect(envOf(name).APP_ENV, name).toBe('aws');
      }
    });

    it('points each variable at the right resource', () => {
      const tableId = logicalId(stack, stack.table.table);
      const groupId = stack.resolve(stack.scheduling.group.logicalId) as string;
      const roleArn = `\${${logicalId(stack, stack.scheduling.role)}.Arn}`;
      const dlqArn = `\${${logicalId(stack, stack.scheduling.deadLetterQueue)}.Arn}`;
      const apiId = logicalId(stack, stack.httpApi.api);
      for (const name of FUNCTION_NAMES) {
        const env = envOf(name);
        expect(text(env.TABLE_NAME), name).toBe(`\${${tableId}}`);
        expect(env.INBOUND_DOMAIN, name).toBe('relay.example.com');
        expect(env.MAIL_FROM, name).toBe('relay@relay.example.com');
        expect(text(env.SES_CONFIGURATION_SET), name).toBe(`\${${logicalId(stack, stack.mail.configurationSet)}}`);
        expect(resources[env.REPLY_TOKEN_SECRET_ARN.Ref].Type, name).toBe('AWS::SecretsManager::Secret');
        expect(text(env.SCHEDULE_GROUP_NAME), name).toBe(`\${${groupId}}`);
        expect(text(env.SCHEDULER_ROLE_ARN), name).toBe(roleArn);
        expect(text(env.SCHEDULER_DLQ_ARN), name).toBe(dlqArn);
        expect(text(env.DISPATCH_FUNCTION_ARN), name).toMatch(/^arn:\$\{AWS::Partition\}:lambda:\$\{AWS::Region\}:\$\{AWS::AccountId\}:function:Relay-dispatch$/);
        expect(text(env.DIGEST_FUNCTION_ARN), name).toMatch(/:function:Relay-digest$/);
        expect(text(env.WEB_BASE_URL), name).toBe(`\${${apiId}.ApiEndpoint}`);
      }
      expect(text(envOf('inbound').RAW_MAIL_BUCKET)).toBe(`\${${logicalId(stack, stack.inbound.rawMailBucket)}}`);
    });

    it('satisfies the app\'s own AWS config schema in every function (no required variable missing)', () => {
      const sample = (key: string): string => {
        if (key.endsWith('_ARN')) return `arn:aws:test:us-east-1:123456789012:${key.toLowerCase()}`;
        if (key === 'WEB_BASE_URL') return 'https://abc.execute-api.us-east-1.amazonaws.com';
        return 'sample-value';
      };
      for (const name of FUNCTION_NAMES) {
        const env = Object.fromEntries(
          Object.entries(envOf(name)).map(([k, v]) => [k, typeof v === 'string' ? v : sample(k)]),
        );
        expect(() => readAwsConfig(env), name).not.toThrow();
      }
    });
  });

  describe('IAM: least privilege', () => {
    it('no function statement has a wildcard action or a "*" resource', () => {
      for (const name of FUNCTION_NAMES) {
        for (const s of statementsOf(name)) {
          expect(s.Action.filter((a) => a.includes('*')), `${name}: ${s.Action.join(',')}`).toEqual([]);
          expect(s.Resource, name).not.toContain('*');
        }
      }
    });

    it('step planners may create/update/delete/get schedules of the app\'s group only, and pass only the scheduler role', () => {
      const groupId = stack.resolve(stack.scheduling.group.logicalId) as string;
      const roleArn = `\${${logicalId(stack, stack.scheduling.role)}.Arn}`;
      for (const name of STEP_PLANNERS) {
        const statements = statementsOf(name);
        const scheduler = statements.filter((s) => s.Action.some((a) => a.startsWith('scheduler:')));
        expect(scheduler, name).toHaveLength(1);
        expect([...scheduler[0]!.Action].sort(), name).toEqual(SCHEDULE_ACTIONS);
        expect(scheduler[0]!.Resource, name).toEqual([
          `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/\${${groupId}}/*`,
        ]);
        const passRole = statements.filter((s) => s.Action.includes('iam:PassRole'));
        expect(passRole, name).toHaveLength(1);
        expect(passRole[0]!.Resource, name).toEqual([roleArn]);
        expect(passRole[0]!.Condition, name).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      }
    });

    it('the digest function gets scheduler settings but no scheduler or PassRole permission', () => {
      const actions = statementsOf('digest').flatMap((s) => s.Action);
      expect(actions.filter((a) => a.startsWith('scheduler:') || a.startsWith('iam:'))).toEqual([]);
    });

    it('each function reads items of the table and its indexes, writes items of the table only, and never scans', () => {
      const tableArn = `\${${logicalId(stack, stack.table.table)}.Arn}`;
      for (const name of FUNCTION_NAMES) {
        const dynamo = statementsOf(name).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
        const reads = dynamo.filter((s) => s.Action.includes('dynamodb:Query'));
        const writes = dynamo.filter((s) => s.Action.includes('dynamodb:PutItem'));
        expect(dynamo, name).toHaveLength(2);
        expect(reads, name).toHaveLength(1);
        expect([...reads[0]!.Action].sort(), name).toEqual(
          ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', ...(name === 'api' ? ['dynamodb:DescribeTable'] : [])].sort(),
        );
        expect([...reads[0]!.Resource].sort(), name).toEqual([tableArn, `${tableArn}/index/*`].sort());
        expect([...writes[0]!.Action].sort(), name).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
        expect(writes[0]!.Resource, name).toEqual([tableArn]);
        expect(dynamo.flatMap((s) => s.Action).filter((a) => /Scan|Batch(Write)|Create|Delete(Table|Backup)|UpdateTable|Restore|Export|Import/.test(a)), name).toEqual([]);
      }
    });

    it('the digest writes only its once-a-week claims (dynamodb:LeadingKeys ONCE#*); the others write any item', () => {
      for (const name of FUNCTION_NAMES) {
        const writes = statementsOf(name).filter((s) => s.Action.includes('dynamodb:PutItem'));
        if (name === 'digest') expect(writes[0]!.Condition, name).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ONCE#*'] } });
        else expect(writes[0]!.Condition, name).toBeUndefined();
      }
    });

    it('SES sending is limited to the domain identity and the configuration set', () => {
      for (const name of FUNCTION_NAMES) {
        const ses = statementsOf(name).filter((s) => s.Action.some((a) => a.startsWith('ses:')));
        expect(ses, name).toHaveLength(1);
        expect([...ses[0]!.Action].sort(), name).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
        expect([...ses[0]!.Resource].sort(), name).toEqual(
          [
            `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/relay.example.com`,
            `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/\${${logicalId(stack, stack.mail.configurationSet)}}`,
          ].sort(),
        );
      }
    });

    it('the reply-token secret is readable (value only) by every function, all of which read it at cold start', () => {
      for (const name of FUNCTION_NAMES) {
        const secret = statementsOf(name).filter((s) => s.Action.some((a) => a.startsWith('secretsmanager:')));
        expect(secret, name).toHaveLength(1);
        expect([...secret[0]!.Action].sort(), name).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
        expect(resources[secret[0]!.Resource[0]!.slice(2, -1)].Type, name).toBe('AWS::SecretsManager::Secret');
      }
    });

    it('only the inbound function reads raw mail, and only objects under raw/', () => {
      const bucketArn = `\${${logicalId(stack, stack.inbound.rawMailBucket)}.Arn}`;
      for (const name of FUNCTION_NAMES) {
        const s3 = statementsOf(name).filter((s) => s.Action.some((a) => a.startsWith('s3:')));
        if (name !== 'inbound') {
          expect(s3, name).toEqual([]);
          continue;
        }
        expect(s3).toEqual([expect.objectContaining({ Action: ['s3:GetObject'], Resource: [`${bucketArn}/raw/*`] })]);
      }
    });

    it('the scheduler role trusts only EventBridge Scheduler of this account and group, invokes only dispatch and digest, writes only the DLQ', () => {
      const role = resources[logicalId(stack, stack.scheduling.role)];
      const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
      expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      expect(text(trust.Condition.ArnLike['aws:SourceArn'])).toMatch(/:schedule-group\/\$\{\w+\}$/);

      const statements = statementsOfRole(resources, logicalId(stack, stack.scheduling.role));
      const invoke = statements.filter((s) => s.Action.includes('lambda:InvokeFunction'));
      expect(invoke.flatMap((s) => s.Action)).toEqual(['lambda:InvokeFunction']);
      expect(invoke.flatMap((s) => s.Resource).sort()).toEqual([`\${${fnId('digest')}.Arn}`, `\${${fnId('dispatch')}.Arn}`].sort());
      const other = statements.filter((s) => !s.Action.includes('lambda:InvokeFunction'));
      expect(other).toEqual([
        expect.objectContaining({ Action: ['sqs:SendMessage'], Resource: [`\${${logicalId(stack, stack.scheduling.deadLetterQueue)}.Arn}`] }),
      ]);
    });
  });

  describe('scheduling', () => {
    it('creates the schedule group and an encrypted, TLS-only dead-letter queue', () => {
      const groups = ofType('AWS::Scheduler::ScheduleGroup');
      expect(groups).toHaveLength(1);
      expect(groups[0]![1].Properties.Name).toBe('Relay-schedules');
      const dlqId = logicalId(stack, stack.scheduling.deadLetterQueue);
      expect(resources[dlqId].Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('inbound mail', () => {
    it('the receipt rule stores raw mail under raw/ THEN invokes the inbound function, with scanning on', () => {
      const rules = ofType('AWS::SES::ReceiptRule');
      expect(rules).toHaveLength(1);
      const rule = rules[0]![1].Properties.Rule;
      expect(rule.Recipients).toEqual(['relay.example.com']);
      expect(rule.ScanEnabled).toBe(true);
      expect(rule.Enabled).toBe(true);
      expect(rule.Actions.map((a: Json) => Object.keys(a)[0])).toEqual(['S3Action', 'LambdaAction']);
      expect(rule.Actions[0].S3Action).toEqual({ BucketName: { Ref: logicalId(stack, stack.inbound.rawMailBucket) }, ObjectKeyPrefix: 'raw/' });
      expect(rule.Actions[1].LambdaAction).toEqual({ FunctionArn: { 'Fn::GetAtt': [fnId('inbound'), 'Arn'] }, InvocationType: 'Event' });
    });

    it('a custom resource activates the rule set on create and update, and deactivates on delete, after the rule exists', () => {
      const ruleSetId = logicalId(stack, stack.inbound.ruleSet);
      const [[, activation]] = ofType('Custom::SesActiveReceiptRuleSet');
      for (const phase of ['Create', 'Update'] as const) {
        const call = JSON.parse(text(activation.Properties[phase]).replace(`\${${ruleSetId}}`, 'RULE_SET'));
        expect(call, phase).toMatchObject({ service: 'SES', action: 'setActiveReceiptRuleSet', parameters: { RuleSetName: 'RULE_SET' } });
      }
      const onDelete = JSON.parse(activation.Properties.Delete);
      expect(onDelete).toMatchObject({ service: 'SES', action: 'setActiveReceiptRuleSet' });
      expect(onDelete.parameters.RuleSetName).toBeUndefined();
      const ruleId = ofType('AWS::SES::ReceiptRule')[0]![0];
      expect(activation.DependsOn).toContain(ruleId);

      const [[, policy]] = Object.entries(resources).filter(
        ([id, r]) => r.Type === 'AWS::IAM::Policy' && activation.DependsOn.includes(id),
      );
      expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: 'ses:SetActiveReceiptRuleSet', Effect: 'Allow', Resource: '*' }]);
    });

    it('SES may invoke the inbound function (this account only) and write only raw/ in the bucket', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [fnId('inbound'), 'Arn'] },
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
      const bucketId = logicalId(stack, stack.inbound.rawMailBucket);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Action: 's3:PutObject',
              Principal: { Service: 'ses.amazonaws.com' },
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/raw/*']] },
            }),
          ]),
        },
      });
    });

    it('the raw-mail bucket is private, S3-encrypted, access-logged and expires mail after 30 days', () => {
      const bucket = resources[logicalId(stack, stack.inbound.rawMailBucket)].Properties;
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
      expect(bucket.LifecycleConfiguration.Rules).toEqual([expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' })]);
      expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(stack, stack.inbound.accessLogsBucket) });
    });
  });

  describe('outbound mail and feedback', () => {
    it('the domain identity signs with DKIM and uses the configuration set', () => {
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'relay.example.com',
        DkimAttributes: { SigningEnabled: true },
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: logicalId(stack, stack.mail.configurationSet) } },
      });
    });

    it('bounce and complaint events go to an SNS topic that the feedback function is subscribed to', () => {
      const topicId = logicalId(stack, stack.mail.feedbackTopic);
      const [[, destination]] = ofType('AWS::SES::ConfigurationSetEventDestination');
      expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: logicalId(stack, stack.mail.configurationSet) });
      expect([...destination.Properties.EventDestination.MatchingEventTypes].sort()).toEqual(['bounce', 'complaint']);
      expect(destination.Properties.EventDestination.SnsDestination).toEqual({ TopicARN: { Ref: topicId } });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: topicId },
        Endpoint: { 'Fn::GetAtt': [fnId('feedback'), 'Arn'] },
      });
    });
  });

  it('the reply-token secret is generated: 64 characters, lowercase letters and digits', () => {
    const [[, secret]] = ofType('AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludeUppercase: true,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('the HTTP API sends every route to the api function, through a throttled, access-logged $default stage', () => {
    const apiId = logicalId(stack, stack.httpApi.api);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [fnId('api'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: { Ref: apiId }, RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue() }),
    });
  });

  describe('alarms', () => {
    const alarmTopicRef = () => ({ Ref: logicalId(stack, stack.node.findChild('Alarms').node.findChild('Topic') as never) });
    const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

    it('fire on any message in any dead-letter queue (scheduler, failed invocations, effects stream)', () => {
      const dlqAlarms = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
      const queues = dlqAlarms.map((a) => a.Dimensions[0].Value['Fn::GetAtt'][0]);
      expect(queues).toContain(logicalId(stack, stack.scheduling.deadLetterQueue));
      expect(queues).toContain(logicalId(stack, stack.effects.failures));
      expect(queues).toHaveLength(3);
      for (const a of dlqAlarms) expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Namespace: 'AWS/SQS' });
    });

    it('fire on errors of each of the five functions and the effects consumer', () => {
      const errorAlarms = alarms().filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda');
      const fns = errorAlarms.map((a) => a.Dimensions.find((d: Json) => d.Name === 'FunctionName').Value.Ref).sort();
      expect(fns).toEqual([...FUNCTION_NAMES, 'effects' as const].map(fnId).sort());
    });

    it('the table streams new and old images to the effects consumer: batches, bisect on error, partial failures, retries, then an SQS queue', () => {
      const table = ofType('AWS::DynamoDB::Table')[0]![1];
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
      const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
      expect(mappings).toHaveLength(1);
      expect(mappings[0]).toMatchObject({
        FunctionName: { Ref: fnId('effects') },
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack, stack.effects.failures), 'Arn'] } } },
      });
    });

    it('fire when the effects stream is more than 5 minutes behind for 5 minutes in a row (its consumer\'s IteratorAge), and the dashboard graphs it', () => {
      const lag = alarms().filter((a) => a.MetricName === 'IteratorAge');
      expect(lag).toHaveLength(1);
      expect(lag[0]).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('effects') } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 300_000,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopicRef()],
      });
      const body = JSON.parse(text(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody)) as { widgets: { properties: Json }[] };
      const graphed = body.widgets.flatMap((w) => (w.properties.metrics ?? []) as Json[][]).filter((m) => m[0] === 'AWS/Lambda' && m[1] === 'IteratorAge');
      expect(graphed).toHaveLength(1);
      expect(graphed[0]!.slice(2, 4)).toEqual(['FunctionName', `\${${fnId('effects')}}`]);
    });

    it('fire on a failed email send and on inbound mail kept as a dead letter (the functions\' EMF metrics), to the alarm topic', () => {
      const byMetric = (name: string) => alarms().filter((a) => a.Namespace === 'ReferralRelay' && a.MetricName === name);
      for (const name of ['EmailFailed', 'InboundDeadLettered']) {
        const found = byMetric(name);
        expect(found, name).toHaveLength(1);
        expect(found[0], name).toMatchObject({
          Dimensions: [{ Name: 'service', Value: 'referral-relay' }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [alarmTopicRef()],
        });
      }
    });

    it('a dashboard shows every alarm and every metric the functions emit, totals and by kind', () => {
      const dashboards = ofType('AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.parse(text(dashboards[0]![1].Properties.DashboardBody)) as { widgets: { type: string; properties: Json }[] };
      const alarmWidget = body.widgets.find((w) => w.properties.alarms);
      const alarmIds = ofType('AWS::CloudWatch::Alarm').map(([id]) => `\${${id}.Arn}`);
      expect([...alarmWidget!.properties.alarms].sort()).toEqual(alarmIds.sort());
      expect(alarmIds.length).toBeGreaterThanOrEqual(12);
      const metrics = body.widgets.flatMap((w) => (w.properties.metrics ?? []) as Json[][]);
      const plain = metrics.filter((m) => m[0] === 'ReferralRelay').map((m) => [m[1], m[2], m[3]]);
      const searches = metrics.map((m) => m.find((x: Json) => typeof x === 'object' && x?.expression)?.expression).filter(Boolean) as string[];
      for (const name of METRIC_NAMES) expect(plain, name).toContainEqual([name, 'service', 'referral-relay']);
      for (const name of ['EmailSent', 'EmailFailed', 'EmailSuppressed', 'StepRun', 'StepSkipped', 'StepLate', 'ReplyNotUnderstood']) {
        expect(searches, name).toContain(`SEARCH('{ReferralRelay,kind,service} service="referral-relay" MetricName="${name}"', 'Sum', 300)`);
      }
    });

    it('fire on an SES bounce rate above 5 %', () => {
      const [bounce] = alarms().filter((a) => a.MetricName === 'Reputation.BounceRate');
      expect(bounce).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.05, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it('all notify the alarm topic, which has no subscription without alarmEmail', () => {
      for (const a of alarms()) expect(a.AlarmActions).toEqual([alarmTopicRef()]);
      expect(ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email')).toEqual([]);
    });
  });

  it('outputs the API URL, the log-address domain and the MX record value', () => {
    const outputs = template.toJSON().Outputs as Record<string, Json>;
    expect(text(outputs.ApiUrl.Value)).toBe(`\${${logicalId(stack, stack.httpApi.api)}.ApiEndpoint}`);
    expect(outputs.LogAddressDomain.Value).toBe('relay.example.com');
    expect(text(outputs.MxRecord.Value)).toBe('10 inbound-smtp.${AWS::Region}.amazonaws.com');
  });

  it('without hostedZoneId creates no DNS records and outputs the MX and DKIM records to add by hand', () => {
    expect(ofType('AWS::Route53::RecordSet')).toEqual([]);
    const outputs = Object.values(template.toJSON().Outputs as Record<string, Json>).map((o) => text(o.Value));
    expect(outputs).toContain('relay.example.com MX 10 inbound-smtp.${AWS::Region}.amazonaws.com');
    const identityId = logicalId(stack, stack.mail.identity);
    for (const n of [1, 2, 3]) expect(outputs).toContain(`\${${identityId}.DkimDNSTokenName${n}} CNAME \${${identityId}.DkimDNSTokenValue${n}}`);
  });

  it('bundles every entry with the local esbuild as a minified ESM index.mjs with the createRequire banner, a source map and the environment-only credential provider', () => {
    const assetDirs = FUNCTION_NAMES.map((name) => resources[fnId(name)].Metadata['aws:asset:path'] as string);
    expect(new Set(assetDirs).size).toBe(5);
    for (const dir of assetDirs) {
      const files = readdirSync(path.join(built.outdir, dir)).sort();
      expect(files, dir).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(path.join(built.outdir, dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(LAMBDA_BUNDLE.banner), dir).toBe(true);
      expect(code, dir).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
      // Minified: no indentation-formatted lines to speak of.
      expect(code.split('\n').length, dir).toBeLessThan(code.length / 500);
      // The Lambda-only credential provider, not the SDK's whole chain (SSO, web identity, ini files).
      expect(code, dir).not.toMatch(/AssumeRoleWithWebIdentity|sso_session|credential_process/);
      expect(code, dir).toContain('AWS_SECRET_ACCESS_KEY');
      // The SDK's event-stream codec is replaced by the stub (no operation the functions call streams).
      expect(code, dir).toContain('Event streams are not bundled');
    }
  });

  it('cdk-nag (AwsSolutions) reports no unsuppressed error, and every suppression has a reason', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${JSON.stringify(e.entry.data).slice(0, 120)}`)).toEqual([]);
    const suppressions = Object.values(resources).flatMap((r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Json[]);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(30);
    // Node 24 is the newest Lambda runtime: the latest-runtime rule passes without a suppression.
    expect(suppressions.map((s) => s.id)).not.toContain('AwsSolutions-L1');
  });

  it('each suppression\'s reason is still true of the stack and the app', async () => {
    const suppressions = Object.values(resources).flatMap((r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Json[]);
    // SMG4: the app accepts the previous key, so a manual rotation breaks nothing already sent.
    const smg4 = suppressions.filter((x) => x.id === 'AwsSolutions-SMG4');
    expect(smg4).toHaveLength(1);
    expect(smg4[0].reason).toMatch(/already accepts the previous key/);
    expect(smg4[0].reason).not.toMatch(/follow-up/);
    const { parseSecret } = await import('../../../src/runtime/aws/aws-deps.js');
    expect(parseSecret(JSON.stringify({ current: { id: '2', secret: 'new-secret-0123456789' }, previous: { id: '1', secret: 'old-secret-0123456789' } })).previous).toEqual({ id: '1', secret: 'old-secret-0123456789' });
    // IAM5 on <table>/index/*: only reads reach the indexes.
    for (const name of FUNCTION_NAMES) {
      const onIndexes = statementsOfRole(resources, resources[logicalId(stack, stack.functions[name])].Properties.Role['Fn::GetAtt'][0]).filter((x) => x.Resource.some((r) => r.endsWith('/index/*')));
      expect(onIndexes.flatMap((x) => x.Action).filter((a) => /Put|Update|Delete|Write/.test(a)), name).toEqual([]);
    }
  });
});

describe('RelayStack with hostedZoneId and alarmEmail', () => {
  let built: Built;
  beforeAll(() => {
    built = build({ domain: 'mail.acme.test', mailFrom: 'hello@acme.test', hostedZoneId: 'Z0123456789ABCDEFGHIJ', alarmEmail: 'ops@acme.test', reservedConcurrency: 'off', logLevel: 'DEBUG', systemLogLevel: 'WARN' });
  }, BUILD_TIMEOUT_MS);

  it('sets the log levels of the stage (-c logLevel=DEBUG -c systemLogLevel=WARN) on every function', () => {
    const functions = Object.values(built.stack.functions).map((fn) => built.resources[logicalId(built.stack, fn)]);
    expect(functions).toHaveLength(6);
    for (const f of functions) expect(f.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN' });
  });

  it('leaves reserved concurrency out with -c reservedConcurrency=off (accounts still at the new-account quota)', () => {
    const functions = Object.values(built.resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler');
    expect(functions.length).toBeGreaterThanOrEqual(5);
    for (const f of functions) expect(f.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('creates the MX record and the three DKIM CNAME records in the zone', () => {
    const records = Object.values(built.resources).filter((r) => r.Type === 'AWS::Route53::RecordSet').map((r) => r.Properties);
    expect(records.every((r) => r.HostedZoneId === 'Z0123456789ABCDEFGHIJ')).toBe(true);
    const mx = records.filter((r) => r.Type === 'MX');
    expect(mx).toHaveLength(1);
    expect(mx[0].Name).toBe('mail.acme.test.');
    expect(mx[0].ResourceRecords.map(text)).toEqual(['10 inbound-smtp.${AWS::Region}.amazonaws.com']);
    const identityId = logicalId(built.stack, built.stack.mail.identity);
    expect(records.filter((r) => r.Type === 'CNAME').map((r) => text(r.Name)).sort()).toEqual(
      [1, 2, 3].map((n) => `\${${identityId}.DkimDNSTokenName${n}}`),
    );
  });

  it('subscribes the alarm email to the alarm topic', () => {
    built.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@acme.test' });
  });

  it('allows sending as the From address\'s own domain too, and still passes cdk-nag', () => {
    const identities = Object.values(built.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => asArray(s.Action).includes('ses:SendRawEmail'))
      .flatMap((s) => asArray(s.Resource).map(text))
      .filter((arn) => arn.includes(':identity/'));
    expect(new Set(identities.map((arn) => arn.slice(arn.indexOf(':identity/') + 10)))).toEqual(new Set(['mail.acme.test', 'acme.test']));
    expect(Annotations.fromStack(built.stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });
});

describe('readRelaySettings (CDK context)', () => {
  const settingsFrom = (context: Record<string, unknown>) => readRelaySettings(new App({ context }).node);

  it('defaults mailFrom to relay@<domain> and treats cdk.json\'s empty strings as absent', () => {
    expect(settingsFrom({ domain: 'relay.acme.test', mailFrom: '', hostedZoneId: '', alarmEmail: '' })).toEqual({
      domain: 'relay.acme.test',
      mailFrom: 'relay@relay.acme.test',
      hostedZoneId: undefined,
      alarmEmail: undefined,
      logLevel: 'INFO',
      systemLogLevel: 'INFO',
    });
  });

  it('cdk.json provides a working default domain', () => {
    expect(settingsFrom(CDK_CONTEXT).domain).toBe('relay.example.com');
  });

  it('rejects a missing domain, a bad mailFrom and a bad hosted zone id, naming each', () => {
    expect(() => settingsFrom({})).toThrow(RelayContextError);
    expect(() => settingsFrom({ domain: 'Relay Example' })).toThrow(/domain/);
    expect(() => settingsFrom({ domain: 'relay.acme.test', mailFrom: 'not-an-address' })).toThrow(/mailFrom/);
    expect(() => settingsFrom({ domain: 'relay.acme.test', hostedZoneId: 'acme.test' })).toThrow(/hostedZoneId/);
    expect(() => settingsFrom({ domain: 'relay.acme.test', logLevel: 'LOUD' })).toThrow(/logLevel: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL/);
    expect(() => settingsFrom({ domain: 'relay.acme.test', systemLogLevel: 'ERROR' })).toThrow(/systemLogLevel/);
  });
});
