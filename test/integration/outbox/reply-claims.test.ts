/**
 * A reply's dedupe key is written in the transaction of what the reply changes: when handling fails
 * (here: the store refuses the first write, as DynamoDB would under an outage), no claim is left, so
 * the sending server's retry is processed; a delivery after a success changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { newId } from '../../../src/domain/ids.js';
import { parseMail } from '../../../src/inbound/parse-mail.js';
import { actOnReply } from '../../../src/mailflow/act-on-reply.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { silentLogger, type MetricName } from '../../../src/referrals/deps.js';
import { logReferral } from '../../../src/referrals/log-referral.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { ensureTable } from '../../../src/store/dynamodb/dynamodb-store.js';
import type { ReferralStore } from '../../../src/store/referral-store.js';
import { env } from '../harness.js';

const TABLE = 'reply-claims-test';
const base = buildLocalDeps(readLocalConfig({ ...env, TABLE_NAME: TABLE }), silentLogger);

/** The real store, except that the next `failures` commits fail before reaching DynamoDB. */
function flakyStore(store: ReferralStore) {
  const state = { failures: 0 };
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'commitReferral') {
        return async (...args: Parameters<ReferralStore['commitReferral']>) => {
          if (state.failures > 0) {
            state.failures -= 1;
            throw Object.assign(new Error('injected: service unavailable'), { name: 'ServiceUnavailable' });
          }
          return target.commitReferral(...args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, state };
}

describe('reply dedupe claims live in the change', () => {
  it('a reply whose handling failed is processed on the retry, and only once', async () => {
    await ensureTable(base.store.client, TABLE);
    const tag = newId(6);
    const { group, admin } = await createGroup(base, { name: `Rc ${tag}`, slug: `rc-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada Admin', email: `ada-${tag}@example.com` } });
    const priya = await addMember(base, group.id, { name: 'Priya Shah', email: `priya-${tag}@ledgerlane.example` });
    const { referral } = await logReferral(base, { groupId: group.id, referrerId: admin.id, providerId: priya.member.id, prospect: { name: 'Bob Stone', email: `bob-${tag}@stonebakery.example` }, need: 'books', consent: false, source: 'api' }, { via: 'api', actorId: admin.id });
    const mail = await parseMail(
      [`From: Priya Shah <${priya.member.email}>`, 'To: reply@relay.localhost', `Message-ID: <r-${tag}@ledgerlane.example>`, 'Subject: Re: Bob Stone', 'Content-Type: text/plain; charset=utf-8', '', 'Called him this morning', ''].join('\r\n'),
    );
    const token = { referralId: referral.id, kind: 'provider_notice' as const, recipient: 'provider' as const };
    const flaky = flakyStore(base.store);
    const deps = { ...base, store: flaky.store as typeof base.store };

    flaky.state.failures = 1;
    await expect(actOnReply(deps, mail, token)).rejects.toThrow(/injected/);
    expect((await base.store.getReferralState(referral.id))!.status).toBe('logged');

    // the sending server retries (SMTP 451 → retry): processed
    await actOnReply(deps, mail, token);
    const after = (await base.store.getReferralState(referral.id))!;
    expect(after.status).toBe('contacted');

    // delivered once more: nothing changes
    await actOnReply(deps, mail, token);
    await Promise.all([actOnReply(deps, mail, token), actOnReply(deps, mail, token)]);
    const last = (await base.store.getReferral(referral.id))!;
    expect(last.version).toBe(after.version);
    expect(last.timeline.filter((e) => e.type === 'status' && e.status === 'contacted')).toHaveLength(1);
  });

  it('counts each reply read as understood or not, by the kind of email replied to', async () => {
    await ensureTable(base.store.client, TABLE);
    const tag = newId(6);
    const { group, admin } = await createGroup(base, { name: `Rm ${tag}`, slug: `rm-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada Admin', email: `ada-${tag}@example.com` } });
    const priya = await addMember(base, group.id, { name: 'Priya Shah', email: `priya-${tag}@ledgerlane.example` });
    const { referral } = await logReferral(base, { groupId: group.id, referrerId: admin.id, providerId: priya.member.id, prospect: { name: 'Bob Stone', email: `bob-${tag}@stonebakery.example` }, need: 'books', consent: false, source: 'api' }, { via: 'api', actorId: admin.id });
    const counted: [MetricName, string | undefined][] = [];
    const deps = { ...base, metrics: { count: (name: MetricName, dims?: { kind?: string }) => void counted.push([name, dims?.kind]) } };
    const replyMail = (id: string, body: string) =>
      parseMail([`From: Priya Shah <${priya.member.email}>`, 'To: reply@relay.localhost', `Message-ID: <${id}-${tag}@ledgerlane.example>`, 'Subject: Re: Bob Stone', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'));
    const token = { referralId: referral.id, kind: 'provider_notice' as const, recipient: 'provider' as const };
    await actOnReply(deps, await replyMail('a', 'Purple elephants dance on Tuesdays'), token);
    await actOnReply(deps, await replyMail('b', 'Called him this morning'), token);
    expect(counted).toEqual([
      ['ReplyNotUnderstood', 'provider_notice'],
      ['ReplyUnderstood', 'provider_notice'],
    ]);
    expect((await base.store.getReferralState(referral.id))!.status).toBe('contacted');
  });
});
