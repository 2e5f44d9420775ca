/**
 * No pointless email (issue 15 item 10), through the local clock: a step whose moment has passed is
 * skipped and the timeline says so; the prospect never gets two questions together.
 */
import { describe, expect, it } from 'vitest';
import { advanceClock, api, clockNow, emailsTo, freshGroup, useOwnStack } from '../harness.js';

type Pending = { kind: string; due: string };
type Event = { at: string; type: string; kind?: string; to?: string; text: string };

// Years of each test's referrals' lives pass on a clock of its own.
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

describe('a step is sent only while it still makes sense (local clock)', () => {
  it('Priya replied contacted before the intro: the intro is skipped, and the timeline says why', async () => {
    // Prepare
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const priya = g.members['Priya Shah']!;
    const prospectEmail = `carla-${g.tag}@example.org`;
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: priya.id, prospect: { name: 'Carla Diaz', email: prospectEmail }, need: 'Books', consent: true } });
    expect(created.status).toBe(201);
    const intro = (created.body.pending as Pending[]).find((p) => p.kind === 'intro')!;
    const contacted = await api('POST', `/api/referrals/${created.body.id}/actions`, { key: priya.apiKey, body: { action: 'contacted' } });
    expect(contacted.body.status).toBe('contacted');

    // Act: the intro's time comes
    await advanceTo(intro.due);

    // Assess
    const r = await referral(g.admin.apiKey, created.body.id);
    expect(r.timeline.filter((e) => e.type === 'email' && e.kind === 'intro')).toEqual([]);
    expect(r.timeline.filter((e) => e.type === 'skipped')).toEqual([expect.objectContaining({ kind: 'intro', at: intro.due, text: 'intro not sent: the provider has already made contact' })]);
    expect(r.pending.map((p) => p.kind)).not.toContain('intro');
    expect(await emailsTo(prospectEmail)).toEqual([]);
  });

  it('won before the connection check: no "did Priya reach out?", and the experience check comes alone', async () => {
    // Prepare: the intro goes, then Priya wins the work the next day
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const priya = g.members['Priya Shah']!;
    const prospectEmail = `dan-${g.tag}@example.org`;
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: priya.id, prospect: { name: 'Dan Ode', email: prospectEmail }, need: 'Books', consent: true } });
    await advanceTo((created.body.pending as Pending[]).find((p) => p.kind === 'intro')!.due);
    let r = await referral(g.admin.apiKey, created.body.id);
    const check = r.pending.find((p) => p.kind === 'connection_check')!;
    expect(check).toBeDefined();
    await advanceClock('PT20H');

    // Act
    const won = await api('POST', `/api/referrals/${created.body.id}/actions`, { key: priya.apiKey, body: { action: 'won' } });
    expect(won.status).toBe(200);
    const experience = (won.body.pending as Pending[]).find((p) => p.kind === 'experience_check')!;
    await advanceTo(check.due > experience.due ? check.due : experience.due);

    // Assess
    r = await referral(g.admin.apiKey, created.body.id);
    const toProspect = r.timeline.filter((e) => e.type === 'email' && e.to === prospectEmail).map((e) => e.kind);
    expect(toProspect).toEqual(['intro', 'experience_check']);
    expect(r.pending.map((p) => p.kind)).toEqual(['anniversary']);
    const mails = await emailsTo(prospectEmail);
    expect(mails.some((m) => /reach out|been in touch/i.test(m.subject))).toBe(false);
  });
});
