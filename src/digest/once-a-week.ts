import { isoWeekKey } from '../domain/zoned-time.js';
import type { RelayDeps } from '../referrals/deps.js';
import { sleep } from '../domain/backoff.js';

/** A claim outlives any redelivery of the weekly schedule (EventBridge retries for at most a day). */
const CLAIM_DAYS = 21;

/**
 * Sends one member's weekly email (digest, campaign ask, admin summary) at most once per ISO week of
 * the group's timezone, even when the schedule is delivered twice: the send runs only after a
 * `claimOnce` on `kind:group:member:week` succeeds. A failed send gives the claim back so a later
 * run can try again, and is logged, so one member's failure never stops the others.
 * @returns whether this call sent it
 */
export async function sendOnceThisWeek(
  deps: Pick<RelayDeps, 'store' | 'log'>,
  what: { kind: string; groupId: string; memberId: string; timezone: string; now: Date },
  send: () => Promise<unknown>,
): Promise<boolean> {
  const key = `${what.kind}:${what.groupId}:${what.memberId}:${isoWeekKey(what.now, what.timezone)}`;
  if (!(await deps.store.claimOnce(key, new Date(what.now.getTime() + CLAIM_DAYS * 86_400_000), what.now))) return false;
  try {
    await send();
    return true;
  } catch (err) {
    await deps.store.releaseOnce(key).catch(() => undefined);
    deps.log.error(`${what.kind} failed`, { groupId: what.groupId, memberId: what.memberId, err: String(err) });
    return false;
  }
}

/** Waits `ms` between sends, to stay under the account's SES send rate (nothing when 0). */
export const pace = (ms: number | undefined) => (ms ? sleep(ms) : Promise.resolve());
