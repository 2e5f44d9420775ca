import { describe, expect, it } from 'vitest';
import { adminSummaryFor } from '../../../src/reports/admin-summary.js';
import { goalProgress } from '../../../src/reports/goals.js';
import { providerScorecard, ratingFromEvent } from '../../../src/reports/scorecard.js';
import { london, member, ref } from './fixtures.js';

const ann = member('Ann', { role: 'admin' });
const bob = member('Bob', { flagged: 'Slow to call back' });
const cat = member('Cat');
const dan = member('Dan');

describe('provider scorecard', () => {
  it('reads ratings, quality answers, lost reasons and speed from the referrals and their timelines', () => {
    // Prepare
    const at = '2026-06-02T09:00:00.000Z';
    const event = (kind: string, text: string) => ({ at, type: 'action' as const, via: 'reply' as const, actor: 'prospect', kind, text });
    const referrals = [
      ref(ann, bob, at, { status: 'won', contactAfter: 30, thankedAfter: 2, timeline: [event('rating', 'the prospect rated the experience 2/5'), event('poor', 'said it was a poor referral: tyre kicker')] }),
      ref(cat, bob, at, { status: 'lost', lostReason: 'went with a cheaper quote', contactAfter: 50, timeline: [event('rating', 'the prospect rated the experience 4/5')] }),
      ref(ann, bob, at), // waiting for contact
      ref(ann, cat, at, { status: 'won', contactAfter: 1, thankedAfter: 1, timeline: [event('good', 'said it was a good referral'), event('rating', 'the prospect rated the experience 5/5')] }),
      ref(ann, cat, '2026-05-02T09:00:00.000Z', { status: 'lost', lostReason: 'outside the period' }),
    ];

    // Act
    const rows = providerScorecard({ members: [ann, bob, cat, dan], referrals, from: '2026-06-01', to: '2026-07-01', timezone: london.timezone });

    // Assess: slowest first; Dan received nothing and is not flagged, so is not listed
    expect(rows.map((r) => r.name)).toEqual(['Bob', 'Cat']);
    expect(rows[0]).toEqual({
      memberId: bob.id, name: 'Bob', status: 'active', flagged: 'Slow to call back', received: 3, medianHoursToFirstContact: 40, thankedShare: 0.33,
      ratings: [2, 4], averageRating: 3, good: 0, poor: 1, lostReasons: ['went with a cheaper quote'], waiting: 1,
    });
    expect(rows[1]).toMatchObject({ received: 1, medianHoursToFirstContact: 1, thankedShare: 1, ratings: [5], good: 1, poor: 0, lostReasons: [] });
  });

  it('parses the rating out of the timeline text', () => {
    expect(ratingFromEvent('the prospect rated the experience 4/5')).toBe(4);
    expect(ratingFromEvent('rated the experience 5 / 5')).toBe(5);
    expect(ratingFromEvent('rated the experience 9/5')).toBeUndefined();
    expect(ratingFromEvent('said thanks')).toBeUndefined();
  });
});

describe('admin weekly summary', () => {
  it('lists what moved, who waits on whom (oldest first) and the slowest first contacts of the week', () => {
    // Prepare: "now" is Monday 8 June 2026, 08:00 London
    const now = new Date('2026-06-08T07:00:00.000Z');
    const status = (at: string, s: 'contacted' | 'won') => ({ at, type: 'status' as const, via: 'reply' as const, actor: 'x', status: s, text: s });
    const oldWaiting = ref(cat, dan, '2026-05-20T09:00:00.000Z', { prospect: { name: 'Olga Old' } });
    const newWaiting = ref(ann, dan, '2026-06-05T09:00:00.000Z', { prospect: { name: 'Nina New' } });
    const slow = ref(ann, bob, '2026-06-01T09:00:00.000Z', { status: 'contacted', contactAfter: 72, prospect: { name: 'Sam Slow' }, timeline: [status('2026-06-04T09:00:00.000Z', 'contacted')] });
    const quick = ref(cat, bob, '2026-06-03T09:00:00.000Z', { status: 'won', contactAfter: 3, prospect: { name: 'Quinn Quick' }, timeline: [status('2026-06-03T12:00:00.000Z', 'contacted'), status('2026-06-06T12:00:00.000Z', 'won')] });
    const lastWeek = ref(ann, cat, '2026-05-10T09:00:00.000Z', { status: 'won', contactAfter: 1, timeline: [status('2026-05-11T09:00:00.000Z', 'won')] });

    // Act
    const s = adminSummaryFor(london, [ann, bob, cat, dan], [oldWaiting, newWaiting, slow, quick, lastWeek], now, 'https://relay.example/');

    // Assess
    expect(s.weekLabel).toBe('week of 1 June');
    expect(s.given).toBe(3); // newWaiting, slow, quick
    expect(s.won).toBe(1);
    expect(s.moved.map((m) => [m.prospectName, m.status])).toEqual([['Quinn Quick', 'won'], ['Sam Slow', 'contacted'], ['Quinn Quick', 'contacted']]);
    expect(s.waiting.map((w) => [w.prospectName, w.providerName, w.referrerName, w.days])).toEqual([['Olga Old', 'Dan', 'Cat', 18], ['Nina New', 'Dan', 'Ann', 2]]);
    expect(s.slowest.map((w) => [w.prospectName, w.hours])).toEqual([['Sam Slow', 72], ['Quinn Quick', 3]]);
    expect(s.flagged).toEqual([{ name: 'Bob', note: 'Slow to call back' }]);
    expect(s.waiting[0]!.link).toBe(`https://relay.example/referrals/${oldWaiting.id}`);
  });
});

describe('monthly giving goal', () => {
  it('counts referrals given this month in the group timezone against the goal', () => {
    const withGoal = member('Gia', { goalPerMonth: 3 });
    const referrals = [
      ref(withGoal, bob, '2026-05-31T23:30:00.000Z'), // 1 June in London
      ref(withGoal, cat, '2026-06-10T10:00:00.000Z'),
      ref(withGoal, cat, '2026-05-30T10:00:00.000Z'), // May
      ref(bob, withGoal, '2026-06-10T10:00:00.000Z'), // received, not given
    ];
    const now = new Date('2026-06-15T12:00:00.000Z');
    expect(goalProgress(withGoal, referrals, 'Europe/London', now)).toEqual({ monthLabel: 'June 2026', given: 2, goal: 3, remaining: 1, reached: false, share: 2 / 3 });
    expect(goalProgress({ ...withGoal, goalPerMonth: 2 }, referrals, 'Europe/London', now)).toMatchObject({ reached: true, remaining: 0, share: 1 });
    expect(goalProgress({ ...withGoal, goalPerMonth: undefined }, referrals, 'Europe/London', now)).toEqual({ monthLabel: 'June 2026', given: 2, goal: undefined, remaining: undefined, reached: false, share: undefined });
  });
});
