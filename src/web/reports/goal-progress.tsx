/** The monthly giving goal: referrals given this month against goalPerMonth, as words and a bar. */
import type { Member, Referral } from '../../domain/types.js';
import { goalProgress } from '../../reports/goals.js';

export interface GoalProgressProps {
  member: Pick<Member, 'id' | 'goalPerMonth'>;
  referrals: readonly Referral[];
  /** The group's timezone: "this month" is the group's month. */
  timezone: string;
  now: Date;
  /** "you" wording when the reader is the member themself (default). */
  self?: boolean;
}

export function GoalProgress(props: GoalProgressProps) {
  const g = goalProgress(props.member, props.referrals, props.timezone, props.now);
  const self = props.self ?? true;
  const id = `goal-${props.member.id}`;
  return (
    <section class="card goal" aria-labelledby={id}>
      <h2 id={id} style="margin-top:0">
        {self ? 'Your giving goal' : 'Giving goal'}: {g.monthLabel}
      </h2>
      {g.goal === undefined ? (
        <p>
          {self ? 'You have' : 'They have'} given {g.given} referral{g.given === 1 ? '' : 's'} this month.{' '}
          {self ? (
            <>
              <a href="/profile">Set a monthly goal</a> to see your progress.
            </>
          ) : null}
        </p>
      ) : (
        <>
          <p>
            <strong>
              {g.given} of {g.goal}
            </strong>{' '}
            given this month.{' '}
            {g.reached ? 'Goal reached. Thank you!' : `${g.remaining} more to reach the goal.`}
          </p>
          <progress max={g.goal} value={Math.min(g.given, g.goal)} aria-label={`${g.given} of ${g.goal} referrals given`} style="width:100%;height:1.25rem">
            {g.given} of {g.goal}
          </progress>
        </>
      )}
    </section>
  );
}
