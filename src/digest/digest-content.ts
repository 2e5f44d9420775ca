import type { Group, Member, Referral } from '../domain/types.js';
import { formatInZone, startOfLocalMonth } from '../domain/zoned-time.js';
import type { DigestData, DigestItem } from '../mail/render.js';
import { isFinal } from '../referrals/decide-action.js';

export interface PairLedger {
  otherId: string;
  /** Referrals this member gave the other one. */
  given: number;
  /** Referrals this member received from the other one. */
  received: number;
  openGiven: number;
  openReceived: number;
}

/** Given vs received per other member (reciprocity), from one member's point of view. Pure. */
export function reciprocity(memberId: string, referrals: readonly Referral[]): PairLedger[] {
  const byOther = new Map<string, PairLedger>();
  const row = (otherId: string) => {
    let r = byOther.get(otherId);
    if (!r) byOther.set(otherId, (r = { otherId, given: 0, received: 0, openGiven: 0, openReceived: 0 }));
    return r;
  };
  for (const r of referrals) {
    if (!r.providerId || r.status === 'needs_info') continue;
    const open = !isFinal(r.status);
    if (r.referrerId === memberId && r.providerId !== memberId) {
      const p = row(r.providerId);
      p.given += 1;
      if (open) p.openGiven += 1;
    } else if (r.providerId === memberId && r.referrerId !== memberId) {
      const p = row(r.referrerId);
      p.received += 1;
      if (open) p.openReceived += 1;
    }
  }
  return [...byOther.values()].sort((a, b) => b.received - b.given - (a.received - a.given));
}

/** "A shop opening soon." → "a shop opening soon", cut at the first sentence (≤ 120 characters). */
function inSentence(text: string): string {
  const first = text.trim().replace(/\s+/g, ' ').split(/(?<=[.!?])\s/)[0]!.replace(/[.!?]+$/, '');
  const short = first.length > 120 ? `${first.slice(0, 119).replace(/\s+\S*$/, '')}…` : first;
  // Lower-case a leading capital unless it starts an acronym or a name-like word ("SaaS", "IT").
  return /^\p{Lu}(?:\p{Ll}|\s)/u.test(short) && !/^I\b/.test(short) ? short[0]!.toLowerCase() + short.slice(1) : short;
}

/**
 * Why the digest suggests referring back, in the reader's terms: "you have received 3 from Bob and
 * given none back — Bob's good referral is a café opening in the next three months".
 */
export function referBackWhy(owed: Pick<PairLedger, 'received' | 'given'>, back: Pick<Member, 'name' | 'profile'>): string {
  const first = back.name.trim().split(/\s+/)[0] || back.name;
  const ledger = `you have received ${owed.received} from ${first} and given ${owed.given === 0 ? 'none' : owed.given} back`;
  const good = back.profile.goodReferral?.trim();
  return good ? `${ledger} — ${first}'s good referral is ${inSentence(good)}` : ledger;
}

function waitingItem(r: Referral, member: Member, names: Map<string, Member>, webBaseUrl: string): DigestItem | undefined {
  const base = { prospectName: r.prospect.name, providerName: names.get(r.providerId ?? '')?.name ?? '', need: r.need.slice(0, 140), status: r.status, link: `${webBaseUrl}/referrals/${r.id}` };
  if (r.referrerId === member.id) {
    if (r.status === 'needs_info') return { ...base, action: 'add_details' };
    if (r.status === 'passed' && r.passSuggestionId) return { ...base, action: 'confirm_rerefer' };
    return undefined;
  }
  if (r.providerId !== member.id) return undefined;
  if (r.status === 'logged') return { ...base, action: 'make_contact' };
  if (!isFinal(r.status) && r.status !== 'needs_info') return { ...base, action: r.thankedAt ? 'update_status' : 'say_thanks' };
  return undefined;
}

/**
 * A member's weekly digest: what waits on them, given/received this month against their goal, and
 * one member they could refer back (the one who gave them most relative to what they gave back).
 */
export function digestFor(member: Member, group: Group, referrals: readonly Referral[], members: readonly Member[], now: Date, webBaseUrl: string): DigestData {
  const names = new Map(members.map((m) => [m.id, m]));
  const monthStart = new Date(startOfLocalMonth(now, group.timezone)).toISOString();
  const mine = referrals.filter((r) => r.referrerId === member.id || r.providerId === member.id);
  const thisMonth = mine.filter((r) => r.createdAt >= monthStart && r.status !== 'needs_info');
  const ledger = reciprocity(member.id, mine);
  const owed = ledger.find((p) => p.received > p.given && names.get(p.otherId)?.status === 'active');
  const fallback = members.find((m) => m.id !== member.id && m.status === 'active' && m.profile.goodReferral && !ledger.some((p) => p.otherId === m.id && p.given > 0));
  const back = owed ? names.get(owed.otherId) : fallback;
  return {
    periodLabel: `week of ${formatInZone(now, group.timezone, 'd LLLL')}`,
    waitingOnYou: mine.map((r) => waitingItem(r, member, names, webBaseUrl)).filter((i): i is DigestItem => !!i),
    givenThisMonth: thisMonth.filter((r) => r.referrerId === member.id).length,
    receivedThisMonth: thisMonth.filter((r) => r.providerId === member.id).length,
    goalPerMonth: member.goalPerMonth,
    referBack: back
      ? {
          name: back.name,
          email: back.email,
          business: back.business,
          category: back.category,
          profile: back.profile,
          why: owed ? referBackWhy(owed, back) : undefined,
        }
      : undefined,
  };
}
