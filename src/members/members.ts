import { ForbiddenError, NotFoundError, StaleWriteError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Group, Member } from '../domain/types.js';
import type { RelayDeps } from '../referrals/deps.js';
import { DEFAULT_SETTINGS } from '../schedule/cadence.js';
import { issueApiKey } from './credentials.js';
import { newGroupSchema, newMemberSchema, type MemberPatch, type NewGroupInput, type NewMemberInput } from './schemas.js';

/** A group's log address: mail to it (To, Cc or Bcc) logs referrals. */
export const logAddress = (group: Pick<Group, 'slug'>, inboundDomain: string) => `${group.slug}@${inboundDomain}`;

export async function addMember(deps: RelayDeps, groupId: string, input: NewMemberInput): Promise<{ member: Member; apiKey: string }> {
  const parsed = newMemberSchema.parse(input);
  const now = deps.clock.now().toISOString();
  const member: Member = {
    id: newId(),
    groupId,
    name: parsed.name,
    email: parsed.email,
    extraAddresses: [],
    pendingExtraAddresses: [],
    business: parsed.business,
    category: parsed.category,
    ...(parsed.phone ? { phone: parsed.phone } : {}),
    profile: parsed.profile ?? {},
    goalPerMonth: parsed.goalPerMonth,
    status: 'active',
    role: parsed.role ?? 'member',
    createdAt: now,
    version: 1,
  };
  await deps.store.createMember(member);
  const apiKey = await issueApiKey(deps, member);
  return { member, apiKey };
}

export async function createGroup(deps: RelayDeps, input: NewGroupInput): Promise<{ group: Group; admin: Member; apiKey: string }> {
  const parsed = newGroupSchema.parse(input);
  const group: Group = {
    id: newId(),
    name: parsed.name,
    slug: parsed.slug,
    timezone: parsed.timezone,
    currency: parsed.currency,
    settings: { ...DEFAULT_SETTINGS, businessHours: { ...DEFAULT_SETTINGS.businessHours, days: [...DEFAULT_SETTINGS.businessHours.days] } },
    createdAt: deps.clock.now().toISOString(),
    version: 1,
  };
  await deps.store.createGroup(group);
  await deps.digests.plan(group);
  const { member, apiKey } = await addMember(deps, group.id, { ...parsed.admin, role: 'admin' });
  return { group, admin: member, apiKey };
}

/** At most this many extra addresses may wait for their confirmation click at once. */
export const MAX_PENDING_ADDRESSES = 5;

/** Addresses in `wanted` that `member` has neither confirmed nor is waiting to confirm (nor is its own); ValidationError past the cap of waiting ones. */
export function newAddresses(member: Pick<Member, 'email' | 'extraAddresses' | 'pendingExtraAddresses'>, wanted: readonly string[] = []): string[] {
  pendingAfter(member, wanted);
  const known = new Set([member.email, ...member.extraAddresses, ...member.pendingExtraAddresses].map((a) => a.toLowerCase()));
  return [...new Set(wanted.map((a) => a.toLowerCase()))].filter((a) => !known.has(a));
}

/**
 * The addresses that would wait for a confirmation click after a member asks for `wanted`, or a
 * ValidationError past MAX_PENDING_ADDRESSES: each waiting address was sent a confirmation email,
 * so a profile cannot be used to mail many strangers.
 */
export function pendingAfter(member: Pick<Member, 'email' | 'extraAddresses'>, wanted: readonly string[]): string[] {
  const pending = [...new Set(wanted.filter((a) => a !== member.email))].filter((a) => !member.extraAddresses.includes(a));
  if (pending.length > MAX_PENDING_ADDRESSES) {
    throw new ValidationError(`extraAddresses: at most ${MAX_PENDING_ADDRESSES} addresses can wait for confirmation at once (${pending.length} given)`, { field: 'extraAddresses' });
  }
  return pending;
}

/**
 * Applies a profile change. Extra addresses set by an admin are trusted at once; ones a member adds
 * wait in `pendingExtraAddresses` until the confirmation link is clicked (the caller sends it).
 */
export async function updateMember(deps: RelayDeps, memberId: string, patch: MemberPatch, by: { isAdmin: boolean }): Promise<{ member: Member; toConfirm: string[] }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getMember(memberId);
    if (!current) throw new NotFoundError('member');
    let toConfirm: string[] = [];
    const next: Member = {
      ...current,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.business !== undefined ? { business: patch.business } : {}),
      ...(patch.category !== undefined ? { category: patch.category } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.goalPerMonth !== undefined ? { goalPerMonth: patch.goalPerMonth } : {}),
      ...(patch.profile !== undefined ? { profile: { ...current.profile, ...patch.profile } } : {}),
    };
    if (patch.extraAddresses) {
      const wanted = [...new Set(patch.extraAddresses.filter((a) => a !== current.email))];
      if (by.isAdmin) {
        next.extraAddresses = wanted;
        next.pendingExtraAddresses = current.pendingExtraAddresses.filter((a) => !wanted.includes(a));
      } else {
        next.extraAddresses = current.extraAddresses.filter((a) => wanted.includes(a));
        toConfirm = pendingAfter(current, wanted);
        next.pendingExtraAddresses = toConfirm;
      }
    }
    try {
      return { member: await deps.store.updateMember(next), toConfirm };
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < 5) continue;
      throw err;
    }
  }
}

/** The member clicked the confirmation link sent to `address`. */
export async function confirmExtraAddress(deps: RelayDeps, memberId: string, address: string): Promise<Member> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getMember(memberId);
    if (!current) throw new NotFoundError('member');
    if (!current.pendingExtraAddresses.includes(address)) {
      if (current.extraAddresses.includes(address)) return current;
      throw new ForbiddenError('That address is no longer waiting for confirmation');
    }
    try {
      return await deps.store.updateMember({
        ...current,
        extraAddresses: [...current.extraAddresses, address],
        pendingExtraAddresses: current.pendingExtraAddresses.filter((a) => a !== address),
      });
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < 5) continue;
      throw err;
    }
  }
}
