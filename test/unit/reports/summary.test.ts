import { describe, expect, it } from 'vitest';
import { buildSummary, referralsInPeriod } from '../../../src/reports/summary.js';
import { MoneyTally, quantile } from '../../../src/reports/stats.js';
import { london, member, ref } from './fixtures.js';

/*
 * June 2026 in Europe/London (BST, UTC+1). Hand-computed expectations are in the comments.
 *   r1 Ann→Bob  2 Jun 09:00Z  won 1000 GBP shared   contact +2h   thanked +1h
 *   r2 Ann→Cat  3 Jun 09:00Z  won 500 EUR           contact +10h  thanked +30h
 *   r3 Bob→Ann 10 Jun 12:00Z  lost "price"          contact +4h   thanked +24h (exactly a day)
 *   r4 Cat→Bob 15 Jun 08:00Z  contacted             contact +6h
 *   r5 Bob→Cat 30 Jun 23:30Z  = 1 July 00:30 BST → July, not June
 *   r6 Cat→Ann 31 May 23:30Z  = 1 June 00:30 BST → June; won 200 GBP  contact +1h thanked +2h
 *   r7 Ann→(none) needs_info  → never counted
 *   r8 Dan→Bob 20 Jun 10:00Z  won 300.50 GBP (Dan since removed)  contact +20h
 */
const ann = member('Ann', { role: 'admin' });
const bob = member('Bob');
const cat = member('Cat');
const dan = member('Dan', { status: 'removed' });
const eve = member('Eve', { status: 'removed' });
const fay = member('Fay');
const members = [ann, bob, cat, dan, eve, fay];

const r1 = ref(ann, bob, '2026-06-02T09:00:00.000Z', { status: 'won', closedValue: { amount: 1000, currency: 'GBP' }, shareClosedValue: true, contactAfter: 2, thankedAfter: 1 });
const r2 = ref(ann, cat, '2026-06-03T09:00:00.000Z', { status: 'won', closedValue: { amount: 500, currency: 'EUR' }, contactAfter: 10, thankedAfter: 30 });
const r3 = ref(bob, ann, '2026-06-10T12:00:00.000Z', { status: 'lost', lostReason: 'price', contactAfter: 4, thankedAfter: 24 });
const r4 = ref(cat, bob, '2026-06-15T08:00:00.000Z', { status: 'contacted', contactAfter: 6 });
const r5 = ref(bob, cat, '2026-06-30T23:30:00.000Z');
const r6 = ref(cat, ann, '2026-05-31T23:30:00.000Z', { status: 'won', closedValue: { amount: 200, currency: 'GBP' }, contactAfter: 1, thankedAfter: 2 });
const r7 = ref(ann, undefined, '2026-06-05T10:00:00.000Z', { status: 'needs_info' });
const r8 = ref(dan, bob, '2026-06-20T10:00:00.000Z', { status: 'won', closedValue: { amount: 300.5, currency: 'GBP' }, contactAfter: 20 });
const referrals = [r1, r2, r3, r4, r5, r6, r7, r8];

const june = { group: london, members, referrals, from: '2026-06-01', to: '2026-07-01' };

describe('buildSummary (hand-computed June 2026, Europe/London)', () => {
  it('gives an admin every member row, with the figures worked out by hand', () => {
    // Act
    const summary = buildSummary({ ...june, viewer: { memberId: ann.id, isAdmin: true } });

    // Assess: order is given desc, received desc, name; Eve (removed, no history) is left out.
    expect(summary.members.map((m) => m.name)).toEqual(['Ann', 'Cat', 'Bob', 'Dan', 'Fay']);
    const row = Object.fromEntries(summary.members.map((m) => [m.name, m]));
    expect(row.Ann).toMatchObject({
      given: 2, received: 2, won: 1, lost: 1,
      closedValue: [{ amount: 500, currency: 'EUR' }, { amount: 1000, currency: 'GBP' }],
      closedValueWon: [{ amount: 200, currency: 'GBP' }],
      medianHoursToFirstContact: 2.5, // r3 4h, r6 1h
      p90HoursToFirstContact: 3.7, // 1 + (4 - 1) × 0.9
      thankedWithinDayShare: 1, // r3 at exactly 24h counts, r6 at 2h
      conversion: 0.5,
    });
    expect(row.Bob).toMatchObject({
      given: 1, received: 3, won: 2, lost: 0,
      closedValue: [], // r3 was lost
      closedValueWon: [{ amount: 1300.5, currency: 'GBP' }],
      medianHoursToFirstContact: 6, // 2, 6, 20
      p90HoursToFirstContact: 17.2, // 6 + (20 - 6) × 0.8
      thankedWithinDayShare: 0.33,
      conversion: 1,
    });
    expect(row.Cat).toMatchObject({ given: 2, received: 1, won: 1, lost: 0, closedValue: [{ amount: 200, currency: 'GBP' }], medianHoursToFirstContact: 10, p90HoursToFirstContact: 10, thankedWithinDayShare: 0, conversion: 1 });
    expect(row.Dan).toMatchObject({ status: 'removed', given: 1, received: 0, closedValue: [{ amount: 300.5, currency: 'GBP' }], medianHoursToFirstContact: null, thankedWithinDayShare: null, conversion: null });
    expect(row.Fay).toMatchObject({ given: 0, received: 0, won: 0, lost: 0, closedValue: [], medianHoursToFirstContact: null, conversion: null });
    expect(summary.totals).toEqual({
      given: 6, won: 4, lost: 1,
      closedValue: [{ amount: 500, currency: 'EUR' }, { amount: 1500.5, currency: 'GBP' }],
      medianHoursToFirstContact: 5, // 1 2 4 | 6 10 20
      p90HoursToFirstContact: 15, // 10 + (20 - 10) × 0.5
      thankedWithinDayShare: 0.5, // r1 r3 r6 of six
      conversion: 0.8,
    });
    expect(summary).toMatchObject({ from: '2026-06-01', to: '2026-07-01', timezone: 'Europe/London' });
  });

  it('puts a referral at 23:30 UTC on the last day of a summer month into the next month', () => {
    // Prepare: 30 June 23:30 UTC is 1 July 00:30 in London (BST)
    const july = { ...june, from: '2026-07-01', to: '2026-08-01' };

    // Act
    const inJune = referralsInPeriod(referrals, '2026-06-01', '2026-07-01', 'Europe/London').map((r) => r.id);
    const summary = buildSummary({ ...july, viewer: { memberId: ann.id, isAdmin: true } });

    // Assess
    expect(inJune).not.toContain(r5.id);
    expect(inJune).toContain(r6.id); // 31 May 23:30 UTC is 1 June in London
    expect(summary.totals.given).toBe(1);
    expect(summary.members.find((m) => m.name === 'Bob')).toMatchObject({ given: 1 });
    expect(summary.members.find((m) => m.name === 'Cat')).toMatchObject({ received: 1 });
  });

  it('reads the same instants differently in another timezone', () => {
    // 30 June 23:30 UTC is still 30 June in New York
    const inJune = referralsInPeriod(referrals, '2026-06-01', '2026-07-01', 'America/New_York').map((r) => r.id);
    expect(inJune).toContain(r5.id);
    expect(inJune).not.toContain(r6.id);
  });

  it('shows a member only their own row, with only the closed values shared with them, plus totals of what they may see', () => {
    // Act
    const forAnn = buildSummary({ ...june, viewer: { memberId: ann.id, isAdmin: false } });
    const forCat = buildSummary({ ...june, viewer: { memberId: cat.id, isAdmin: false } });

    // Assess
    expect(forAnn.members.map((m) => m.memberId)).toEqual([ann.id]);
    expect(forAnn.members[0]!.closedValue).toEqual([{ amount: 1000, currency: 'GBP' }]); // r2 not shared
    expect(forCat.members.map((m) => m.memberId)).toEqual([cat.id]);
    expect(forCat.members[0]!.closedValue).toEqual([]); // r6 not shared
    expect(forCat.members[0]!.closedValueWon).toEqual([{ amount: 500, currency: 'EUR' }]); // their own win
    // Totals count every referral, but money only where the viewer may see it: Cat won r2 (€500);
    // r6 (Cat's, £200) was not shared. Ann: r1 shared with her (£1,000) and r6 she won (£200).
    const adminTotals = buildSummary({ ...june, viewer: { memberId: ann.id, isAdmin: true } }).totals;
    expect(forCat.totals).toEqual({ ...adminTotals, closedValue: [{ amount: 500, currency: 'EUR' }] });
    expect(forAnn.totals).toEqual({ ...adminTotals, closedValue: [{ amount: 1200, currency: 'GBP' }] });
  });

  it('counts "thanked within a day" only over referrals that have had their day', () => {
    // At 2 Jun 20:00Z only r6 (31 May 23:30Z, thanked +2h) is a day old; r1 (2 Jun 09:00Z, thanked
    // +1h) is 11 hours old and the rest are later. Without `now` every referral counts (see above).
    const summary = buildSummary({ ...june, viewer: { memberId: ann.id, isAdmin: true }, now: new Date('2026-06-02T20:00:00.000Z') });
    const row = (id: string) => summary.members.find((m) => m.memberId === id)!;
    expect(summary.totals.thankedWithinDayShare).toBe(1);
    expect(row(ann.id).thankedWithinDayShare).toBe(1); // r6 of her r3, r6
    expect(row(bob.id).thankedWithinDayShare).toBeNull(); // r1 not a day old yet
    // A day later r1 has had its day too (thanked +1h): still 1 of 1 for Bob.
    const later = buildSummary({ ...june, viewer: { memberId: ann.id, isAdmin: true }, now: new Date('2026-06-03T09:00:00.000Z') });
    expect(later.members.find((m) => m.memberId === bob.id)!.thankedWithinDayShare).toBe(1);
    // Once r2 (3 Jun 09:00Z, thanked +30h) has had its day, Cat's share is 0 of 1.
    const after = buildSummary({ ...june, viewer: { memberId: ann.id, isAdmin: true }, now: new Date('2026-06-04T09:00:00.000Z') });
    expect(after.members.find((m) => m.memberId === cat.id)!.thankedWithinDayShare).toBe(0);
  });

  it('gives a viewer from outside the member list no rows at all', () => {
    const summary = buildSummary({ ...june, viewer: { memberId: 'stranger00000000', isAdmin: false } });
    expect(summary.members).toEqual([]);
  });

  it('is empty but well-formed for an empty period', () => {
    const summary = buildSummary({ ...june, from: '2026-06-01', to: '2026-06-01', viewer: { memberId: ann.id, isAdmin: true } });
    expect(summary.totals).toEqual({ given: 0, won: 0, lost: 0, closedValue: [], medianHoursToFirstContact: null, p90HoursToFirstContact: null, thankedWithinDayShare: null, conversion: null });
    expect(summary.members.every((m) => m.given === 0 && m.received === 0)).toBe(true);
  });
});

describe('report arithmetic', () => {
  it('interpolates quantiles between closest ranks', () => {
    expect(quantile([], 0.5)).toBeUndefined();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
  });

  it('adds money per currency in minor units, sorted by currency', () => {
    const tally = new MoneyTally();
    tally.add({ amount: 0.1, currency: 'gbp' });
    tally.add({ amount: 0.2, currency: 'GBP' });
    tally.add({ amount: 3000, currency: 'USD' });
    tally.add({ amount: 1250.75, currency: 'EUR' });
    tally.add(undefined);
    expect(tally.list()).toEqual([
      { amount: 1250.75, currency: 'EUR' },
      { amount: 0.3, currency: 'GBP' },
      { amount: 3000, currency: 'USD' },
    ]);
  });
});
