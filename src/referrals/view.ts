import type { Member, Referral, TimelineEvent } from '../domain/types.js';

export interface Viewer {
  member: Member;
  isAdmin: boolean;
}

export type ViewerSide = 'admin' | 'provider' | 'referrer' | 'none';

/** How the viewer stands to this referral: admins of its group see all; members only their own. */
export function sideOf(r: Referral, viewer: Viewer): ViewerSide {
  if (viewer.member.groupId !== r.groupId) return 'none';
  if (viewer.isAdmin) return 'admin';
  if (r.providerId === viewer.member.id) return 'provider';
  if (r.referrerId === viewer.member.id) return 'referrer';
  return 'none';
}

const person = (m: Member | undefined, id: string | undefined) => (m ? { id: m.id, name: m.name, email: m.email } : id ? { id, name: '(unknown)', email: '' } : null);

/** A timeline event as this viewer may read it: private texts only for those they are meant for. */
export function redactEvent(e: TimelineEvent, side: ViewerSide): TimelineEvent {
  const { privateText, privateTo, ...rest } = e;
  const mayRead = side === 'admin' || (privateTo ? privateTo === side : side === 'provider');
  return mayRead && privateText ? { ...rest, privateText } : rest;
}

/**
 * The referral JSON of CONTRACT.md, redacted for the viewer: the referrer sees no closed value
 * unless the provider shared it, and no private texts but their own.
 */
export function referralView(r: Referral, side: Exclude<ViewerSide, 'none'>, members: Map<string, Member>) {
  const showValue = side !== 'referrer' || r.shareClosedValue;
  return {
    id: r.id,
    groupId: r.groupId,
    status: r.status,
    source: r.source,
    referrer: person(members.get(r.referrerId), r.referrerId),
    provider: person(r.providerId ? members.get(r.providerId) : undefined, r.providerId),
    prospect: { name: r.prospect.name, email: r.prospect.email ?? null, phone: r.prospect.phone ?? null, company: r.prospect.company ?? null },
    need: r.need,
    temperature: r.temperature ?? null,
    consent: r.consent,
    note: r.note ?? null,
    ...(showValue && r.closedValue ? { closedValue: r.closedValue } : {}),
    ...(r.lostReason ? { lostReason: r.lostReason } : {}),
    ...(r.needsInfo ? { needsInfo: r.needsInfo } : {}),
    ...(r.prospectBounced ? { prospectBounced: true } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    timeline: r.timeline.map((e) => redactEvent(e, side)),
    pending: r.pending.map((p) => ({ kind: p.kind, due: p.due })),
  };
}
export type ReferralView = ReturnType<typeof referralView>;

export function memberView(m: Member, opts: { self: boolean; admin: boolean }) {
  return {
    id: m.id,
    groupId: m.groupId,
    name: m.name,
    email: m.email,
    business: m.business ?? null,
    category: m.category ?? null,
    ...(m.phone ? { phone: m.phone } : {}),
    profile: m.profile,
    goalPerMonth: m.goalPerMonth ?? null,
    status: m.status,
    role: m.role,
    ...(opts.self || opts.admin ? { extraAddresses: m.extraAddresses, pendingExtraAddresses: m.pendingExtraAddresses } : {}),
    ...(opts.admin && m.flagged ? { flagged: m.flagged } : {}),
    createdAt: m.createdAt,
  };
}
