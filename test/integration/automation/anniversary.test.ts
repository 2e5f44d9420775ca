/**
 * Anniversary asks end to end on the local clock (issue 14 item 3): a year after a won referral the
 * provider is reminded to thank the customer; `done` tells the referrer, `stop` ends the asks, and
 * the group's switch turns them off.
 */
import { describe, expect, it } from 'vitest';
import { advanceClock, api, clockNow, emailsTo, eventually, freshGroup, sentEmails, useOwnStack } from '../harness.js';
import { reply } from '../replies/reply-helpers.js';

type Pending = { kind: string; due: string };
type Event = { at: string; type: string; kind?: string; to?: string; text: string; messageId?: string };

// A year or two of each test's referrals' lives pass on a clock of its own (and only its own group's digests run).
useOwnStack('test');

async function advanceTo(due: string) {
  const ms = Date.parse(due) - (await clockNow()).getTime();
  if (ms > 0) await advanceClock(`PT${Math.ceil(ms / 1000)}S`);
}

async function referral(key: string, id: string) {
  const res = await api('GET', `/api/referrals/${id}`, { key });
  expect(res.status).toBe(200);
  return res.body as { status: string; pending: Pending[]; timeline: Event[] };
}

/** Tom refers Bob to Priya; Priya wins the work. */
async function wonReferral() {
  const g = await freshGroup([{ name: 'Priya Shah', business: 'Ledger Lane' }, { name: 'Tom Becker' }]);
  const priya = g.members['Priya Shah']!;
  const tom = g.members['Tom Becker']!;
  const created = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: { name: 'Bob Stone', email: `bob-${g.tag}@stonebakery.example`, company: 'Stone Bakery' }, need: 'Books', consent: false } });
  expect(created.status).toBe(201);
  const won = await api('POST', `/api/referrals/${created.body.id}/actions`, { key: priya.apiKey, body: { action: 'won', amount: 4500 } });
  expect(won.status).toBe(200);
  return { g, priya, tom, id: created.body.id as string, wonAt: (won.body.timeline as Event[]).find((e) => e.type === 'status' && e.text.startsWith('won'))!.at, pending: won.body.pending as Pending[] };
}

const anniversaryEmails = (r: { timeline: Event[] }, to: string) => r.timeline.filter((e) => e.type === 'email' && e.kind === 'anniversary' && e.to === to);

// A year of a referral's life on a stack of its own: allowed two minutes on a loaded CI machine.
describe('anniversary asks (local clock)', { timeout: 120_000 }, () => {
  it('a year after the win the provider is asked; done tells the referrer the customer stayed; stop ends the asks', async () => {
    // Prepare
    const { g, priya, tom, id, wonAt, pending } = await wonReferral();
    const ask = pending.find((p) => p.kind === 'anniversary')!;
    expect(Date.parse(ask.due) - Date.parse(wonAt)).toBeGreaterThanOrEqual(365 * 86_400_000);

    // Act: a year passes
    await advanceTo(ask.due);

    // Assess: one ask to Priya, on the timeline like every email, and nothing to the customer
    let r = await referral(g.admin.apiKey, id);
    const asked = anniversaryEmails(r, priya.email);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.at).toBe(ask.due);
    const askMail = await eventually(async () => (await sentEmails()).find((m) => m.messageId === asked[0]!.messageId), 'the ask in the SES store');
    expect(askMail.body.text).toMatch(/Hi Bob,/);
    expect(askMail.body.text).toMatch(/We never write to Bob ourselves/);
    expect(await emailsTo(`bob-${g.tag}@stonebakery.example`)).toEqual([]);
    expect(anniversaryEmails(r, tom.email)).toEqual([]);
    const nextYear = r.pending.find((p) => p.kind === 'anniversary')!;
    expect(Date.parse(nextYear.due) - Date.parse(ask.due)).toBeGreaterThan(360 * 86_400_000);

    // Act: Priya replies done
    await reply(askMail, priya.email, 'Done - sent Bob a card this morning');

    // Assess: the referrer hears it, on the provider's confirmation only
    r = await eventually(async () => {
      const now = await referral(g.admin.apiKey, id);
      return anniversaryEmails(now, tom.email).length === 1 && now;
    }, 'the anniversary note to the referrer');
    expect(r.timeline.some((e) => e.kind === 'anniversary_done')).toBe(true);
    // Answered: the same answer through the API is refused with the rule book's reason
    const again = await api('POST', `/api/referrals/${id}/actions`, { key: priya.apiKey, body: { action: 'anniversary_skip' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('no_anniversary_ask');
    expect((await api('POST', `/api/referrals/${id}/actions`, { key: tom.apiKey, body: { action: 'anniversary_done' } })).status).toBe(403);
    const told = (await emailsTo(tom.email)).find((m) => m.messageId === anniversaryEmails(r, tom.email)[0]!.messageId);
    expect(told?.body.text).toMatch(/A year ago you introduced Bob Stone to Priya Shah; Bob is still Priya's customer/);

    // Act: Priya replies stop to the ask, then another year passes
    await reply(askMail, priya.email, 'stop');
    await eventually(async () => (await referral(g.admin.apiKey, id)).timeline.some((e) => e.kind === 'anniversary_asks_off'), 'the stop recorded');
    await advanceTo(nextYear.due);

    // Assess: skipped, said so on the timeline, no second ask
    r = await referral(g.admin.apiKey, id);
    expect(anniversaryEmails(r, priya.email)).toHaveLength(1);
    expect(r.timeline.filter((e) => e.type === 'skipped' && e.kind === 'anniversary').map((e) => e.text)).toEqual(['anniversary not sent: the provider turned anniversary asks off']);
    expect(r.pending).toEqual([]);
  });

  it("the group's switch (API settings) turns the asks off; the timeline says why", async () => {
    // Prepare
    const { g, priya, id, pending } = await wonReferral();
    const off = await api('PATCH', '/api/settings', { key: g.admin.apiKey, body: { anniversaryAsks: false } });
    expect(off.status).toBe(200);
    expect(off.body.anniversaryAsks).toBe(false);
    expect((await api('PATCH', '/api/settings', { key: priya.apiKey, body: { anniversaryAsks: true } })).status).toBe(403);
    expect((await api('PATCH', '/api/settings', { key: g.admin.apiKey, body: { anniversaryAsks: 'yes' } })).status).toBe(422);

    // Act
    await advanceTo(pending.find((p) => p.kind === 'anniversary')!.due);

    // Assess
    const r = await referral(g.admin.apiKey, id);
    expect(anniversaryEmails(r, priya.email)).toEqual([]);
    expect(r.timeline.filter((e) => e.type === 'skipped' && e.kind === 'anniversary').map((e) => e.text)).toEqual(['anniversary not sent: anniversary asks are off for this group']);
    // Kept for next year, in case the group turns them on again
    expect(r.pending.map((p) => p.kind)).toEqual(['anniversary']);
  });
});
