import { StaleWriteError } from '../domain/errors.js';
import type { Member } from '../domain/types.js';
import type { ReferralStore } from '../store/referral-store.js';

/**
 * Whether a member gets optional emails (digest, campaign asks): active, not stopped, and not among
 * the suppressed addresses (read once for the whole group: `store.suppressedAmong`).
 */
export function wantsOptionalEmail(member: Member, suppressed: ReadonlySet<string>): boolean {
  return member.status === 'active' && !member.optionalEmailsOff && !suppressed.has(member.email.toLowerCase());
}

/**
 * A member's `stop` or one-click unsubscribe: no more optional emails (digest, give-back nudges,
 * campaign asks); the chase emails of referrals they hold continue. Idempotent; retries a lost race.
 */
export async function turnOffOptionalEmails(store: Pick<ReferralStore, 'getMember' | 'updateMember'>, memberId: string): Promise<boolean> {
  return setMemberSwitch(store, memberId, 'optionalEmailsOff');
}

/** A `stop` in reply to an anniversary ask: no more anniversary asks for this member (other emails continue). */
export async function turnOffAnniversaryAsks(store: Pick<ReferralStore, 'getMember' | 'updateMember'>, memberId: string): Promise<boolean> {
  return setMemberSwitch(store, memberId, 'anniversaryAsksOff');
}

async function setMemberSwitch(store: Pick<ReferralStore, 'getMember' | 'updateMember'>, memberId: string, flag: 'optionalEmailsOff' | 'anniversaryAsksOff'): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const member = await store.getMember(memberId);
    if (!member) return false;
    if (member[flag]) return true;
    try {
      await store.updateMember({ ...member, [flag]: true });
      return true;
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < 5) continue;
      throw err;
    }
  }
}
