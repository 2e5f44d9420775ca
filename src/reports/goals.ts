/** A member's monthly giving goal: referrals given this month (group timezone) against goalPerMonth. Pure. */
import type { Member, Referral } from '../domain/types.js';
import { addLocalMonths, formatInZone, localIsoDate, startOfLocalMonth } from '../domain/zoned-time.js';
import { referralsInPeriod } from './summary.js';

export interface GoalProgressData {
  /** "March 2026". */
  monthLabel: string;
  given: number;
  /** Undefined when the member has not set a goal. */
  goal?: number;
  /** How many more to reach the goal (0 once reached). */
  remaining?: number;
  reached: boolean;
  /** given / goal, capped at 1, for a progress bar. */
  share?: number;
}

export function goalProgress(member: Pick<Member, 'id' | 'goalPerMonth'>, referrals: readonly Referral[], timezone: string, now: Date): GoalProgressData {
  const month = startOfLocalMonth(now, timezone);
  const from = localIsoDate(month, timezone);
  const to = localIsoDate(addLocalMonths(month, timezone, 1), timezone);
  const given = referralsInPeriod(referrals, from, to, timezone).filter((r) => r.referrerId === member.id).length;
  const goal = member.goalPerMonth && member.goalPerMonth > 0 ? member.goalPerMonth : undefined;
  return {
    monthLabel: formatInZone(month, timezone, 'LLLL yyyy'),
    given,
    goal,
    remaining: goal === undefined ? undefined : Math.max(0, goal - given),
    reached: goal !== undefined && given >= goal,
    share: goal === undefined ? undefined : Math.min(1, given / goal),
  };
}
