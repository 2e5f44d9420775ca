import { ConflictError, DomainError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Group, Member, Prospect, Referral, Source, Via } from '../domain/types.js';
import { GuardTakenError, type Guard } from '../store/referral-store.js';
import type { RelayDeps } from './deps.js';
import { decideCreate } from './core/decide.js';
import { DUPLICATE_WINDOW_MS, duplicateKey, idempotencyKey } from './guards.js';

export interface NewReferral {
  groupId: string;
  referrerId: string;
  /** Absent only for a needs-info draft from email logging. */
  providerId?: string;
  prospect: Prospect;
  need: string;
  temperature?: number;
  consent: boolean;
  note?: string;
  /** One line for the prospect, written by the referrer for the introduction email. */
  introLine?: string;
  source: Source;
  /** Bcc mode: the referrer's own email was the introduction. */
  introducedByReferrer?: boolean;
  needsInfo?: Referral['needsInfo'];
  messageId?: string;
}

/** Refusals at logging (PRODUCT.md): self-referral, inactive members. Pure: the parties are read already. */
export function assertReferralAllowed(input: { groupId: string; referrerId: string; providerId?: string }, referrer: Member | undefined, provider: Member | undefined): void {
  if (!referrer || referrer.groupId !== input.groupId || referrer.status !== 'active') {
    throw new DomainError('The referrer is not an active member of this group', 'inactive_member', 422);
  }
  if (!input.providerId) return;
  if (input.providerId === input.referrerId) throw new ValidationError('You cannot refer someone to yourself', { field: 'provider' });
  if (!provider || provider.groupId !== input.groupId || provider.status !== 'active') {
    throw new DomainError('The provider is not an active member of this group', 'inactive_member', 422, { field: 'provider' });
  }
}

/**
 * The 30-day duplicate as a guard written with the referral: one open referral per provider and
 * prospect address, however many requests race (no list is read). Released when the referral closes.
 */
export function duplicateGuard(referralId: string, providerId: string | undefined, prospectEmail: string | undefined, now: Date): Guard[] {
  if (!providerId || !prospectEmail) return [];
  return [{ key: duplicateKey(providerId, prospectEmail), expiresAt: new Date(now.getTime() + DUPLICATE_WINDOW_MS), data: { referralId, createdAt: now.toISOString() } }];
}

/** The refusal for a duplicate, naming the referral that holds the key. */
export async function duplicateRefusal(deps: RelayDeps, key: string, provider: Member | undefined, email: string): Promise<ConflictError> {
  const held = await deps.store.getGuard(key, deps.clock.now());
  const existingId = held?.referralId;
  return new ConflictError(`${email} was already referred to ${provider?.name ?? 'this provider'}${held?.createdAt ? ` on ${held.createdAt.slice(0, 10)}` : ''} and that referral is still open`, {
    ...(existingId ? { existingId, url: `${deps.config.webBaseUrl.replace(/\/$/, '')}/referrals/${existingId}` } : {}),
    ...(held?.createdAt ? { createdAt: held.createdAt } : {}),
  });
}

export interface LogOptions {
  via: Via;
  actorId: string;
  /** A repeated key with the same body hash answers the first referral; with another hash, 422. */
  idempotency?: { key: string; bodyHash?: string };
  /** Claims written with the referral (an inbound Message-ID, a reply's dedupe key). */
  guards?: Guard[];
  /** The group and members the caller has just read (consistently) for this request: not read again. */
  known?: { group: Group; members: Member[] };
}

/** The group and the wanted members from what the caller already holds, when it holds them all. */
function knownOrRead(known: LogOptions['known'], groupId: string, wanted: string[]): { group?: Group; members: Map<string, Member> } | undefined {
  if (!known || known.group.id !== groupId) return undefined;
  const members = new Map(known.members.map((m) => [m.id, m]));
  return wanted.every((id) => members.has(id)) ? { group: known.group, members } : undefined;
}

/** The first referral made with this Idempotency-Key, or a 422 when it was made from another body. */
async function firstByIdempotencyKey(deps: RelayDeps, idem: { key: string; bodyHash?: string }): Promise<Referral | undefined> {
  const held = await deps.store.getGuard(idempotencyKey(idem.key), deps.clock.now());
  if (!held?.referralId) return undefined;
  if (held.bodyHash && idem.bodyHash && held.bodyHash !== idem.bodyHash) {
    throw new DomainError('This Idempotency-Key was used with a different request body', 'idempotency_mismatch', 422);
  }
  return deps.store.getReferral(held.referralId);
}

/**
 * Logs a referral from any door (web, API, email, reply) in one transaction: the referral, its
 * created event, the receipt and provider notice (or the needs-info question) as outbox items, the
 * duplicate and idempotency guards. Its first steps are in `pending`; the stream consumer schedules them.
 */
export async function logReferral(deps: RelayDeps, input: NewReferral, opts: LogOptions): Promise<{ referral: Referral; created: boolean }> {
  if (opts.idempotency) {
    // A repeated key answers with the first result before any rule is checked again.
    const first = await firstByIdempotencyKey(deps, opts.idempotency);
    if (first) return { referral: first, created: false };
  }
  const wanted = [input.referrerId, ...(input.providerId ? [input.providerId] : [])];
  const { group, members } = knownOrRead(opts.known, input.groupId, wanted) ?? (await deps.store.getGroupAndMembers(input.groupId, wanted));
  if (!group) throw new DomainError('group not found', 'not_found', 404);
  const provider = input.providerId ? members.get(input.providerId) : undefined;
  assertReferralAllowed(input, members.get(input.referrerId), provider);
  const now = deps.clock.now();
  // The pure core decides the first state (with its first steps pending), the created event and the emails (core/decide.ts).
  const change = decideCreate({ type: 'create', id: newId(), input, by: { via: opts.via, actorId: opts.actorId } }, { now, group });
  const draft = change.state;
  const idemGuard: Guard[] = opts.idempotency
    ? [{ key: idempotencyKey(opts.idempotency.key), expiresAt: new Date(now.getTime() + 7 * 86_400_000), data: { referralId: draft.id, ...(opts.idempotency.bodyHash ? { bodyHash: opts.idempotency.bodyHash } : {}) } }]
    : [];
  const dupGuard = draft.status === 'needs_info' ? [] : duplicateGuard(draft.id, input.providerId, draft.prospect.email, now);
  try {
    const saved = await deps.store.commitReferral({
      expectedVersion: 0,
      state: { ...draft, eventSeq: 0, timeline: [] },
      events: change.events,
      emails: change.effects.emails.map((intent) => ({ intent, via: opts.via })),
      guards: [...idemGuard, ...dupGuard, ...(opts.guards ?? [])],
      now,
    });
    const referral = { ...saved, timeline: change.events };
    return { referral, created: true };
  } catch (err) {
    if (!(err instanceof GuardTakenError)) throw err;
    if (opts.idempotency && err.key === idemGuard[0]?.key) {
      // Another request with the same key won the race: answer as it did.
      const first = await firstByIdempotencyKey(deps, opts.idempotency);
      if (first) return { referral: first, created: false };
    }
    if (err.key === dupGuard[0]?.key) throw await duplicateRefusal(deps, err.key, provider, draft.prospect.email!);
    throw err;
  }
}
