/**
 * What a webhook says: `{type, timestamp, data}` per Standard Webhooks. Referral data is the
 * referrer's view (no private notes, no closed value unless shared), without the timeline and the
 * pending steps, which are internal. Pure.
 */
import type { Member, Referral } from '../domain/types.js';
import { memberView, referralView } from '../referrals/view.js';
import type { WebhookEvent } from './url-check.js';

export interface WebhookMessage {
  /** Stable per event (the idempotency key receivers dedupe on): the same on every retry. */
  id: string;
  type: WebhookEvent;
  body: string;
}

/** The events a change of a referral raises: created, a status change, and won/lost on top of it. */
export function referralEvents(before: Pick<Referral, 'status'> | undefined, after: Pick<Referral, 'status'>): WebhookEvent[] {
  if (!before) return ['referral.created'];
  if (before.status === after.status) return [];
  const events: WebhookEvent[] = ['referral.status_changed'];
  if (after.status === 'won') events.push('referral.won');
  if (after.status === 'lost') events.push('referral.lost');
  return events;
}

/** The referral as a webhook shows it: the referrer's redaction, no timeline, no pending steps. */
export function referralData(referral: Referral, members: Map<string, Member>, previousStatus?: string) {
  const { timeline: _timeline, pending: _pending, ...view } = referralView(referral, 'referrer', members) as ReturnType<typeof referralView> & { timeline?: unknown; pending?: unknown };
  return previousStatus ? { ...view, previousStatus } : view;
}

/** A member as a webhook shows it: what any member of the group sees in the directory. */
export const memberData = (member: Member) => memberView(member, { self: false, admin: false });

/**
 * One message. `id` must be deterministic for the event (e.g. `<referralId>.<version>.<type>`), so a
 * redelivered stream record produces the same message and the receiver can drop the repeat.
 */
export function webhookMessage(id: string, type: WebhookEvent, at: Date, data: unknown): WebhookMessage {
  return { id: `msg_${id}`, type, body: JSON.stringify({ type, timestamp: at.toISOString(), data }) };
}
