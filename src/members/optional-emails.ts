import { StaleWriteError } from '../domain/errors.js';
import type { Member } from '../domain/types.js';
import type { ReferralStore } from '../store/referral-store.js';

/** Whether a member gets optional emails (digest, campaign asks): active, not stopped, not suppressed. */
export async function wantsOptionalEmail(store: Pick<ReferralStore, 'isSuppressed'>, member: Member, groupId: string): Promise<boolean> {
  return member.status === 'active' && !member.optionalEmailsOff && !(await store.isSuppressed(member.email, groupId));
}

/**
 * A member's `stop` or one-click unsubscribe: no more optional emails (digest, give-back nudges,
 * campaign asks); the chase emails of referrals they hold continue. Idempotent; retries a lost race.
 */
export async function turnOffOptionalEmails(store: Pick<ReferralStore, 'getMember' | 'updateMember'>, memberId: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const member = await store.getMember(memberId);
    if (!member) return false;
    if (member.optionalEmailsOff) return true;
    try {
      await store.updateMember({ ...member, optionalEmailsOff: true });
      return true;
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < 5) continue;
      throw err;
    }
  }
}
