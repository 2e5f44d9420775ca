/**
 * Each Lambda entry file, imported as deployed, invoked with a base event fixture against DynamoDB
 * Local and the local SES server (SDK endpoints moved there with AWS_ENDPOINT_URL_*). The raw mail is
 * read from a local S3 stand-in and the reply-token secret from a local Secrets Manager stand-in, both
 * checking SigV4 signatures (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SECRETS_MANAGER). EventBridge Scheduler
 * has no local stand-in here: aws-sdk-client-mock answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { buildAwsDeps } from '../../../src/runtime/aws/aws-deps.js';
import type { DynamoDbReferralStore } from '../../../src/store/dynamodb/dynamodb-store.js';
import { startS3StandIn } from '../../support/s3-stand-in.js';
import { startSecretsManagerStandIn } from '../../support/secrets-manager-stand-in.js';
import { emailsTo, env as stackEnv, eventually } from '../harness.js';

const fixtures = join(import.meta.dirname, '../../fixtures');
const event = <T>(name: string, replace: Record<string, string> = {}): T => {
  let text = readFileSync(join(fixtures, 'events', name), 'utf8');
  for (const [k, v] of Object.entries(replace)) text = text.replaceAll(k, v);
  return JSON.parse(text) as T;
};

const DOMAIN = 'relay.example.com';
const lambdaEnv = {
  APP_ENV: 'aws',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL_DYNAMODB: stackEnv.DYNAMODB_ENDPOINT!,
  AWS_ENDPOINT_URL_SES: stackEnv.SES_ENDPOINT!,
  TABLE_NAME: stackEnv.TABLE_NAME!,
  INBOUND_DOMAIN: DOMAIN,
  MAIL_FROM: `relay@${DOMAIN}`,
  REPLY_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reply-token-AbCdEf',
  SCHEDULE_GROUP_NAME: 'referral-relay',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:scheduler-dlq',
  DISPATCH_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:dispatch',
  DIGEST_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:digest',
  RAW_MAIL_BUCKET: 'raw-mail-bucket',
  WEB_BASE_URL: 'https://app.relay.example.com',
};

const scheduler = mockClient(SchedulerClient);
// Files share a worker (vitest.config.ts: isolate false): what this file changes process-wide, it restores.
const envBefore = { ...process.env };
let s3: Awaited<ReturnType<typeof startS3StandIn>>;
let secrets: Awaited<ReturnType<typeof startSecretsManagerStandIn>>;

beforeAll(async () => {
  s3 = await startS3StandIn({ [lambdaEnv.AWS_ACCESS_KEY_ID]: lambdaEnv.AWS_SECRET_ACCESS_KEY });
  secrets = await startSecretsManagerStandIn({ [lambdaEnv.AWS_ACCESS_KEY_ID]: lambdaEnv.AWS_SECRET_ACCESS_KEY }, lambdaEnv.AWS_REGION);
  secrets.put(lambdaEnv.REPLY_TOKEN_SECRET_ARN, { SecretString: 'lambda-entry-test-secret-0123456789' });
  Object.assign(process.env, lambdaEnv, { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint });
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/referral-relay/x' });
  scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'x' });
  scheduler.on(DeleteScheduleCommand).resolves({});
});
afterAll(async () => {
  scheduler.restore();
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name];
  Object.assign(process.env, envBefore);
  await Promise.all([s3?.close(), secrets?.close()]);
});

async function seedGroup() {
  const deps = await buildAwsDeps(process.env);
  expect(deps.config.replyKeys).toEqual({ current: { id: '1', secret: 'lambda-entry-test-secret-0123456789' } });
  const tag = newId(6);
  const { group, admin, apiKey } = await createGroup(deps, { name: 'Lambda Chapter', slug: `lambda-${tag}`, timezone: 'Europe/London', admin: { name: 'Alice Morgan', email: `alice-${tag}@morganlaw.example` } });
  const priya = await addMember(deps, group.id, { name: 'Priya Shah', email: `priya-${tag}@ledgerlane.example` });
  return { deps, group, admin, apiKey, priya, tag };
}

/** Imports an entry as Lambda does at cold start; it must read the reply-token secret once, correctly signed. */
async function coldStart<T>(load: () => Promise<T>): Promise<T> {
  const before = secrets.requests.length;
  const entry = await load();
  expect(secrets.requests.slice(before).map((r) => [r.operation, r.secretId, r.signatureError])).toEqual([['GetSecretValue', lambdaEnv.REPLY_TOKEN_SECRET_ARN, undefined]]);
  return entry;
}

describe('Lambda entries with base event fixtures', () => {
  it('api: API Gateway v2 → the Hono app (health and an authenticated POST)', async () => {
    const { handler } = await coldStart(() => import('../../../functions/api.js'));
    const base = event<any>('apigw-v2.json');
    const health = await handler({ ...base, rawPath: '/healthz', requestContext: { ...base.requestContext, http: { ...base.requestContext.http, path: '/healthz' } } }, {} as never);
    expect(health.statusCode).toBe(200);

    const s = await seedGroup();
    const body = JSON.stringify({ provider: s.priya.member.id, prospect: { name: 'Bob Stone', email: `bob-${s.tag}@stonebakery.example` }, need: 'books', consent: true });
    const created = await handler(
      { ...base, rawPath: '/api/referrals', headers: { ...base.headers, authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' }, body, requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method: 'POST', path: '/api/referrals' } } },
      {} as never,
    );
    expect(created.statusCode).toBe(201);
    const referral = JSON.parse(created.body!);
    expect(referral.status).toBe('logged');
    // the stored state's stream record reaches the effects Lambda, which plans the steps
    const { handler: effects } = await coldStart(() => import('../../../functions/effects.js'));
    const { Item } = await (s.deps.store as DynamoDbReferralStore).client.send(new GetItemCommand({ TableName: lambdaEnv.TABLE_NAME, Key: { pk: { S: `REF#${referral.id}` }, sk: { S: 'REF' } } }));
    const record = { eventID: '1', eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys: { pk: Item!.pk, sk: Item!.sk }, NewImage: Item, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' } };
    const result = await effects({ Records: [record] } as never, {} as never);
    expect(result.batchItemFailures).toEqual([]);
    // steps went to EventBridge Scheduler, ids only in the input
    const creates = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    const mine = creates.filter((i) => JSON.parse(i.Target!.Input!).referralId === referral.id);
    expect(mine.map((i) => JSON.parse(i.Target!.Input!).kind).sort()).toEqual(['intro', 'progress_request', 'thank_you_prompt']);
    expect(JSON.stringify(mine)).not.toContain('Bob Stone');
    await eventually(async () => (await emailsTo(`priya-${s.tag}@ledgerlane.example`)).length > 0, 'the provider notice through SES');
  });

  it('dispatch: a Scheduler input runs the step once, a second delivery sends nothing', async () => {
    const { handler } = await coldStart(() => import('../../../functions/dispatch.js'));
    const s = await seedGroup();
    const { logReferral } = await import('../../../src/referrals/log-referral.js');
    const { referral } = await logReferral(s.deps, { groupId: s.group.id, referrerId: s.admin.id, providerId: s.priya.member.id, prospect: { name: 'Bob' }, need: 'books', consent: false, source: 'api' }, { via: 'api', actorId: s.admin.id });
    const step = referral.pending.find((p) => p.kind === 'thank_you_prompt')!;
    const input = event<object>('scheduler-step.json', { STEP_ID: step.id, REFERRAL_ID: referral.id });
    // What it writes to stdout in Lambda: EMF metric records (Powertools Metrics): the step by kind at once, the total at the end.
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(...String(chunk).split('\n').filter(Boolean)), true));
    try {
      expect(await handler(input, { awsRequestId: 'req-dispatch-1', functionName: 'relay-dispatch' } as never)).toEqual({ outcome: 'sent' });
    } finally {
      spy.mockRestore();
    }
    const records = written.map((line) => JSON.parse(line) as Record<string, any>);
    const emf = records.filter((r) => r._aws);
    expect(emf.map((r) => [r._aws.CloudWatchMetrics[0].Namespace, r._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name), r.kind])).toEqual([
      ['ReferralRelay', ['StepRun'], 'thank_you_prompt'],
      ['ReferralRelay', ['StepRun'], undefined],
    ]);
    expect(await handler(input)).toEqual({ outcome: 'not_pending' });
    expect(await handler({ stepId: 'x', referralId: 'NOPE', kind: 'intro' })).toEqual({ outcome: 'rejected' });
    // A webhook attempt (EventBridgeStepScheduler.scheduleWebhookAttempt's input): an unknown delivery is nothing to do
    expect(await handler({ kind: 'webhook', deliveryId: 'f'.repeat(24), attempt: 1 })).toEqual({ outcome: 'done' });
    expect(await handler({ kind: 'webhook', deliveryId: 'nope', attempt: 1 })).toEqual({ outcome: 'rejected' });
  });

  it('inbound: SES receipt → raw mail from S3 → a logged referral; no DMARC pass → dropped; spam → dropped', async () => {
    const { handler } = await coldStart(() => import('../../../functions/inbound.js'));
    const s = await seedGroup();
    const log = `${s.group.slug}@${DOMAIN}`;
    const mail = (id: string) =>
      `From: Alice Morgan <alice-${s.tag}@morganlaw.example>\r\nTo: ${log}, Priya Shah <priya-${s.tag}@ledgerlane.example>\r\nSubject: Fwd: books\r\nMessage-ID: <${id}@x.example>\r\n\r\nPriya, please call Bob.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Bob Stone <bob-${s.tag}@stonebakery.example>\r\nDate: Mon, 16 Nov 2026 at 09:12\r\nSubject: Need a bookkeeper\r\nTo: Alice <alice-${s.tag}@morganlaw.example>\r\n\r\nHi, I need a bookkeeper.\r\n`;
    const receipt = (over: Record<string, unknown>) => {
      const e = event<any>('ses-receipt.json');
      e.Records[0].ses.receipt = { ...e.Records[0].ses.receipt, recipients: [log], ...over };
      e.Records[0].ses.mail.source = `alice-${s.tag}@morganlaw.example`;
      return e;
    };
    // The object SES's S3 action writes for the fixture's message id.
    const stored = (raw: string) => s3.put('raw-mail-bucket', 'raw/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', raw);
    stored(mail('spf-only'));
    await handler(receipt({ dmarcVerdict: { status: 'FAIL' }, spfVerdict: { status: 'PASS' } }));
    stored(mail('spam'));
    await handler(receipt({ spamVerdict: { status: 'FAIL' } }));
    expect(await s.deps.store.listReferrals({ groupId: s.group.id })).toEqual([]);
    stored(mail('good'));
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(...String(chunk).split('\n').filter(Boolean)), true));
    try {
      await handler(receipt({}), { awsRequestId: 'req-inbound-1', functionName: 'relay-inbound' } as never);
    } finally {
      spy.mockRestore();
    }
    // Lambda's stdout: the JSON log line with the request id and the group, and the EMF count.
    const records = written.map((line) => JSON.parse(line) as Record<string, any>);
    expect(records.find((r) => r.message === 'log mail')).toMatchObject({ level: 'INFO', function_request_id: 'req-inbound-1', groupId: s.group.id, outcome: 'logged' });
    expect(records.filter((r) => r._aws).map((r) => r._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name))).toEqual([['InboundLogged']]);
    const [logged] = await s.deps.store.listReferrals({ groupId: s.group.id });
    expect(logged).toMatchObject({ status: 'logged', providerId: s.priya.member.id, prospect: { email: `bob-${s.tag}@stonebakery.example` } });
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', bucket: 'raw-mail-bucket', key: 'raw/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1' });
    expect(s3.requests.map((r) => r.signatureError)).toEqual(s3.requests.map(() => undefined));
  });

  it('feedback: SNS bounce suppresses the address and marks the referral; complaint suppresses', async () => {
    const { handler } = await coldStart(() => import('../../../functions/feedback.js'));
    const s = await seedGroup();
    const { logReferral } = await import('../../../src/referrals/log-referral.js');
    const { referral } = await logReferral(s.deps, { groupId: s.group.id, referrerId: s.admin.id, providerId: s.priya.member.id, prospect: { name: 'Bob Stone', email: 'bob@stonebakery.example' }, need: 'books', consent: true, source: 'api' }, { via: 'api', actorId: s.admin.id, idempotency: { key: `fb-${s.tag}` } });
    const bounce = await handler(event('sns-bounce.json', { REFERRAL_ID: referral.id }));
    expect(bounce.suppressed).toEqual(['bob@stonebakery.example']);
    const after = (await s.deps.store.getReferral(referral.id))!;
    expect(after.prospectBounced).toBe(true);
    expect(after.timeline.some((e) => e.text === 'email to prospect bounced')).toBe(true);
    expect(after.pending.map((p) => p.kind)).not.toContain('intro');
    expect(await s.deps.store.isSuppressed('bob@stonebakery.example')).toBe(true);
    expect((await handler(event('sns-complaint.json'))).suppressed).toEqual(['grumpy@example.org']);
  });

  it('digest: the weekly run sends each member one digest with one-click unsubscribe', async () => {
    const { handler } = await coldStart(() => import('../../../functions/digest.js'));
    const s = await seedGroup();
    // Tom replied stop to a prospect email of this group once: no digest for him here (one read for all members).
    const tom = await addMember(s.deps, s.group.id, { name: 'Tom Baker', email: `tom-${s.tag}@bakerpayroll.example` });
    await s.deps.store.suppress(tom.member.email, 'stop', new Date(), s.group.id);
    const result = await handler({ groupId: s.group.id });
    expect(result).toMatchObject({ sent: 2, skipped: 1 });
    expect(await handler({ groupId: s.group.id })).toMatchObject({ sent: 0 });
    const [digest] = await emailsTo(`priya-${s.tag}@ledgerlane.example`);
    expect(digest!.body.text).toMatch(/unsubscribe/i);
    expect(await emailsTo(tom.member.email)).toEqual([]);
  });
});
