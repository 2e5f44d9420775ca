/**
 * At-least-once delivery, taken literally: SES inbound, DynamoDB Streams and EventBridge Scheduler may
 * each deliver the same thing more than once. Here every inbound mail, every stream record and every
 * due step is delivered three times, concurrently, through the same handlers the Lambdas run, over a
 * referral's whole life (forwarded in, a reply, every timed step, a webhook endpoint listening) —
 * and nothing happens twice: one referral, each email sent once, each step run once, each webhook
 * event delivered once.
 *
 * It runs on a table and a clock of its own with no poller of the running stack reading them, so the
 * test is the only consumer of the stream.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { newId } from '../../../src/domain/ids.js';
import { handleInboundMail } from '../../../src/mailflow/handle-inbound.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { deliverEmailEffect } from '../../../src/outbox/email-effect.js';
import { handleStreamRecord } from '../../../src/outbox/stream-handler.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { dispatchStep } from '../../../src/referrals/engine.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { StreamPoller } from '../../../src/runtime/local/stream-poller.js';
import { runDueSteps } from '../../../src/schedule/local/run-due-steps.js';
import type { StoredStep } from '../../../src/store/referral-store.js';
import { ensureTable } from '../../../src/store/dynamodb/dynamodb-store.js';
import { attemptWebhookDelivery } from '../../../src/webhooks/attempt.js';
import { registerWebhook } from '../../../src/webhooks/registry.js';
import { emailsTo, env, inboundDomain, type StoredEmail } from '../harness.js';
import { localStreamsClient } from '../../../src/runtime/local/services.js';

const TABLE = `thrice-${newId(6)}`;
const dataDir = mkdtempSync(join(tmpdir(), 'relay-thrice-'));
const d = buildLocalDeps(readLocalConfig({ ...env, TABLE_NAME: TABLE, DATA_DIR: dataDir }), silentLogger);
const thrice = <T>(fn: () => Promise<T>) => Promise.all([fn(), fn(), fn()]);

let poller: StreamPoller;
let receiver: Server;
const received: { id: string; type: string }[] = [];
/** How often each step id was actually run (not answered "no longer pending"). */
const runs = new Map<string, number>();

beforeAll(async () => {
  await ensureTable(d.store.client, TABLE);
  const { Table } = await d.store.client.send(new DescribeTableCommand({ TableName: TABLE }));
  poller = new StreamPoller({
    client: localStreamsClient(env.DYNAMODB_ENDPOINT!),
    streamArn: Table!.LatestStreamArn!,
    checkpointFile: join(dataDir, 'checkpoint.json'),
    // Every stream record, three times at once.
    handle: async (record) => void (await thrice(() => handleStreamRecord(d, record))),
    log: silentLogger,
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ id: String(req.headers['webhook-id']), type: (JSON.parse(body) as { type: string }).type });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
});

afterAll(async () => {
  await poller.stop();
  await new Promise((ok) => receiver.close(ok));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every step due until `until`, each delivered three times at once, then the stream drained. */
async function runDueThrice(until: Date) {
  const runStep = async (s: StoredStep) => {
    if (s.kind === 'email_retry') await deliverEmailEffect(d, s.referralId, s.effectId ?? '');
    else if (s.kind === 'webhook') await attemptWebhookDelivery(d, s.referralId, Number(s.stepId.split('.')[2]));
    else if (s.kind !== 'digest') {
      const outcome = await dispatchStep(d, { stepId: s.stepId, referralId: s.referralId, kind: s.kind });
      if (outcome !== 'not_pending') runs.set(s.stepId, (runs.get(s.stepId) ?? 0) + 1);
    }
  };
  await poller.drain();
  return runDueSteps({ store: d.store, clock: d.clock, dispatch: async (s) => void (await thrice(() => runStep(s)), await poller.drain()) }, until);
}

async function outboxOf(referralId: string) {
  const { Items = [] } = await d.store.client.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p AND begins_with(sk, :o)', ExpressionAttributeValues: { ':p': { S: `REF#${referralId}` }, ':o': { S: 'OUT#' } } }),
  );
  return Items.map((i) => unmarshall(i) as { effectId: string; status: string; messageId?: string });
}

describe('every inbound mail, stream record and step delivered three times', () => {
  it('one referral, each email once, each step once, each webhook event once', { timeout: 180_000 }, async () => {
    const tag = newId(6);
    const alice = `alice-${tag}@morganlaw.example`;
    const priya = `priya-${tag}@ledgerlane.example`;
    const bob = `bob-${tag}@stonebakery.example`;
    const { group } = await createGroup(d, { name: 'Harbour Chapter', slug: `thrice-${tag}`, timezone: 'Europe/London', admin: { name: 'Alice Morgan', email: alice } });
    await addMember(d, group.id, { name: 'Priya Shah', email: priya, business: 'Ledger Lane', category: 'Bookkeeper' });
    const hook = await registerWebhook(d, group.id, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
    await poller.drain();

    // 1. The forward arrives three times (SES inbound's at-least-once), all at once.
    const raw = readFileSync(join(import.meta.dirname, '../../fixtures/email/01-gmail-forward.eml'), 'utf8')
      .replaceAll('{{LOG}}', `thrice-${tag}@${inboundDomain}`)
      .replaceAll('alice@morganlaw.example', alice)
      .replaceAll('bob@stonebakery.example', bob)
      .replace(/Message-ID: <[^>]+>/i, `Message-ID: <${tag}@mail.gmail.example>`);
    await thrice(() => handleInboundMail(d, { raw: Buffer.from(raw), envelopeFrom: alice, envelopeTo: [`thrice-${tag}@${inboundDomain}`], authenticated: true }));
    const referrals = await d.store.listReferrals({ groupId: group.id });
    expect(referrals).toHaveLength(1);
    const id = referrals[0]!.id;
    await poller.drain();

    // 2. The provider replies `contacted`; that reply too arrives three times.
    const notice = (await emailsTo(priya)).find((m) => m.subject.includes('Bob Stone'));
    expect(notice).toBeDefined();
    const replyRaw = [
      `From: Priya Shah <${priya}>`,
      `To: ${notice!.replyTo[0]}`,
      `Subject: Re: ${notice!.subject}`,
      `Message-ID: <reply-${tag}@ledgerlane.example>`,
      `In-Reply-To: <${notice!.messageId}@email.amazonses.com>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'contacted',
      '',
    ].join('\r\n');
    await thrice(() => handleInboundMail(d, { raw: Buffer.from(replyRaw), envelopeFrom: priya, envelopeTo: [notice!.replyTo[0]!], authenticated: true }));
    await poller.drain();
    expect((await d.store.getReferral(id))!.status).toBe('contacted');

    // 3. A year of the referral's life: every due step (and webhook attempt) delivered three times.
    const ran = await runDueThrice(new Date(d.clock.now().getTime() + 400 * 86_400_000));
    expect(ran).toBeGreaterThan(2);
    await poller.drain();

    const referral = (await d.store.getReferral(id))!;
    // Each step ran once: of three concurrent deliveries, one ran it and two found it no longer pending.
    expect(runs.size).toBeGreaterThan(2);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // Priya's reply changed the status once.
    expect(referral.timeline.filter((e) => e.type === 'status' && e.status === 'contacted')).toHaveLength(1);

    // Each email once: every outbox item sent exactly once, and the SES store holds one message per item.
    const outbox = await outboxOf(id);
    expect(outbox.length).toBeGreaterThan(3);
    expect(outbox.every((o) => o.status === 'sent' || o.status === 'skipped')).toBe(true);
    const sentIds = outbox.filter((o) => o.status === 'sent').map((o) => o.messageId);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    const inSes: StoredEmail[] = [...(await emailsTo(alice)), ...(await emailsTo(priya)), ...(await emailsTo(bob))];
    const aboutThis = [...new Map(inSes.map((m) => [m.messageId, m])).values()].filter((m) => sentIds.includes(m.messageId));
    expect(aboutThis).toHaveLength(sentIds.length);
    const emailEvents = referral.timeline.filter((e) => e.type === 'email' && e.messageId);
    expect(emailEvents.map((e) => e.messageId).sort()).toEqual([...sentIds].sort());

    // Each webhook event reached the receiver once (created, status changed), under one message id each.
    expect(hook.events).toContain('referral.created');
    const ids = received.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(received.filter((r) => r.type === 'referral.created')).toHaveLength(1);
    expect(received.filter((r) => r.type === 'referral.status_changed').length).toBeGreaterThanOrEqual(1);
  });
});
