import type { Member } from '../domain/types.js';
import { matchMembers } from '../inbound/roster-match.js';
import type { ReferralStore } from '../store/referral-store.js';

/** The active members of a group that a short reference ("Sam O", "ortiz plumbing", an address) names. */
export async function membersNamed(store: Pick<ReferralStore, 'listMembers'>, groupId: string, reference: string): Promise<Member[]> {
  const roster = (await store.listMembers(groupId)).filter((m) => m.status === 'active');
  const ids = new Set(matchMembers(reference, roster).map((m) => m.id));
  return roster.filter((m) => ids.has(m.id));
}
