/**
 * Removing a member end to end on the real stack: the referrers of their open referrals are told
 * (an email per referral, on its timeline), those referrals can be passed on by the referrer's
 * reply `provider: <name>` (even after the introduction) or by an admin's reassign, the removed
 * member's key, session and sign-in stop working, and their history stays.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, api, clockNow, emailsTo, eventually, freshGroup, sendSmtp, useOwnStack } from '../harness.js';
import { WebClient } from '../web/web-client.js';
import { reportApi } from './report-server.js';

type Group = Awaited<ReturnType<typeof freshGroup>>;
let g: Group;
let rita: Group['members'][string];
let paul: Group['members'][string];
let tom: Group['members'][string];
let paulBrowser: WebClient;
const ids: Record<'introduced' | 'fresh' | 'given' | 'won', string> = { introduced: '', fresh: '', given: '', won: '' };

async function refer(from: { apiKey: string }, to: { id: string }, prospect: string, consent = true) {
  const res = await api('POST', '/api/referrals', { key: from.apiKey, body: { provider: to.id, prospect: { name: prospect, email: `${prospect.split(' ')[0]!.toLowerCase()}-${g.tag}@prospect.example` }, need: 'a bookkeeper', consent } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

// Four days of this file's own time: its own clock, scheduler and table (see useOwnStack).
useOwnStack('file');

beforeAll(async () => {
  // Prepare: Rita refers to Paul (one introduced days ago, one not yet), Paul gave Rita one, and a won one.
  g = await freshGroup([{ name: 'Rita Referrer' }, { name: 'Paul Provider' }, { name: 'Tom Taker', business: 'Taker Books' }]);
  rita = g.members['Rita Referrer']!;
  paul = g.members['Paul Provider']!;
  tom = g.members['Tom Taker']!;
  ids.won = await refer(rita, paul, 'Wendy Won', false);
  expect((await api('POST', `/api/referrals/${ids.won}/actions`, { key: paul.apiKey, body: { action: 'won', amount: 900 } })).status).toBe(200);
  ids.introduced = await refer(rita, paul, 'Ivy Introduced');
  ids.given = await refer(paul, rita, 'Gus Given', false);
  // Four days always hold business hours, so the introduction has gone by then.
  await advanceClock('P4D');
  ids.fresh = await refer(rita, paul, 'Fred Fresh', false);
  const introduced = await api('GET', `/api/referrals/${ids.introduced}`, { key: g.admin.apiKey });
  expect(introduced.body.timeline.some((e: any) => e.kind === 'intro' && e.type === 'email')).toBe(true);
  paulBrowser = await new WebClient().signIn(paul.email);
});

describe('removing a member', () => {
  it('is for admins only', async () => {
    expect((await reportApi('POST', `/api/members/${paul.id}/remove`, { key: rita.apiKey })).status).toBe(403);
    expect((await reportApi('POST', `/api/members/${paul.id}/remove`)).status).toBe(401);
    expect((await reportApi('POST', `/api/members/${g.admin.id}/remove`, { key: g.admin.apiKey })).status).toBe(409);
  });

  it('tells the referrer of every open referral the member held, on its timeline', async () => {
    // Act
    const res = await reportApi('POST', `/api/members/${paul.id}/remove`, { key: g.admin.apiKey });

    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.body.member).toMatchObject({ id: paul.id, status: 'removed' });
    expect(res.body.notifiedReferrals.sort()).toEqual([ids.introduced, ids.fresh].sort());
    for (const prospect of ['Ivy Introduced', 'Fred Fresh']) {
      await eventually(async () => (await emailsTo(rita.email)).find((e) => e.subject.startsWith('Member removed') && e.subject.includes(prospect)), `the notice about ${prospect}`);
    }
    const referral = await api('GET', `/api/referrals/${ids.introduced}`, { key: g.admin.apiKey });
    expect(referral.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'email', kind: 'notice', to: rita.email })]));
    expect(referral.body.pending.map((p: any) => p.kind)).not.toContain('contact_reminder');
    // Calling again finishes nothing twice.
    const again = await reportApi('POST', `/api/members/${paul.id}/remove`, { key: g.admin.apiKey });
    expect(again.status).toBe(200);
    expect(again.body.notifiedReferrals).toEqual([]);
  });

  it('stops their API key, their session and their sign-in', async () => {
    expect((await api('GET', '/api/referrals', { key: paul.apiKey })).status).toBe(401);
    const page = await paulBrowser.get('/referrals');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/signin');
    // Ask for both links; Rita's arriving proves the requests were handled.
    const before = (await emailsTo(paul.email)).length;
    await new WebClient().post('/signin', { email: paul.email });
    await new WebClient().requestSignInLink(rita.email);
    expect((await emailsTo(paul.email)).length).toBe(before);
  });

  it('lets them no longer receive referrals', async () => {
    const res = await api('POST', '/api/referrals', { key: rita.apiKey, body: { provider: paul.id, prospect: { name: 'Nora Nope' }, need: 'books', consent: false } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('inactive_member');
  });

  it('lets the referrer pass an introduced referral on by replying "provider: <name>"', async () => {
    // Prepare: the notice's Reply-To
    const notice = await eventually(async () => (await emailsTo(rita.email)).find((e) => e.subject.startsWith('Member removed') && e.subject.includes('Ivy Introduced')), 'the notice');
    const raw = [`From: Rita Referrer <${rita.email}>`, `To: ${notice.replyTo[0]}`, `Subject: Re: ${notice.subject}`, `Message-ID: <replan-${g.tag}@mail.example>`, 'Content-Type: text/plain; charset=utf-8', '', 'provider: Tom Taker', ''].join('\r\n');

    // Act
    await sendSmtp(raw, { from: rita.email, to: [notice.replyTo[0]!] });

    // Assess
    const moved = await eventually(async () => {
      const r = await api('GET', `/api/referrals/${ids.introduced}`, { key: g.admin.apiKey });
      return r.body.provider?.id === tom.id ? r.body : undefined;
    }, 'the referral to move to Tom');
    expect(moved.status).not.toBe('withdrawn');
    expect(moved.timeline.some((e: any) => e.kind === 'replan')).toBe(true);
    await eventually(async () => (await emailsTo(tom.email)).find((e) => e.subject.includes('Ivy Introduced')), 'the provider notice to Tom');
  });

  it('lets an admin reassign the other one', async () => {
    const res = await api('POST', `/api/referrals/${ids.fresh}/actions`, { key: g.admin.apiKey, body: { action: 'reassign', provider: tom.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.provider.id).toBe(tom.id);
  });

  it('keeps their history', async () => {
    const won = await api('GET', `/api/referrals/${ids.won}`, { key: g.admin.apiKey });
    expect(won.body).toMatchObject({ status: 'won', provider: { id: paul.id, name: 'Paul Provider' } });
    const given = await api('GET', `/api/referrals/${ids.given}`, { key: rita.apiKey });
    expect(given.body.referrer).toMatchObject({ id: paul.id, name: 'Paul Provider' });
    const members = await api('GET', '/api/members', { key: g.admin.apiKey });
    expect(members.body.items.find((m: any) => m.id === paul.id)).toMatchObject({ status: 'removed' });
    const monthAgo = new Date((await clockNow()).getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
    const summary = await reportApi('GET', `/api/reports/summary?from=${monthAgo}`, { key: g.admin.apiKey });
    expect(summary.body.members.find((m: any) => m.memberId === paul.id)).toMatchObject({ status: 'removed', won: 1 });
  });
});
