/**
 * Raising webhook events: one delivery record per subscribed endpoint, with a deterministic id (a
 * hash of the event id and the endpoint), then its first attempt planned through the scheduler
 * (deterministic name). Raising the same event twice creates nothing new, so callers may repeat it.
 * No signing here: the api Lambda raises events without bundling the signing library.
 */
import { createHash } from 'node:crypto';
import type { Member, Referral } from '../domain/types.js';
import type { RelayDeps } from '../referrals/deps.js';
import type { WebhookDelivery, WebhookEndpoint } from '../store/referral-store.js';
import { memberData, referralData, referralEvents, webhookMessage } from './payloads.js';
import type { WebhookEvent } from './url-check.js';

type RaiseDeps = Pick<RelayDeps, 'store' | 'scheduler' | 'clock' | 'log'>;

/** The delivery id of an event at an endpoint: 24 hex digits, the same however often it is raised. */
export function deliveryIdFor(eventId: string, endpointId: string): string {
  return createHash('sha256').update(`${eventId}\n${endpointId}`).digest('hex').slice(0, 24);
}

/**
 * The endpoints that get an event: those subscribed to one of its types and already there when it
 * happened. Events are raised from the stream, a moment after the change: a webhook added in that
 * moment must not receive what happened before it existed. Pure.
 */
export function endpointsFor(endpoints: WebhookEndpoint[], types: readonly string[], occurredAt: string): WebhookEndpoint[] {
  const at = Date.parse(occurredAt);
  return endpoints.filter((e) => types.some((t) => e.events.includes(t)) && !(Date.parse(e.createdAt) > at));
}

/**
 * Records one delivery per endpoint of the group that subscribed to `type` (and existed at
 * `occurredAt`), and plans each first attempt now. Returns the deliveries created (none for a repeat).
 * @param eventId deterministic per event, e.g. `<referralId>.<version>.referral.won`
 */
export async function raiseWebhookEvent(deps: RaiseDeps, groupId: string, eventId: string, type: WebhookEvent, data: unknown, occurredAt: string, known?: WebhookEndpoint[]): Promise<WebhookDelivery[]> {
  const endpoints = endpointsFor(known ?? (await deps.store.listWebhooks(groupId)), [type], occurredAt);
  if (endpoints.length === 0) return [];
  const now = deps.clock.now();
  const message = webhookMessage(eventId, type, now, data);
  const created: WebhookDelivery[] = [];
  for (const endpoint of endpoints) {
    const delivery: WebhookDelivery = {
      id: deliveryIdFor(eventId, endpoint.id),
      groupId,
      endpointId: endpoint.id,
      url: endpoint.url,
      messageId: message.id,
      event: type,
      body: message.body,
      status: 'pending',
      attempts: 0,
      createdAt: now.toISOString(),
      version: 1,
    };
    if (!(await deps.store.createWebhookDelivery(delivery))) continue;
    await deps.scheduler.scheduleWebhookAttempt({ deliveryId: delivery.id, attempt: 1, due: now });
    created.push(delivery);
  }
  return created;
}

/** An item image from the stream, without its table keys: the record as the domain knows it. */
function fromItem<T>(item: object): T {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, gsi3pk: _e, gsi3sk: _f, ...rest } = item as Record<string, unknown>;
  return rest as T;
}

/**
 * A stored change of a referral, as the stream shows it: `referral.created` for a new one,
 * `referral.status_changed` (and `referral.won` / `referral.lost`) when its status moved. Called by
 * the stream handler only; a failure throws so the record is delivered again (raising is idempotent).
 * Members are read only when some endpoint of the group wants the event.
 */
export async function raiseReferralWebhooks(deps: RaiseDeps, before: Pick<Referral, 'status'> | undefined, afterItem: Referral): Promise<void> {
  const types = referralEvents(before, afterItem);
  if (types.length === 0) return;
  const after: Referral = { ...fromItem<Referral>(afterItem), timeline: [] };
  const occurredAt = after.updatedAt ?? after.createdAt;
  const endpoints = endpointsFor(await deps.store.listWebhooks(after.groupId), types, occurredAt);
  if (endpoints.length === 0) return;
  const ids = [after.referrerId, after.providerId].filter((x): x is string => !!x);
  const members = new Map((await Promise.all(ids.map((id) => deps.store.getMember(id)))).filter((m): m is Member => !!m).map((m) => [m.id, m]));
  const data = referralData(after, members, before && before.status !== after.status ? before.status : undefined);
  for (const type of types) {
    const eventId = type === 'referral.created' ? `${after.id}.created` : `${after.id}.${after.version}.${type}`;
    await raiseWebhookEvent(deps, after.groupId, eventId, type, data, occurredAt, endpoints);
  }
}

/** A member joined the group (one by one, by the API, the CLI or a roster import), as the stream shows it. */
export async function raiseMemberAdded(deps: RaiseDeps, memberItem: Member): Promise<void> {
  const member = fromItem<Member>(memberItem);
  await raiseWebhookEvent(deps, member.groupId, `member.${member.id}.added`, 'member.added', memberData(member), member.createdAt);
}
