/**
 * The group report (CONTRACT.md `GET /api/reports/summary`): per member, what they gave and
 * received in a period, and how fast and how gratefully referrals were handled. Pure: the caller
 * loads the group, its members and referrals.
 *
 * Counting rules:
 * - a referral belongs to the period when its createdAt falls in [from, to), both dates read as
 *   midnights in the group's timezone (a referral at 23:30 UTC on 30 June is 1 July in London);
 * - a needs-info draft (no provider yet) is not counted anywhere;
 * - `won`/`lost` and conversion are the provider's (business they won or lost), in the same cohort;
 * - closed value is credited to the REFERRER (BNI's "thank you for closed business"), per currency.
 *   A member's own row shows only values the provider shared with them (PRODUCT.md: a referrer sees
 *   a closed value only after `share`); admins see every value. Group totals hold every value for
 *   an admin, and for a member only the values that member may see (as provider, or as referrer
 *   after `share`): a sum over amounts the viewer may not see would reveal them.
 */
import type { Group, Member, Money, Referral } from '../domain/types.js';
import { localMidnight } from './period.js';
import { countsInReports, hoursToFirstContact, MoneyTally, quantile, round1, round2, thankedWithinDay } from './stats.js';

export interface SummaryViewer {
  memberId: string;
  isAdmin: boolean;
}

export interface SummaryInput {
  group: Pick<Group, 'timezone'>;
  members: readonly Member[];
  referrals: readonly Referral[];
  /** YYYY-MM-DD in the group's timezone, included. */
  from: string;
  /** YYYY-MM-DD in the group's timezone, not included. */
  to: string;
  viewer: SummaryViewer;
  /**
   * The time of the report: "thanked within a day" counts only referrals logged at least a day
   * before it (a referral logged an hour ago has not yet had its day). Absent: every referral counts.
   */
  now?: Date;
}

export interface MemberSummaryRow {
  memberId: string;
  name: string;
  status: Member['status'];
  given: number;
  received: number;
  /** Received referrals this member (the provider) won / lost. */
  won: number;
  lost: number;
  /** Closed business from referrals this member GAVE, per currency. */
  closedValue: Money[];
  /** Closed business this member won as the provider, per currency. */
  closedValueWon: Money[];
  /** Hours from logging to first contact on referrals they received; null when none was contacted. */
  medianHoursToFirstContact: number | null;
  p90HoursToFirstContact: number | null;
  /** Share (0–1) of received referrals at least a day old that were thanked within 24 hours of logging; null when none is a day old. */
  thankedWithinDayShare: number | null;
  /** won / (won + lost); null before any outcome. */
  conversion: number | null;
}

export interface SummaryTotals {
  given: number;
  won: number;
  lost: number;
  closedValue: Money[];
  medianHoursToFirstContact: number | null;
  p90HoursToFirstContact: number | null;
  thankedWithinDayShare: number | null;
  conversion: number | null;
}

export interface Summary {
  from: string;
  to: string;
  timezone: string;
  members: MemberSummaryRow[];
  totals: SummaryTotals;
}

interface Tally {
  given: number;
  received: number;
  won: number;
  lost: number;
  closedGiven: MoneyTally;
  closedGivenShared: MoneyTally;
  closedWon: MoneyTally;
  contactHours: number[];
  thankedInDay: number;
  /** Received referrals that have had their day (the base of the thanked-within-a-day share). */
  dayOld: number;
}

const newTally = (): Tally => ({ given: 0, received: 0, won: 0, lost: 0, closedGiven: new MoneyTally(), closedGivenShared: new MoneyTally(), closedWon: new MoneyTally(), contactHours: [], thankedInDay: 0, dayOld: 0 });

/** Referrals of the period (createdAt in [from, to) in the timezone) that count in reports. */
export function referralsInPeriod(referrals: readonly Referral[], from: string, to: string, timezone: string): Referral[] {
  const start = localMidnight(from, timezone).getTime();
  const end = localMidnight(to, timezone).getTime();
  return referrals.filter((r) => {
    if (!countsInReports(r)) return false;
    const at = Date.parse(r.createdAt);
    return at >= start && at < end;
  });
}

/** A referral's closed value is the provider's; the referrer sees it once the provider shared it. */
export const maySeeClosedValue = (r: Referral, memberId: string) => r.providerId === memberId || (r.referrerId === memberId && r.shareClosedValue === true);

const DAY_MS = 24 * 3_600_000;

const conversionOf = (won: number, lost: number) => (won + lost === 0 ? null : round2(won / (won + lost)));

/** Builds the report as `viewer` may see it: admins every member's row, members only their own. */
export function buildSummary(input: SummaryInput): Summary {
  const { group, members, from, to, viewer } = input;
  const inPeriod = referralsInPeriod(input.referrals, from, to, group.timezone);
  const tallies = new Map<string, Tally>();
  const tally = (id: string) => {
    let t = tallies.get(id);
    if (!t) tallies.set(id, (t = newTally()));
    return t;
  };
  const totals = newTally();

  for (const r of inPeriod) {
    const giver = tally(r.referrerId);
    const provider = tally(r.providerId!);
    giver.given += 1;
    provider.received += 1;
    totals.given += 1;
    if (r.status === 'won') {
      provider.won += 1;
      totals.won += 1;
      giver.closedGiven.add(r.closedValue);
      if (r.shareClosedValue) giver.closedGivenShared.add(r.closedValue);
      provider.closedWon.add(r.closedValue);
      if (viewer.isAdmin || maySeeClosedValue(r, viewer.memberId)) totals.closedGiven.add(r.closedValue);
    } else if (r.status === 'lost') {
      provider.lost += 1;
      totals.lost += 1;
    }
    const hours = hoursToFirstContact(r);
    if (hours !== undefined) {
      provider.contactHours.push(hours);
      totals.contactHours.push(hours);
    }
    if (!input.now || input.now.getTime() - Date.parse(r.createdAt) >= DAY_MS) {
      provider.dayOld += 1;
      totals.dayOld += 1;
      if (thankedWithinDay(r)) {
        provider.thankedInDay += 1;
        totals.thankedInDay += 1;
      }
    }
  }

  const visible = members.filter((m) => {
    if (!viewer.isAdmin) return m.id === viewer.memberId;
    // Removed members stay in the report while they have history in the period.
    return m.status === 'active' || tallies.has(m.id);
  });

  const rows = visible.map((m): MemberSummaryRow => {
    const t = tallies.get(m.id) ?? newTally();
    return {
      memberId: m.id,
      name: m.name,
      status: m.status,
      given: t.given,
      received: t.received,
      won: t.won,
      lost: t.lost,
      closedValue: (viewer.isAdmin ? t.closedGiven : t.closedGivenShared).list(),
      closedValueWon: t.closedWon.list(),
      medianHoursToFirstContact: round1(quantile(t.contactHours, 0.5)),
      p90HoursToFirstContact: round1(quantile(t.contactHours, 0.9)),
      thankedWithinDayShare: t.dayOld === 0 ? null : round2(t.thankedInDay / t.dayOld),
      conversion: conversionOf(t.won, t.lost),
    };
  });
  rows.sort((a, b) => b.given - a.given || b.received - a.received || a.name.localeCompare(b.name));

  return {
    from,
    to,
    timezone: group.timezone,
    members: rows,
    totals: {
      given: totals.given,
      won: totals.won,
      lost: totals.lost,
      closedValue: totals.closedGiven.list(),
      medianHoursToFirstContact: round1(quantile(totals.contactHours, 0.5)),
      p90HoursToFirstContact: round1(quantile(totals.contactHours, 0.9)),
      thankedWithinDayShare: totals.dayOld === 0 ? null : round2(totals.thankedInDay / totals.dayOld),
      conversion: conversionOf(totals.won, totals.lost),
    },
  };
}
