/**
 * Network hygiene: an admin flags a member for a conversation, or removes them. A removed member's
 * sign-in and API key stop working at once (auth refuses non-active members), they can no longer
 * log or receive referrals (checkReferralAllowed), and the referrers of the open referrals they held
 * are told so they can re-plan with `provider: <name>` (or an admin reassigns). History stays.
 */
import { DomainError, NotFoundError, StaleWriteError } from '../domain/errors.js';
import type { Member, Referral } from '../domain/types.js';
import { apiKeyGeneration, sessionGeneration } from './credentials.js';
import { isFinal } from '../referrals/decide-action.js';
import type { RelayDeps } from '../referrals/deps.js';
import { commitReferralChange } from '../referrals/engine.js';
import { GuardTakenError } from '../store/referral-store.js';
import { decideEffects } from '../referrals/core/decide.js';

const ATTEMPTS = 5;

/** The timeline event kind that marks a referral whose provider was removed (and its referrer told). */
export const MEMBER_REMOVED_EVENT = 'member_removed';

/** Version-checked read-modify-write of a member, retried when someone else wrote first. */
async function changeMember(deps: RelayDeps, memberId: string, change: (m: Member) => Member | undefined): Promise<Member> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getMember(memberId);
    if (!current) throw new NotFoundError('member');
    const next = change(current);
    if (!next) return current;
    try {
      return await deps.store.updateMember(next);
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < ATTEMPTS) continue;
      throw err;
    }
  }
}

/** Flags a member for a conversation with `note`; an empty note clears the flag. */
export async function flagMember(deps: RelayDeps, memberId: string, note: string): Promise<Member> {
  const text = note.trim();
  return changeMember(deps, memberId, (m) => {
    if ((m.flagged ?? '') === text) return undefined;
    const { flagged: _old, ...rest } = m;
    return text ? { ...rest, flagged: text } : rest;
  });
}

/** An open referral the member holds as provider: someone else has to take it over. */
const heldOpen = (r: Referral, memberId: string) => r.providerId === memberId && !isFinal(r.status) && r.status !== 'needs_info';

export interface RemovalResult {
  member: Member;
  /** Open referrals whose referrer was told (this call). */
  notified: string[];
  /** The member was already removed before this call (a retry finishes what was left). */
  alreadyRemoved: boolean;
}

/**
 * Removes a member: status `removed` (version-checked), then for every open referral they received a
 * notice to its referrer (kind `notice`, reason `member_removed`, through `deliver`, so it is on the
 * timeline) and the chasers aimed at the removed provider cancelled (the intro would introduce the
 * prospect to someone who left). Safe to call again: referrals already handled are skipped.
 */
export async function removeMember(deps: RelayDeps, memberId: string, by: { adminId: string }): Promise<RemovalResult> {
  const before = await deps.store.getMember(memberId);
  if (!before) throw new NotFoundError('member');
  if (before.id === by.adminId) throw new DomainError('You cannot remove yourself; ask another admin', 'self_removal', 409);
  const alreadyRemoved = before.status === 'removed';
  // Removal also revokes every key and session, so a later reactivation brings none of them back.
  const member = await changeMember(deps, memberId, (m) =>
    m.status === 'removed' ? undefined : { ...m, status: 'removed', apiKeyGeneration: apiKeyGeneration(m) + 1, sessionGeneration: sessionGeneration(m) + 1 },
  );

  const notified: string[] = [];
  for (const referral of await deps.store.listReferrals({ receivedBy: memberId })) {
    if (!heldOpen(referral, memberId)) continue;
    const saved = await commitReferralChange(
      deps,
      referral.id,
      (current, group) =>
        // Re-checked on the freshest copy (core/decide.ts): reassigned, closed or already told → nothing to do.
        decideEffects(current, { type: 'provider_removed', member, adminId: by.adminId }, { now: deps.clock.now(), group }) ?? undefined,
      'web',
      // Told once per referral and removed member, however often the removal is retried.
      { guards: [{ key: `member-removed:${referral.id}:${memberId}`, data: { referralId: referral.id } }] },
    ).catch((err: unknown) => {
      if (err instanceof GuardTakenError) return undefined;
      throw err;
    });
    if (saved) notified.push(referral.id);
  }
  deps.log.info('member removed', { memberId, by: by.adminId, notified: notified.length, alreadyRemoved });
  return { member, notified, alreadyRemoved };
}
