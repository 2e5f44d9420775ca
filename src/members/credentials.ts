/**
 * Revocable credentials. An API key is stored only by hash, so it cannot be looked up by member; instead
 * each member carries a generation number and each key the generation it was issued in. Moving the
 * member's generation on revokes every key they hold at once, in one version-checked write, with no
 * scan. Sessions work the same way (`sessionGeneration`), on top of per-session sign-out.
 */
import { DomainError, NotFoundError, StaleWriteError } from '../domain/errors.js';
import type { Member } from '../domain/types.js';
import type { RelayDeps } from '../referrals/deps.js';
import { newApiKey } from './api-keys.js';

export const apiKeyGeneration = (m: Pick<Member, 'apiKeyGeneration'>) => m.apiKeyGeneration ?? 1;
export const sessionGeneration = (m: Pick<Member, 'sessionGeneration'>) => m.sessionGeneration ?? 1;

async function changeMember(deps: RelayDeps, memberId: string, change: (m: Member) => Member): Promise<Member> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getMember(memberId);
    if (!current) throw new NotFoundError('member');
    try {
      return await deps.store.updateMember(change(current));
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < 5) continue;
      throw err;
    }
  }
}

/** Issues a key in the member's current generation (new members, rotation, reactivation). */
export async function issueApiKey(deps: Pick<RelayDeps, 'store'>, member: Member): Promise<string> {
  const { key, hash } = newApiKey();
  await deps.store.putApiKey(hash, { groupId: member.groupId, memberId: member.id, generation: apiKeyGeneration(member) });
  return key;
}

/** Every API key of the member stops working at once. */
export async function revokeApiKeys(deps: RelayDeps, memberId: string): Promise<Member> {
  return changeMember(deps, memberId, (m) => ({ ...m, apiKeyGeneration: apiKeyGeneration(m) + 1 }));
}

/** Revokes every key of the member and issues one new key, shown once. */
export async function rotateApiKey(deps: RelayDeps, memberId: string): Promise<{ member: Member; apiKey: string }> {
  const member = await revokeApiKeys(deps, memberId);
  if (member.status !== 'active') throw new DomainError('A removed member gets no new key; reactivate them first', 'member_removed', 409);
  return { member, apiKey: await issueApiKey(deps, member) };
}

/**
 * Brings a removed member back: active again, with a fresh API key (their old keys and sessions were
 * revoked at removal and stay dead). They sign in again by magic link. Idempotent for an active member
 * except that it issues no key.
 */
export async function reactivateMember(deps: RelayDeps, memberId: string): Promise<{ member: Member; apiKey?: string }> {
  const before = await deps.store.getMember(memberId);
  if (!before) throw new NotFoundError('member');
  if (before.status === 'active') return { member: before };
  const member = await changeMember(deps, memberId, (m) => ({ ...m, status: 'active' }));
  deps.log.info('member reactivated', { memberId });
  return { member, apiKey: await issueApiKey(deps, member) };
}
