/**
 * The effects consumer: ONE handler for the table's stream records, fed by the DynamoDB Streams
 * Lambda in AWS (functions/effects.ts, through Powertools' batch processor) and locally by the
 * poller on DynamoDB Local's Streams API. It carries out what a stored change asked for:
 * - a referral state whose `pending` changed: schedule the added steps, cancel the removed ones
 *   (deterministic names, so a redelivered record schedules the same thing again);
 * - a referral state that is new or whose status moved: raise its webhook events (referral.created,
 *   status_changed, won, lost), one delivery per subscribed endpoint with a deterministic id;
 * - a new member item: raise `member.added`;
 * - a new outbox item: send its email, idempotently by its id (see email-effect.ts).
 * The stored change itself is the outbox: the state item's old and new images say what to do, so no
 * request path raises anything after its write, and a crash between the write and the effect loses
 * nothing. Every other item (events, guards…) needs nothing. A failure throws, so the record is
 * delivered again (every effect here is idempotent).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Member, PendingStep, Referral } from '../domain/types.js';
import type { RelayDeps } from '../referrals/deps.js';
import { OUTBOX_PREFIX } from '../store/keys.js';
import { raiseMemberAdded, raiseReferralWebhooks } from '../webhooks/raise.js';
import { deliverEmailEffect } from './email-effect.js';

/** The part of a stream record the handler reads; both the Lambda event and GetRecords have this shape. */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown> };
}

type Item = Record<string, unknown>;
// Both feeds carry DynamoDB's attribute-value JSON; the Lambda event's type differs from the SDK's by name only.
const image = (raw: Record<string, unknown> | undefined): Item | undefined => (raw ? unmarshall(raw as Parameters<typeof unmarshall>[0]) : undefined);

export async function handleStreamRecord(deps: RelayDeps, record: StreamRecordLike): Promise<void> {
  const next = image(record.dynamodb?.NewImage);
  const prev = image(record.dynamodb?.OldImage);
  const item = next ?? prev;
  const sk = typeof item?.sk === 'string' ? item.sk : '';
  if (sk === 'REF' && item?.type === 'referral') {
    await syncSchedules(deps, prev, next);
    if (next) await raiseReferralWebhooks(deps, prev as Referral | undefined, next as unknown as Referral);
    return;
  }
  if (sk === 'MEMBER' && item?.type === 'member' && record.eventName === 'INSERT' && next) {
    await raiseMemberAdded(deps, next as unknown as Member);
    return;
  }
  if (sk.startsWith(OUTBOX_PREFIX) && record.eventName === 'INSERT' && next) {
    await deliverEmailEffect(deps, next.referralId as string, next.effectId as string);
  }
}

/** The state item's `pending` list is the scheduling outbox: its diff is what to schedule and cancel. */
async function syncSchedules(deps: RelayDeps, prev: Item | undefined, next: Item | undefined): Promise<void> {
  const before = (prev?.pending as PendingStep[] | undefined) ?? [];
  const after = (next?.pending as PendingStep[] | undefined) ?? [];
  const referralId = (next ?? prev)!.id as string;
  const planned = after
    .filter((step) => before.find((p) => p.id === step.id)?.due !== step.due)
    .map((step) => ({ stepId: step.id, referralId, kind: step.kind, due: new Date(step.due) }));
  if (planned.length > 1 && deps.scheduler.scheduleAll) await deps.scheduler.scheduleAll(planned);
  else for (const step of planned) await deps.scheduler.schedule(step);
  for (const step of before) {
    if (after.some((p) => p.id === step.id)) continue;
    // A cancel that fails is harmless: dispatch finds the step no longer pending and does nothing.
    await deps.scheduler.cancel(step.id).catch((err: unknown) => deps.log.warn('cancel failed; dispatch will skip it', { stepId: step.id, err: String(err) }));
  }
}
