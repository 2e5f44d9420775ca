import { ConflictError, DomainError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Member, Prospect, Referral, Source, Via } from '../domain/types.js';
import type { RelayDeps } from './deps.js';
import { isFinal } from './decide-action.js';
import { cancelRemoved, deliver, loadGroup, scheduleAdded } from './engine.js';
import { decideCreate } from './core/decide.js';
import { raiseReferralWebhooks } from '../webhooks/raise.js';

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
  source: Source;
  /** Bcc mode: the referrer's own email was the introduction. */
  introducedByReferrer?: boolean;
  needsInfo?: Referral['needsInfo'];
  messageId?: string;
}

const DUPLICATE_WINDOW_MS = 30 * 86_400_000;

/** Refusals at logging (PRODUCT.md): self-referral, inactive members, the 30-day duplicate. */
export async function checkReferralAllowed(deps: RelayDeps, input: { groupId: string; referrerId: string; providerId?: string; prospectEmail?: string; excludeId?: string }): Promise<{ referrer: Member; provider?: Member }> {
  const referrer = await deps.store.getMember(input.referrerId);
  if (!referrer || referrer.groupId !== input.groupId || referrer.status !== 'active') {
    throw new DomainError('The referrer is not an active member of this group', 'inactive_member', 422);
  }
  if (!input.providerId) return { referrer };
  if (input.providerId === input.referrerId) throw new ValidationError('You cannot refer someone to yourself', { field: 'provider' });
  const provider = await deps.store.getMember(input.providerId);
  if (!provider || provider.groupId !== input.groupId || provider.status !== 'active') {
    throw new DomainError('The provider is not an active member of this group', 'inactive_member', 422, { field: 'provider' });
  }
  const email = input.prospectEmail?.toLowerCase();
  if (email) {
    const since = deps.clock.now().getTime() - DUPLICATE_WINDOW_MS;
    const existing = (await deps.store.listReferrals({ receivedBy: provider.id })).find(
      (r) => r.id !== input.excludeId && r.prospect.email?.toLowerCase() === email && !isFinal(r.status) && Date.parse(r.createdAt) >= since,
    );
    if (existing) {
      throw new ConflictError(`${email} was already referred to ${provider.name} on ${existing.createdAt.slice(0, 10)} and that referral is still open`, {
        existingId: existing.id,
        url: `${deps.config.webBaseUrl.replace(/\/$/, '')}/referrals/${existing.id}`,
      });
    }
  }
  return { referrer, provider };
}

/**
 * Logs a referral from any door (web, API, email, reply): refusals first, then the referral and its
 * first steps, then the receipt and provider notice (or the needs-info question).
 * A repeated Idempotency-Key returns the first referral and sends nothing.
 */
export async function logReferral(deps: RelayDeps, input: NewReferral, opts: { via: Via; actorId: string; idempotencyKey?: string }): Promise<{ referral: Referral; created: boolean }> {
  if (opts.idempotencyKey) {
    // A repeated key answers with the first result before any rule is checked again.
    const first = await deps.store.getReferralByIdempotencyKey(opts.idempotencyKey);
    if (first) return { referral: first, created: false };
  }
  const group = await loadGroup(deps, input.groupId);
  await checkReferralAllowed(deps, { groupId: input.groupId, referrerId: input.referrerId, providerId: input.providerId, prospectEmail: input.prospect.email });
  // The pure core decides the first state, event and emails (core/decide.ts); here only the I/O.
  const change = decideCreate({ type: 'create', id: newId(), input, by: opts }, { now: deps.clock.now(), group });
  const planned = { referral: change.state, added: change.state.pending, removed: [] };
  await scheduleAdded(deps, planned);
  const { referral, created } = await deps.store.createReferral(planned.referral, opts.idempotencyKey);
  if (!created) {
    // The first request's steps are the real ones; drop the ones this retry planned.
    await cancelRemoved(deps, { ...planned, removed: planned.added });
    return { referral, created };
  }
  const delivered = await deliver(deps, referral, group, change.effects.emails, opts.via);
  await raiseReferralWebhooks(deps, undefined, referral);
  return { referral: delivered, created };
}
