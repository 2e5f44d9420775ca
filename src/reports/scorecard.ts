/**
 * Network hygiene (admins only): how each provider treats the referrals they receive — first-contact
 * speed, thank-yous, what prospects and referrers said, and why business was lost. Read from the
 * referrals and their timelines without adding anything to the domain. Pure.
 */
import type { Member, Referral } from '../domain/types.js';
import { referralsInPeriod } from './summary.js';
import { hoursToFirstContact, quantile, round1, round2 } from './stats.js';

export interface ProviderScore {
  memberId: string;
  name: string;
  status: Member['status'];
  /** The admin's note when the member is flagged for a conversation. */
  flagged?: string;
  received: number;
  medianHoursToFirstContact: number | null;
  /** Share (0–1) of received referrals thanked at all. */
  thankedShare: number | null;
  /** Prospects' experience ratings (1–5). */
  ratings: number[];
  averageRating: number | null;
  /** The provider's own answer to "was this a good referral?". */
  good: number;
  poor: number;
  lostReasons: string[];
  /** Open referrals not contacted yet. */
  waiting: number;
}

/** "the prospect rated the experience 4/5" → 4; undefined for any other text. */
export function ratingFromEvent(text: string): number | undefined {
  const m = /rated the experience ([1-5])\s*\/\s*5/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** One row per member who received referrals in the period (and every flagged member), worst first. */
export function providerScorecard(input: { members: readonly Member[]; referrals: readonly Referral[]; from: string; to: string; timezone: string }): ProviderScore[] {
  const inPeriod = referralsInPeriod(input.referrals, input.from, input.to, input.timezone);
  const byProvider = new Map<string, Referral[]>();
  for (const r of inPeriod) {
    const list = byProvider.get(r.providerId!) ?? [];
    list.push(r);
    byProvider.set(r.providerId!, list);
  }
  const rows = input.members
    .filter((m) => byProvider.has(m.id) || m.flagged)
    .map((m): ProviderScore => {
      const received = byProvider.get(m.id) ?? [];
      const hours = received.map(hoursToFirstContact).filter((h): h is number => h !== undefined);
      const ratings: number[] = [];
      let good = 0;
      let poor = 0;
      for (const r of received) {
        for (const e of r.timeline) {
          if (e.kind === 'rating') {
            const rating = ratingFromEvent(e.text);
            if (rating !== undefined) ratings.push(rating);
          } else if (e.kind === 'good') good += 1;
          else if (e.kind === 'poor') poor += 1;
        }
      }
      return {
        memberId: m.id,
        name: m.name,
        status: m.status,
        ...(m.flagged ? { flagged: m.flagged } : {}),
        received: received.length,
        medianHoursToFirstContact: round1(quantile(hours, 0.5)),
        thankedShare: received.length === 0 ? null : round2(received.filter((r) => r.thankedAt).length / received.length),
        ratings,
        averageRating: ratings.length === 0 ? null : round1(ratings.reduce((s, v) => s + v, 0) / ratings.length),
        good,
        poor,
        lostReasons: received.filter((r) => r.status === 'lost' && r.lostReason).map((r) => r.lostReason!),
        waiting: received.filter((r) => !r.firstContactAt && (r.status === 'logged' || r.status === 'dormant')).length,
      };
    });
  // Worst first: slowest contact, then least thanked, then name.
  return rows.sort(
    (a, b) =>
      (b.medianHoursToFirstContact ?? -1) - (a.medianHoursToFirstContact ?? -1) ||
      (a.thankedShare ?? 2) - (b.thankedShare ?? 2) ||
      a.name.localeCompare(b.name),
  );
}
