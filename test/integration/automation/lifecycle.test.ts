import { describe, expect, it } from 'vitest';
import { localIsoDate, localParts } from '../../../src/domain/zoned-time.js';
import { dispatchStep } from '../../../src/referrals/engine.js';
import { api, clockNow, deps, drainOutbox, emailsTo, freshGroup, advanceClock, useOwnStack, withoutLinks } from '../harness.js';

type Pending = { kind: string; due: string };
type Event = { at: string; type: string; kind?: string; to?: string; cc?: string[]; text: string };

const london = (iso: string) => localParts(Date.parse(iso), 'Europe/London');
const londonDate = (iso: string) => localIsoDate(Date.parse(iso), 'Europe/London');
function inBusinessHours(iso: string) {
  const t = london(iso);
  return t.weekday <= 5 && t.hour >= 8 && t.hour < 18;
}

/** Moves this test's own clock to `due` (and runs everything of its own due on the way). */
async function advanceTo(due: string) {
  const now = await clockNow();
  const ms = Date.parse(due) - now.getTime();
  if (ms > 0) await advanceClock(`PT${Math.ceil(ms / 1000)}S`);
}

async function referralAs(key: string, id: string) {
  // Emails go out through the outbox after a change is stored: wait for it, then read.
  await drainOutbox();
  const res = await api('GET', `/api/referrals/${id}`, { key });
  expect(res.status).toBe(200);
  return res.body as { status: string; pending: Pending[]; timeline: Event[]; closedValue?: unknown };
}

const emailEvents = (r: { timeline: Event[] }, kind: string) => r.timeline.filter((e) => e.type === 'email' && e.kind === kind);

// Each test lives weeks of a referral's life on a stack of its own (own clock, scheduler and table on
// the shared DynamoDB Local and SES): moving its clock runs only its own steps, never another file's.
describe('the referral loop runs itself (local clock)', () => {
  useOwnStack('test');
  it('whole lifecycle with consent: every email at its time', async () => {
    const g = await freshGroup([{ name: 'Priya Shah', profile: { goodReferral: 'A sole trader who dreads January.' } }, { name: 'Tom Becker', profile: { goodReferral: 'A new kitchen.' } }]);
    const priya = g.members['Priya Shah']!;
    const tom = g.members['Tom Becker']!;
    const prospectEmail = `bob-${g.tag}@stonebakery.example`;
    const created = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: { name: 'Bob Stone', email: prospectEmail }, need: 'A bookkeeper for the bakery', consent: true } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const createdAt = created.body.createdAt as string;
    let r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'receipt')).toHaveLength(1);
    expect(emailEvents(r, 'provider_notice')).toHaveLength(1);
    // sent at once: within seconds of logging on the local clock
    expect(Date.parse(emailEvents(r, 'provider_notice')[0]!.at) - Date.parse(createdAt)).toBeLessThan(5000);

    // thank-you prompt: logging + 1 h exactly (not business hours)
    const thanks = r.pending.find((p) => p.kind === 'thank_you_prompt')!;
    expect(Date.parse(thanks.due) - Date.parse(createdAt)).toBe(3_600_000);
    await advanceTo(thanks.due);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'thank_you_prompt').map((e) => [e.at, e.to])).toEqual([[thanks.due, priya.email]]);

    // intro: logging + 2 h, moved into business hours; cc provider and referrer, Reply-To the provider
    const intro = r.pending.find((p) => p.kind === 'intro')!;
    expect(Date.parse(intro.due)).toBeGreaterThanOrEqual(Date.parse(createdAt) + 2 * 3_600_000);
    expect(inBusinessHours(intro.due)).toBe(true);
    await advanceTo(intro.due);
    r = await referralAs(g.admin.apiKey, id);
    const introEvent = emailEvents(r, 'intro')[0]!;
    expect(introEvent).toMatchObject({ at: intro.due, to: prospectEmail, cc: [priya.email, tom.email] });
    const introMail = (await emailsTo(prospectEmail)).find((m) => m.replyTo.includes(priya.email));
    expect(introMail?.destination.cc).toEqual(expect.arrayContaining([priya.email, tom.email]));

    // no contact: reminder ≥ intro + 24 h, escalation ≥ intro + 48 h, on different days, in business hours
    const reminder = r.pending.find((p) => p.kind === 'contact_reminder')!;
    const escalation = r.pending.find((p) => p.kind === 'escalation')!;
    expect(Date.parse(reminder.due)).toBeGreaterThanOrEqual(Date.parse(intro.due) + 24 * 3_600_000);
    expect(Date.parse(escalation.due)).toBeGreaterThanOrEqual(Date.parse(intro.due) + 48 * 3_600_000);
    expect(londonDate(reminder.due)).not.toBe(londonDate(escalation.due));
    await advanceTo(reminder.due);
    await advanceTo(escalation.due);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'contact_reminder').map((e) => e.at)).toEqual([reminder.due]);
    expect(emailEvents(r, 'escalation').map((e) => [e.at, e.to])).toEqual([[escalation.due, priya.email]]);
    expect(emailEvents(r, 'escalation_notice').map((e) => [e.at, e.to])).toEqual([[escalation.due, tom.email]]);

    // the provider makes contact (API action): milestone to the referrer; the contact chain is over
    const contacted = await api('POST', `/api/referrals/${id}/actions`, { key: priya.apiKey, body: { action: 'contacted' } });
    expect(contacted.body.status).toBe('contacted');
    expect(contacted.body.pending.map((p: Pending) => p.kind)).not.toContain('contact_reminder');
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'milestone').map((e) => e.to)).toEqual([tom.email]);

    // connection check: intro + 3 days, business hours, to the prospect
    const check = r.pending.find((p) => p.kind === 'connection_check')!;
    expect(Date.parse(check.due)).toBeGreaterThanOrEqual(Date.parse(intro.due) + 3 * 86_400_000 - 3_600_000);
    expect(inBusinessHours(check.due)).toBe(true);
    await advanceTo(check.due);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'connection_check').map((e) => e.to)).toEqual([prospectEmail]);

    // progress requests: weekly after the last provider update
    const progress = r.pending.find((p) => p.kind === 'progress_request')!;
    expect(Date.parse(progress.due)).toBeGreaterThanOrEqual(Date.parse(contacted.body.timeline.at(-1).at) + 7 * 86_400_000 - 3_600_000);
    await advanceTo(progress.due);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'progress_request')).toHaveLength(1);
    const next = r.pending.find((p) => p.kind === 'progress_request')!;
    expect(Date.parse(next.due) - Date.parse(progress.due)).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
    await advanceTo(next.due);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'progress_request')).toHaveLength(2);

    // won: milestone (redacted), quality question, give-back nudge at once; experience check + 2 days
    const won = await api('POST', `/api/referrals/${id}/actions`, { key: priya.apiKey, body: { action: 'won', amount: 4500 } });
    expect(won.body.status).toBe('won');
    expect(won.body.pending.map((p: Pending) => p.kind).sort()).toEqual(['anniversary', 'experience_check']);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'milestone')).toHaveLength(2);
    expect(emailEvents(r, 'quality_question').map((e) => e.to)).toEqual([priya.email]);
    expect(emailEvents(r, 'give_back').map((e) => e.to)).toEqual([priya.email]);
    const wonMail = (await emailsTo(tom.email)).filter((m) => /won/i.test(m.subject));
    expect(wonMail.length).toBeGreaterThan(0);
    expect(withoutLinks(wonMail.map((m) => m.body.text + (m.body.html ?? '')).join())).not.toMatch(/\b4,?500\b/);
    const giveBack = (await emailsTo(priya.email)).find((m) => m.subject.toLowerCase().includes('give') || (m.body.text ?? '').includes('A new kitchen.'));
    expect(giveBack?.body.text).toContain('A new kitchen.');
    const experience = r.pending.find((p) => p.kind === 'experience_check')!;
    await advanceTo(experience.due);
    r = await referralAs(g.admin.apiKey, id);
    expect(emailEvents(r, 'experience_check').map((e) => e.to)).toEqual([prospectEmail]);
    // Only the anniversary ask, a year on, is left.
    expect(r.pending.map((p) => p.kind)).toEqual(['anniversary']);
    // never the same email twice
    const sent = r.timeline.filter((e) => e.type === 'email').map((e) => `${e.kind}:${e.at}`);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('no consent: never any email to the prospect, progress requests still run', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const prospectEmail = `quiet-${g.tag}@example.org`;
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: g.members['Priya Shah']!.id, prospect: { name: 'Quiet Person', email: prospectEmail }, need: 'Books', consent: false } });
    expect(created.body.pending.map((p: Pending) => p.kind).sort()).toEqual(['progress_request', 'thank_you_prompt']);
    // a week on, moved into business hours (from a Friday night that is Monday: more than P8D)
    await advanceTo(created.body.pending.find((p: Pending) => p.kind === 'progress_request').due);
    const r = await referralAs(g.admin.apiKey, created.body.id);
    expect(emailEvents(r, 'progress_request').length).toBeGreaterThanOrEqual(1);
    expect(r.timeline.filter((e) => e.to === prospectEmail)).toEqual([]);
    expect(await emailsTo(prospectEmail)).toEqual([]);
  });

  it('contacted before the reminder: the reminder and escalation never go', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: g.members['Priya Shah']!.id, prospect: { name: 'Fast Lane', email: `fast-${g.tag}@example.org` }, need: 'Books', consent: true } });
    const intro = created.body.pending.find((p: Pending) => p.kind === 'intro');
    await advanceTo(intro.due);
    const contacted = await api('POST', `/api/referrals/${created.body.id}/actions`, { key: g.members['Priya Shah']!.apiKey, body: { action: 'contacted' } });
    // The check's slot depends on the weekday the shared test clock has reached (weekends and the
    // one-chase-a-day rule move it), so wait for its own due time rather than a fixed P4D.
    const check = contacted.body.pending.find((p: Pending) => p.kind === 'connection_check');
    expect(Date.parse(check.due) - Date.parse(intro.due)).toBeGreaterThanOrEqual(3 * 86_400_000);
    await advanceTo(check.due);
    const r = await referralAs(g.admin.apiKey, created.body.id);
    expect(emailEvents(r, 'contact_reminder')).toEqual([]);
    expect(emailEvents(r, 'escalation')).toEqual([]);
    expect(emailEvents(r, 'connection_check')).toHaveLength(1);
  });

  it('a step delivered twice sends one email', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: g.members['Priya Shah']!.id, prospect: { name: 'Twice Told', email: `twice-${g.tag}@example.org` }, need: 'Books', consent: false } });
    const d = deps();
    const stored = (await d.store.getReferral(created.body.id))!;
    const step = stored.pending.find((p) => p.kind === 'thank_you_prompt')!;
    const event = { stepId: step.id, referralId: stored.id, kind: step.kind };
    const outcomes = await Promise.all([dispatchStep(d, event), dispatchStep(d, event), dispatchStep(d, event)]);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(await dispatchStep(d, event)).toBe('not_pending');
    const r = await referralAs(g.admin.apiKey, created.body.id);
    expect(emailEvents(r, 'thank_you_prompt')).toHaveLength(1);
  });

  it('withdrawn: every pending step is cancelled and the provider told', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: g.members['Priya Shah']!.id, prospect: { name: 'Gone Away', email: `gone-${g.tag}@example.org` }, need: 'Books', consent: true } });
    const res = await api('POST', `/api/referrals/${created.body.id}/actions`, { key: g.members['Tom Becker']!.apiKey, body: { action: 'withdraw' } });
    expect(res.body.status).toBe('withdrawn');
    expect(res.body.pending).toEqual([]);
    await advanceClock('P3D');
    const r = await referralAs(g.admin.apiKey, created.body.id);
    expect(r.timeline.filter((e) => e.type === 'email').map((e) => e.kind)).toEqual(['receipt', 'provider_notice', 'notice']);
  });
});
