/**
 * Email effects, idempotent by their id. These run on a table of their own that no stream poller
 * reads, so the test decides when each effect is carried out (the running stack polls its own table).
 * The failing sender is real: an SES client aimed at a port where nothing listens.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { newId } from '../../../src/domain/ids.js';
import { SesMailSender } from '../../../src/mail/ses/ses-mail-sender.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { deliverEmailEffect } from '../../../src/outbox/email-effect.js';
import { handleStreamRecord } from '../../../src/outbox/stream-handler.js';
import { silentLogger, type MetricName } from '../../../src/referrals/deps.js';
import { logReferral } from '../../../src/referrals/log-referral.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { ensureTable } from '../../../src/store/dynamodb/dynamodb-store.js';
import { keys } from '../../../src/store/keys.js';
import { emailsTo, env } from '../harness.js';

const d = buildLocalDeps(readLocalConfig({ ...env, TABLE_NAME: 'outbox-effects-test' }), silentLogger);
const working = d.mail;
const failing = new SesMailSender(new SESClient({ endpoint: 'http://127.0.0.1:9', region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }), 'relay@relay.localhost');

beforeAll(() => ensureTable(d.store.client, 'outbox-effects-test'));

/** Records what the effect counts (in Lambda: EMF metrics, see src/runtime/aws/observability.ts). */
function recordMetrics() {
  const counted: [MetricName, string | undefined][] = [];
  d.metrics = { count: (name, dims) => counted.push([name, dims?.kind]) };
  return counted;
}

async function referral() {
  const tag = newId(6);
  const { group, admin } = await createGroup(d, { name: `Fx ${tag}`, slug: `fx-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada Admin', email: `ada-${tag}@example.com` } });
  const priya = await addMember(d, group.id, { name: 'Priya Shah', email: `priya-${tag}@ledgerlane.example` });
  const { referral } = await logReferral(d, { groupId: group.id, referrerId: admin.id, providerId: priya.member.id, prospect: { name: 'Bob Stone', email: `bob-${tag}@stonebakery.example` }, need: 'books', consent: false, source: 'api' }, { via: 'api', actorId: admin.id });
  return { group, priyaEmail: priya.member.email, id: referral.id, receipt: `${referral.id}.1.1`, notice: `${referral.id}.1.2` };
}

/** The INSERT record the stream carries for an outbox item, as the consumer receives it. */
async function insertRecord(referralId: string, effectId: string) {
  const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
  const { Item } = await d.store.client.send(new GetItemCommand({ TableName: 'outbox-effects-test', Key: { pk: { S: keys.outbox(referralId, effectId).pk }, sk: { S: keys.outbox(referralId, effectId).sk } } }));
  return { eventName: 'INSERT', dynamodb: { NewImage: { ...Item!, status: { S: 'pending' } } } };
}

describe('email effects from the outbox', () => {
  it('a redelivered stream record sends nothing twice', async () => {
    const r = await referral();
    d.mail = working;
    const record = await insertRecord(r.id, r.notice);
    await Promise.all([handleStreamRecord(d, record), handleStreamRecord(d, record), handleStreamRecord(d, record)]);
    await handleStreamRecord(d, record);
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('done');
    const toPriya = await emailsTo(r.priyaEmail);
    expect(toPriya).toHaveLength(1);
    const events = (await d.store.getReferral(r.id))!.timeline.filter((e) => e.type === 'email' && e.kind === 'provider_notice');
    expect(events).toHaveLength(1);
    expect(events[0]!.messageId).toBe(toPriya[0]!.messageId);
  });

  it('a failing send is shown on the referral and to admins, retried through the scheduler, and sent once it works', async () => {
    const r = await referral();
    const counted = recordMetrics();
    d.mail = failing;
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('failing');
    const shown = (await d.store.getReferral(r.id))!.timeline.find((e) => e.kind === 'provider_notice')!;
    expect(shown).toMatchObject({ type: 'email', delivery: 'failing' });
    expect(shown.text).toMatch(/provider notice email to the provider failing since .*, retrying/);
    expect(shown.messageId).toBeUndefined();
    const failingNow = await d.store.listFailingEmails(r.group.id);
    expect(failingNow.map((f) => [f.effectId, f.status, f.attempts])).toEqual([[r.notice, 'failing', 1]]);
    // the retry is a scheduled step with a deterministic name, due later on the clock
    const retry = (await d.store.listDueSteps(new Date(Date.now() + 400 * 86_400_000), 10_000)).find((s) => s.stepId === `retry.${r.notice}.1`);
    expect(retry).toMatchObject({ kind: 'email_retry', effectId: r.notice, referralId: r.id });
    expect(Date.parse(retry!.due)).toBeGreaterThan(d.clock.now().getTime());

    // a second failure keeps the first failure's time
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('failing');
    expect((await d.store.getEmailEffect(r.id, r.notice))!.failingSince).toBe(failingNow[0]!.failingSince);

    d.mail = working;
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('sent');
    const after = (await d.store.getReferral(r.id))!.timeline.filter((e) => e.kind === 'provider_notice');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ type: 'email', to: r.priyaEmail });
    expect(after[0]!.delivery).toBeUndefined();
    expect(after[0]!.messageId).toBeTruthy();
    expect(await d.store.listFailingEmails(r.group.id)).toEqual([]);
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('done');
    expect(await emailsTo(r.priyaEmail)).toHaveLength(1);
    // two failed sends and one sent, by kind; the redelivery counts nothing
    expect(counted).toEqual([['EmailFailed', 'provider_notice'], ['EmailFailed', 'provider_notice'], ['EmailSent', 'provider_notice']]);
  });

  it('an email to a suppressed address is skipped and counted as suppressed', async () => {
    const r = await referral();
    const counted = recordMetrics();
    d.mail = working;
    await d.store.suppress(r.priyaEmail, 'bounce', new Date(), r.group.id);
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('skipped');
    expect(counted).toEqual([['EmailSuppressed', 'provider_notice']]);
    expect(await emailsTo(r.priyaEmail)).toHaveLength(0);
  });

  it('after a day of failures the email is parked for an admin, never dropped', async () => {
    const r = await referral();
    d.mail = failing;
    expect(await deliverEmailEffect(d, r.id, r.receipt)).toBe('failing');
    // a day later on the clock: the window is over
    const clock = d.clock;
    const later = { now: () => new Date(clock.now().getTime() + 25 * 3_600_000) };
    expect(await deliverEmailEffect({ ...d, clock: later }, r.id, r.receipt)).toBe('parked');
    const parked = await d.store.listFailingEmails(r.group.id);
    expect(parked.map((f) => [f.effectId, f.status])).toEqual([[r.receipt, 'parked']]);
    const shown = (await d.store.getReferral(r.id))!.timeline.find((e) => e.kind === 'receipt')!;
    expect(shown).toMatchObject({ delivery: 'parked' });
    expect(shown.text).toMatch(/retries stopped, kept for an admin/);
    // parked is not claimable by a stray redelivery
    d.mail = working;
    expect(await deliverEmailEffect(d, r.id, r.receipt)).toBe('done');
  });

  it('an email on its way while the prospect is erased leaves no trace of them on the timeline', async () => {
    const r = await referral();
    const { performAction } = await import('../../../src/referrals/engine.js');
    const state = (await d.store.getReferralState(r.id))!;
    // The erase lands while SES is sending: after the email was prepared, before it is marked sent.
    d.mail = {
      send: async (email) => {
        const sent = await working.send(email);
        await performAction(d, r.id, { action: 'erase_prospect' }, { role: 'admin', actorId: state.referrerId, via: 'api' });
        return sent;
      },
    };
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('sent');
    d.mail = working;
    const timeline = (await d.store.getReferral(r.id))!.timeline;
    const notice = timeline.find((e) => e.type === 'email' && e.kind === 'provider_notice')!;
    expect(notice.messageId).toBeTruthy();
    expect(JSON.stringify(timeline)).not.toMatch(/bob/i);
  });

  it('reads the referral, its group and the people the effect names in one batch, and follows the referral when its provider has changed since', async () => {
    const r = await referral();
    d.mail = working;
    const { UpdateItemCommand, GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const outboxKey = { pk: { S: keys.outbox(r.id, r.notice).pk }, sk: { S: keys.outbox(r.id, r.notice).sk } };
    const { Item } = await d.store.client.send(new GetItemCommand({ TableName: 'outbox-effects-test', Key: outboxKey }));
    const state = (await d.store.getReferralState(r.id))!;
    expect(Item!.people!.L!.map((v) => v.S).sort()).toEqual([state.referrerId, state.providerId].sort());
    // The provider changes between the change that asked for the notice and its sending.
    const tag = newId(6);
    const omar = await addMember(d, r.group.id, { name: 'Omar Khan', email: `omar-${tag}@example.com` });
    await d.store.client.send(new UpdateItemCommand({ TableName: 'outbox-effects-test', Key: { pk: { S: keys.referral(r.id).pk }, sk: { S: keys.referral(r.id).sk } }, UpdateExpression: 'SET providerId = :p', ExpressionAttributeValues: { ':p': { S: omar.member.id } } }));
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('sent');
    expect(await emailsTo(omar.member.email)).toHaveLength(1);
    expect(await emailsTo(r.priyaEmail)).toHaveLength(0);
  });

  it('an outbox item written before effects named their people is sent as before', async () => {
    const r = await referral();
    d.mail = working;
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await d.store.client.send(new UpdateItemCommand({ TableName: 'outbox-effects-test', Key: { pk: { S: keys.outbox(r.id, r.notice).pk }, sk: { S: keys.outbox(r.id, r.notice).sk } }, UpdateExpression: 'REMOVE people' }));
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('sent');
    const toPriya = await emailsTo(r.priyaEmail);
    expect(toPriya).toHaveLength(1);
    expect(toPriya[0]!.subject).toMatch(/Bob Stone/);
  });

  it('checks suppression in the same read once it knows where a member\'s emails go, and still honours a suppression or a new address', async () => {
    const r = await referral();
    d.mail = working;
    const state = (await d.store.getReferralState(r.id))!;
    const priyaId = state.providerId!;
    // The first email to Priya teaches this process her address.
    expect(await deliverEmailEffect(d, r.id, r.notice)).toBe('sent');
    const another = async (n: number) => {
      const { referral: next } = await logReferral(d, { groupId: r.group.id, referrerId: state.referrerId, providerId: priyaId, prospect: { name: 'Cara Reed', email: `cara-${n}-${newId(6)}@example.com` }, need: 'books', consent: false, source: 'api' }, { via: 'api', actorId: state.referrerId });
      return `${next.id}.1.2`;
    };
    const calls: string[] = [];
    d.store.client.middlewareStack.add((next, context) => async (args) => (calls.push(context.commandName ?? '?'), next(args)), { step: 'initialize', name: 'countEffectCalls' });
    try {
      const second = await another(2);
      calls.length = 0;
      expect(await deliverEmailEffect(d, second.split('.')[0]!, second)).toBe('sent');
      // claim, one batch (referral, group, people, suppression), the transaction that marks it sent
      expect(calls).toEqual(['UpdateItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
      expect(await emailsTo(r.priyaEmail)).toHaveLength(2);

      // Suppressed since: the same read says so.
      await d.store.suppress(r.priyaEmail, 'complaint', new Date());
      const third = await another(3);
      calls.length = 0;
      expect(await deliverEmailEffect(d, third.split('.')[0]!, third)).toBe('skipped');
      expect(calls).toEqual(['UpdateItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
      expect(await emailsTo(r.priyaEmail)).toHaveLength(2);

      // A new address: the guess is wrong, so the new one is checked on its own (and is suppressed too).
      const newAddress = `priya.new-${newId(6)}@ledgerlane.example`;
      await d.store.updateMember({ ...(await d.store.getMember(priyaId))!, email: newAddress });
      await d.store.suppress(newAddress, 'bounce', new Date(), r.group.id);
      const fourth = await another(4);
      calls.length = 0;
      expect(await deliverEmailEffect(d, fourth.split('.')[0]!, fourth)).toBe('skipped');
      expect(calls).toEqual(['UpdateItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
      expect(await emailsTo(newAddress)).toHaveLength(0);
    } finally {
      d.store.client.middlewareStack.remove('countEffectCalls');
    }
  });
});
