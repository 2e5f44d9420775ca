/**
 * The effects consumer: ONE handler for the table's stream records, fed by the DynamoDB Streams
 * Lambda in AWS (functions/effects.ts, through Powertools' batch processor) and locally by the
 * poller on DynamoDB Local's Streams API. It carries out what a stored change asked for:
 * - a referral state whose `pending` changed: schedule the added steps, cancel the removed ones
 *   (deterministic names, so a redelivered record schedules the same thing again);
 * - a new outbox item: send its email, idempotently by its id (see email-effect.ts).
 * Every other item (events, guards, members…) needs nothing.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { PendingStep } from '../domain/types.js';
import type { RelayDeps } from '../referrals/deps.js';
import { OUTBOX_PREFIX } from '../store/keys.js';
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
  if (sk === 'REF' && item?.type === 'referral') return syncSchedules(deps, prev, next);
  if (sk.startsWith(OUTBOX_PREFIX) && record.eventName === 'INSERT' && next) {
    await deliverEmailEffect(deps, next.referralId as string, next.effectId as string);
  }
}

/** The state item's `pending` list is the scheduling outbox: its diff is what to schedule and cancel. */
async function syncSchedules(deps: RelayDeps, prev: Item | undefined, next: Item | undefined): Promise<void> {
  const before = (prev?.pending as PendingStep[] | undefined) ?? [];
  const after = (next?.pending as PendingStep[] | undefined) ?? [];
  const referralId = (next ?? prev)!.id as string;
  for (const step of after) {
    const was = before.find((p) => p.id === step.id);
    if (was && was.due === step.due) continue;
    await deps.scheduler.schedule({ stepId: step.id, referralId, kind: step.kind, due: new Date(step.due) });
  }
  for (const step of before) {
    if (after.some((p) => p.id === step.id)) continue;
    // A cancel that fails is harmless: dispatch finds the step no longer pending and does nothing.
    await deps.scheduler.cancel(step.id).catch((err: unknown) => deps.log.warn('cancel failed; dispatch will skip it', { stepId: step.id, err: String(err) }));
  }
}
