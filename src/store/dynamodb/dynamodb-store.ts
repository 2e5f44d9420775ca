import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  TransactionCanceledException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, InvalidCursorError, StaleWriteError } from '../../domain/errors.js';
import type { Group, Member, Referral, TimelineEvent } from '../../domain/types.js';
import { partiesOf, recipientOf } from '../../referrals/effects.js';
import { fullTimeline } from '../../referrals/timelines.js';
import { newId } from '../../domain/ids.js';
import { EVENT_PREFIX, OUTBOX_PREFIX, TABLE_KEYS, keys } from '../keys.js';
import {
  GuardTakenError,
  ProspectChangedError,
  type ApiKeyRecord,
  type Guard,
  type DeadLetter,
  type OutboxEmail,
  type Page,
  type PageRequest,
  type ReferralListQuery,
  type ReferralStore,
  type ReferralWrite,
  type StoredStep,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../referral-store.js';
import { DEAD_LETTER_DAYS } from '../referral-store.js';
import { jitteredBackoff, sleep } from '../../domain/backoff.js';

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'expiresAt', 'type'];

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRS) delete out[k];
  return out as T;
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return false;
}

/** An address is suppressed everywhere (a complaint, a hard bounce) or in one group (its unsubscribe). */
const suppressionKeysOf = (address: string, groupId?: string) => [keys.once(`suppress:${address}`), ...(groupId ? [keys.once(`suppress:${groupId}:${address}`)] : [])];

/** A local scheduler's row: one per pending step, found by due time through gsi1. */
const stepItem = (step: StoredStep) => ({ ...keys.step(step.stepId), type: 'step', gsi1pk: keys.allSteps, gsi1sk: `${step.due}#${step.stepId}`, ...step });

/** The keys of some members, each once. */
const memberKeys = (ids: string[]) => [...new Set(ids)].map((id) => keys.member(id));

/** The group and members among items read together. */
function partiesIn(found: Record<string, unknown>[]): { group?: Group; members: Map<string, Member> } {
  const group = found.find((i) => i.type === 'group');
  return { group: strip<Group>(group), members: new Map(found.filter((i) => i.type === 'member').map((i) => [i.id as string, strip<Member>(i)!])) };
}

/** A state item as a Referral; an item still in the old shape keeps its embedded timeline. */
function asReferral(item: Record<string, unknown>): Referral {
  const r = strip<Referral>(item)!;
  return { ...r, timeline: Array.isArray(item.timeline) ? (item.timeline as TimelineEvent[]) : [] };
}

const PARTY_WORD: Record<string, string> = { provider: 'the provider', referrer: 'the referrer', prospect: 'the prospect' };

/** How an email that could not be sent yet shows on the timeline: never silently missing. */
export function failingEvent(f: OutboxEmail): TimelineEvent {
  const what = `${f.intent.kind.replace(/_/g, ' ')} email to ${PARTY_WORD[f.intent.to] ?? f.intent.to}`;
  const since = (f.failingSince ?? f.createdAt).slice(0, 16).replace('T', ' ');
  return {
    at: f.failingSince ?? f.createdAt,
    type: 'email',
    via: f.via,
    actor: 'system',
    kind: f.intent.kind,
    delivery: f.status === 'parked' ? 'parked' : 'failing',
    text:
      f.status === 'parked'
        ? `${what} failing since ${since} UTC; retries stopped, kept for an admin (${f.lastError ?? 'unknown error'})`
        : `${what} failing since ${since} UTC, retrying${f.nextAttemptAt ? ` at ${f.nextAttemptAt.slice(11, 16)} UTC` : ''}`,
  };
}

/** Puts items in BatchWriteItems of 25, retrying what DynamoDB leaves unprocessed. */
async function putAll(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  const puts = items.map((Item) => ({ PutRequest: { Item } }));
  for (let i = 0; i < puts.length; i += 25) {
    let batch: Record<string, unknown>[] | undefined = puts.slice(i, i + 25);
    for (let attempt = 0; batch && batch.length > 0; attempt++) {
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch as never } }));
      batch = res.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
      if (batch?.length) await sleep(jitteredBackoff(attempt, { baseMs: 50, capMs: 1000 }));
    }
  }
}

/**
 * Moves one referral from the old shape (timeline inside the item) to the current one: the events
 * first, under deterministic keys (re-running writes the same items), then the state loses its
 * timeline, only if it is still the version that was read. Idempotent and resumable.
 */
export async function migrateReferralItem(doc: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>): Promise<'migrated' | 'current'> {
  if (!Array.isArray(item.timeline)) return 'current';
  const id = item.id as string;
  const events = item.timeline as TimelineEvent[];
  await putAll(doc, tableName, events.map((event, i) => ({ ...keys.event(id, i + 1), type: 'event', event })));
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.referral(id),
        UpdateExpression: 'REMOVE timeline SET eventSeq = :n',
        ConditionExpression: 'version = :v AND attribute_exists(timeline)',
        ExpressionAttributeValues: { ':n': events.length, ':v': item.version },
      }),
    );
  } catch (err) {
    // Someone else migrated it meanwhile (same events, same keys): done either way.
    if (!isConditionFailure(err)) throw err;
  }
  return 'migrated';
}

/** The one implementation of the ledger port: everything in a single DynamoDB table. */
export class DynamoDbReferralStore implements ReferralStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
  }

  // ---- groups ----
  async createGroup(group: Group): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.once(`slug:${group.slug}`), type: 'slug', groupId: group.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: this.groupItem(group), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`A group with slug "${group.slug}" already exists`);
      throw err;
    }
  }

  private groupItem(group: Group) {
    return {
      ...keys.group(group.id),
      type: 'group',
      gsi1pk: keys.groupSlug(group.slug),
      gsi1sk: 'GROUP',
      gsi2pk: keys.allGroups,
      gsi2sk: group.createdAt,
      ...group,
    };
  }

  async getGroup(id: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.group(id), ConsistentRead: true }));
    return strip<Group>(res.Item);
  }

  async getGroupBySlug(slug: string) {
    const items = await this.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.groupSlug(slug) } });
    return strip<Group>(items[0]);
  }

  async listGroups() {
    const items = await this.query({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': keys.allGroups } });
    return items.map((i) => strip<Group>(i)!);
  }

  async updateGroup(group: Group) {
    const next = { ...group, version: group.version + 1 };
    await this.versionedPut(this.groupItem(next), group.version, 'group');
    return next;
  }

  // ---- members ----
  private memberItem(m: Member) {
    return { ...keys.member(m.id), type: 'member', gsi1pk: keys.groupMembers(m.groupId), gsi1sk: m.name.toLowerCase(), ...m };
  }

  private addressPut(m: Member, email: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.address(m.groupId, email), type: 'address', gsi2pk: keys.addressIndex(email), gsi2sk: m.groupId, memberId: m.id, email: email.toLowerCase() },
        ConditionExpression: 'attribute_not_exists(pk) OR memberId = :m',
        ExpressionAttributeValues: { ':m': m.id },
      },
    };
  }

  private static addresses(m: Member): string[] {
    return [...new Set([m.email, ...m.extraAddresses].map((a) => a.toLowerCase()))];
  }

  private memberPuts(member: Member) {
    return [
      { Put: { TableName: this.tableName, Item: this.memberItem(member), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...DynamoDbReferralStore.addresses(member).map((a) => this.addressPut(member, a)),
    ];
  }

  async createMember(member: Member) {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: this.memberPuts(member) }));
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`${member.email} (or one of the addresses) is already a member of this group`);
      throw err;
    }
  }

  async createMembers(members: Member[]) {
    const items = members.flatMap((m) => this.memberPuts(m));
    if (items.length > 100) throw new RangeError('createMembers: at most 100 items (member and address claims) per call');
    if (!items.length) return;
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError('One of these addresses is already a member of this group');
      throw err;
    }
  }

  async getMember(id: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.member(id), ConsistentRead: true }));
    return strip<Member>(res.Item);
  }

  async getGroupAndMembers(groupId: string, memberIds: string[]) {
    const found = await this.batchGetConsistent([keys.group(groupId), ...memberKeys(memberIds)]);
    return partiesIn(found);
  }

  async getReferralAndParties(referralId: string, groupId: string, memberIds: string[], suppressionOf?: string) {
    const address = suppressionOf?.toLowerCase();
    const suppressionKeys = address ? suppressionKeysOf(address, groupId) : [];
    const found = await this.batchGetConsistent([keys.referral(referralId), keys.group(groupId), ...memberKeys(memberIds), ...suppressionKeys]);
    const stateKey = keys.referral(referralId);
    const item = found.find((i) => i.pk === stateKey.pk && i.sk === stateKey.sk);
    // A referral still in the old one-item shape is migrated by getReferralState.
    const referral = item && (Array.isArray(item.timeline) ? await this.getReferralState(referralId) : asReferral(item));
    const suppression = address ? { address, suppressed: found.some((i) => suppressionKeys.some((k) => k.pk === i.pk && k.sk === i.sk)) } : undefined;
    return { referral, ...partiesIn(found), ...(suppression ? { suppression } : {}) };
  }

  /** A BatchGetItem with consistent reads, retrying what DynamoDB leaves unprocessed. */
  private async batchGetConsistent(wanted: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    // BatchGetItem takes at most 100 keys a call.
    for (let from = 0; from < wanted.length; from += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = { [this.tableName]: { Keys: wanted.slice(from, from + 100), ConsistentRead: true } };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await sleep(jitteredBackoff(attempt, { baseMs: 20, capMs: 500 }));
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...((res.Responses?.[this.tableName] ?? []) as Record<string, unknown>[]));
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async listMembers(groupId: string) {
    const items = await this.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.groupMembers(groupId) } });
    return items.map((i) => strip<Member>(i)!);
  }

  async findMemberByAddress(groupId: string, email: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.address(groupId, email), ConsistentRead: true }));
    if (!res.Item) return undefined;
    return this.getMember(res.Item.memberId as string);
  }

  async findMembersByEmail(email: string) {
    const items = await this.query({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': keys.addressIndex(email) } });
    const members = await Promise.all(items.map((i) => this.getMember(i.memberId as string)));
    return members.filter((m): m is Member => !!m);
  }

  async updateMember(member: Member) {
    const before = await this.getMember(member.id);
    if (!before) throw new StaleWriteError('member');
    if (before.version !== member.version) throw new StaleWriteError('member');
    const next = { ...member, version: member.version + 1 };
    const oldAddrs = DynamoDbReferralStore.addresses(before);
    const newAddrs = DynamoDbReferralStore.addresses(next);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: this.memberItem(next),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': member.version },
              },
            },
            ...newAddrs.filter((a) => !oldAddrs.includes(a)).map((a) => this.addressPut(next, a)),
            ...oldAddrs
              .filter((a) => !newAddrs.includes(a))
              .map((a) => ({ Delete: { TableName: this.tableName, Key: keys.address(member.groupId, a) } })),
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const reasons = err.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new StaleWriteError('member');
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new ConflictError('That address belongs to another member of this group');
      }
      throw err;
    }
    return next;
  }

  // ---- api keys ----
  async putApiKey(hash: string, record: ApiKeyRecord) {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKey(hash), type: 'apikey', ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async getApiKey(hash: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(hash) }));
    return strip<ApiKeyRecord>(res.Item);
  }

  // ---- referrals ----
  /** The state item: the referral without its timeline (events are items of their own). */
  private referralItem(r: Referral) {
    const { timeline: _events, ...state } = r;
    return {
      ...keys.referral(r.id),
      type: 'referral',
      gsi1pk: keys.groupReferrals(r.groupId),
      gsi1sk: `${r.createdAt}#${r.id}`,
      gsi2pk: keys.given(r.referrerId),
      gsi2sk: `${r.createdAt}#${r.id}`,
      ...(r.providerId ? { gsi3pk: keys.received(r.providerId), gsi3sk: `${r.createdAt}#${r.id}` } : {}),
      ...state,
      eventSeq: r.eventSeq ?? 0,
    };
  }

  async commitReferral(write: ReferralWrite): Promise<Referral> {
    const { state, expectedVersion } = write;
    const T = this.tableName;
    let seq = state.eventSeq ?? 0;
    const eventPuts = write.events.map((event) => {
      seq += 1;
      return { Put: { TableName: T, Item: { ...keys.event(state.id, seq), type: 'event', event }, ConditionExpression: 'attribute_not_exists(pk)' } };
    });
    const next: Referral = { ...state, eventSeq: seq, version: expectedVersion + 1, timeline: [] };
    const outboxPuts = write.emails.map(({ intent, via }, i) => {
      const recipientId = recipientOf(state, intent);
      const effect: OutboxEmail = {
        effectId: `${state.id}.${next.version}.${i + 1}`,
        referralId: state.id,
        groupId: state.groupId,
        intent,
        via,
        people: partiesOf(state, intent),
        ...(recipientId ? { recipientId } : {}),
        eventAfter: seq,
        version: next.version,
        n: i + 1,
        status: 'pending',
        attempts: 0,
        createdAt: write.now.toISOString(),
      };
      return { Put: { TableName: T, Item: { ...keys.outbox(state.id, effect.effectId), type: 'outbox', ...effect }, ConditionExpression: 'attribute_not_exists(pk)' } };
    });
    const guardPuts = write.guards.map((g) => ({
      Put: {
        TableName: T,
        Item: { ...keys.once(g.key), type: 'guard', ...(g.data ?? {}), ...(g.expiresAt ? { expiresAt: epochSeconds(g.expiresAt) } : {}) },
        // An expired guard may linger until DynamoDB's TTL sweep removes it: it counts as free.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': epochSeconds(write.now) },
      },
    }));
    const statePut = {
      Put: {
        TableName: T,
        Item: this.referralItem(next),
        // attribute_not_exists(timeline): an item still in the old one-item shape is migrated first.
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v AND attribute_not_exists(timeline)', ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    let releases = write.releases ?? [];
    for (;;) {
      const releaseDeletes = releases.map((key) => ({
        Delete: { TableName: T, Key: keys.once(key), ConditionExpression: 'attribute_not_exists(pk) OR referralId = :r', ExpressionAttributeValues: { ':r': state.id } },
      }));
      const items = [statePut, ...eventPuts, ...outboxPuts, ...guardPuts, ...releaseDeletes];
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return next;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
        if (reasons.some((r) => r.Code === 'TransactionConflict') || failed(0)) throw new StaleWriteError('referral');
        const guardAt = 1 + eventPuts.length + outboxPuts.length;
        const takenGuard = write.guards.findIndex((_, i) => failed(guardAt + i));
        if (takenGuard >= 0) throw new GuardTakenError(write.guards[takenGuard]!.key);
        const releaseAt = guardAt + guardPuts.length;
        const held = releases.filter((_, i) => failed(releaseAt + i));
        // A released key now held by another referral is theirs: keep it and write the rest.
        if (held.length > 0) {
          releases = releases.filter((k) => !held.includes(k));
          continue;
        }
        throw err;
      }
    }
  }

  async getGuard(key: string, now: Date) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.once(key), ConsistentRead: true }));
    if (!res.Item) return undefined;
    if (typeof res.Item.expiresAt === 'number' && res.Item.expiresAt < epochSeconds(now)) return undefined;
    return strip<Record<string, string>>(res.Item);
  }

  async getReferralState(id: string): Promise<Referral | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.referral(id), ConsistentRead: true }));
    if (!res.Item) return undefined;
    if (Array.isArray(res.Item.timeline)) {
      await migrateReferralItem(this.doc, this.tableName, res.Item);
      return this.getReferralState(id);
    }
    return asReferral(res.Item);
  }

  async getReferral(id: string) {
    const state = await this.getReferralState(id);
    return state && { ...state, timeline: await fullTimeline(this, id) };
  }

  async getTimeline(id: string, page: { limit?: number; after?: string } = {}) {
    const limit = Math.min(Math.max(page.limit ?? 100, 1), 500);
    const after = page.after && /^EV#\d{10}(#\d{9}#\d{2})?$/.test(page.after) ? page.after : undefined;
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':p': keys.referral(id).pk, ':from': EVENT_PREFIX, ':to': `${EVENT_PREFIX}~` },
        ExclusiveStartKey: after ? { pk: keys.referral(id).pk, sk: after } : undefined,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const items = (res.Items ?? []) as { sk: string; event: TimelineEvent }[];
    const last = items.at(-1)?.sk;
    const next = res.LastEvaluatedKey ? last : undefined;
    // Emails not sent yet because sending failed are shown where their event will be.
    const failing = (await this.referralEffects(id)).filter((e) => e.status === 'failing' || e.status === 'parked');
    const entries: { sk: string; event: TimelineEvent }[] = [...items];
    for (const f of failing) {
      const sk = keys.emailEvent(id, f.eventAfter, f.version, f.n).sk;
      if ((after && sk <= after) || (next && sk > next)) continue;
      entries.push({ sk, event: failingEvent(f) });
    }
    entries.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    return { events: entries.map((e) => e.event), ...(next ? { next } : {}) };
  }

  private async referralEffects(referralId: string): Promise<OutboxEmail[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :o)',
      ExpressionAttributeValues: { ':p': keys.referral(referralId).pk, ':o': OUTBOX_PREFIX },
      ConsistentRead: true,
    });
    return items.map((i) => strip<OutboxEmail>(i)!);
  }

  async rewriteTimeline(id: string, rewrite: (e: TimelineEvent) => TimelineEvent) {
    const items = await this.query({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.referral(id).pk, ':from': EVENT_PREFIX, ':to': `${EVENT_PREFIX}~` },
      ConsistentRead: true,
    });
    for (const item of items) {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...item, event: rewrite(item.event as TimelineEvent) } }));
    }
  }

  // ---- outbox ----
  async getEmailEffect(referralId: string, effectId: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.outbox(referralId, effectId), ConsistentRead: true }));
    return strip<OutboxEmail>(res.Item);
  }

  async claimEmailEffect(referralId: string, effectId: string, leaseUntil: Date, realNow: Date, claimToken: string = newId(16)) {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outbox(referralId, effectId),
          UpdateExpression: 'SET #s = :sending, leaseUntil = :lease, claimToken = :token, attempts = attempts + :one',
          // The same claim again (the SDK resending a call whose answer was lost) finds its own token
          // and succeeds, instead of waiting out a lease it holds itself.
          ConditionExpression:
            'attribute_exists(pk) AND ((#s IN (:pending, :failing, :sending) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)) OR (#s = :sending AND claimToken = :token))',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':failing': 'failing',
            ':lease': leaseUntil.getTime(),
            ':now': realNow.getTime(),
            ':one': 1,
            ':token': claimToken,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<OutboxEmail>(res.Attributes);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async finishEmailEffect(effect: OutboxEmail, outcome: { status: 'sent' | 'skipped'; event: TimelineEvent; messageId?: string }, prospectName?: string) {
    const T = this.tableName;
    const done = new Date();
    const prospectCheck =
      prospectName === undefined
        ? []
        : [{ ConditionCheck: { TableName: T, Key: keys.referral(effect.referralId), ConditionExpression: 'prospect.#pn = :pn', ExpressionAttributeNames: { '#pn': 'name' }, ExpressionAttributeValues: { ':pn': prospectName } } }];
    try {
      await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: T,
              Key: keys.outbox(effect.referralId, effect.effectId),
              UpdateExpression: `SET #s = :st, finishedAt = :at, expiresAt = :ttl${outcome.messageId ? ', messageId = :m' : ''} REMOVE leaseUntil, gsi1pk, gsi1sk, nextAttemptAt`,
              ConditionExpression: '#s = :sending',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':st': outcome.status,
                ':sending': 'sending',
                ':at': outcome.event.at,
                // Done effects stay a while for redelivered records to find, then expire.
                ':ttl': epochSeconds(done) + 30 * 86_400,
                ...(outcome.messageId ? { ':m': outcome.messageId } : {}),
              },
            },
          },
          { Put: { TableName: T, Item: { ...keys.emailEvent(effect.referralId, effect.eventAfter, effect.version, effect.n), type: 'event', event: outcome.event } } },
          ...prospectCheck,
        ],
      }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[2]?.Code === 'ConditionalCheckFailed') throw new ProspectChangedError(effect.referralId);
      throw err;
    }
  }

  async failEmailEffect(effect: OutboxEmail, failure: { at: Date; error: string; nextAttemptAt?: Date }) {
    const since = effect.failingSince ?? failure.at.toISOString();
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outbox(effect.referralId, effect.effectId),
        UpdateExpression: 'SET #s = :st, failingSince = :since, lastError = :e, gsi1pk = :g, gsi1sk = :gs' + (failure.nextAttemptAt ? ', nextAttemptAt = :next' : '') + ' REMOVE leaseUntil' + (failure.nextAttemptAt ? '' : ', nextAttemptAt'),
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':st': failure.nextAttemptAt ? 'failing' : 'parked',
          ':sending': 'sending',
          ':since': since,
          ':e': failure.error.slice(0, 500),
          ':g': keys.groupFailingEmails(effect.groupId),
          ':gs': `${since}#${effect.effectId}`,
          ...(failure.nextAttemptAt ? { ':next': failure.nextAttemptAt.toISOString() } : {}),
        },
      }),
    );
  }

  async listFailingEmails(groupId: string) {
    const items = await this.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.groupFailingEmails(groupId) } });
    return items.map((i) => strip<OutboxEmail>(i)!);
  }

  async listReferrals(query: { groupId: string } | { givenBy: string } | { receivedBy: string }) {
    const [index, value] =
      'groupId' in query
        ? ['gsi1', keys.groupReferrals(query.groupId)]
        : 'givenBy' in query
          ? ['gsi2', keys.given(query.givenBy)]
          : ['gsi3', keys.received(query.receivedBy)];
    const items = await this.query({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p`,
      ExpressionAttributeValues: { ':p': value },
      ScanIndexForward: false,
    });
    return items.map((i) => asReferral(i));
  }

  // ---- steps (local scheduler) ----
  async putStep(step: StoredStep) {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: stepItem(step) }));
  }

  async putSteps(steps: StoredStep[]) {
    await putAll(this.doc, this.tableName, steps.map(stepItem));
  }

  async deleteStep(stepId: string, onlyIfDue?: string) {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.step(stepId),
          ...(onlyIfDue ? { ConditionExpression: 'attribute_not_exists(pk) OR due = :d', ExpressionAttributeValues: { ':d': onlyIfDue } } : {}),
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async listDueSteps(until: Date, limit = 100) {
    const items = await this.query(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :u',
        ExpressionAttributeValues: { ':p': keys.allSteps, ':u': `${until.toISOString()}#~` },
      },
      limit,
    );
    return items.map((i) => strip<StoredStep>(i)!);
  }

  // ---- claims ----
  async claimOnce(key: string, expiresAt?: Date, now: Date = new Date()) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.once(key), type: 'once', ...(expiresAt ? { expiresAt: epochSeconds(expiresAt) } : {}) },
          // An expired marker may linger until DynamoDB's TTL sweep removes it: treat it as gone.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async countInWindow(key: string, n: number, limit: number, expiresAt: Date) {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateCounter(key),
          UpdateExpression: 'ADD hits :n SET #type = :type, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(hits) OR hits <= :room',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':n': n, ':room': limit - n, ':type': 'rate', ':exp': epochSeconds(expiresAt) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async releaseOnce(key: string) {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.once(key) }));
  }

  // ---- tokens ----
  async putToken(hash: string, data: Record<string, string>, expiresAt: Date) {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.token(hash), type: 'token', data, validUntil: expiresAt.toISOString(), expiresAt: epochSeconds(expiresAt) + 86400 } }),
    );
  }

  async takeToken(hash: string, now: Date) {
    try {
      const res = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.token(hash),
          ConditionExpression: 'attribute_exists(pk) AND validUntil > :now',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return res.Attributes?.data as Record<string, string> | undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async readToken(hash: string, now: Date) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.token(hash), ConsistentRead: true }));
    const item = res.Item as { data?: Record<string, string>; validUntil?: string } | undefined;
    return item?.data && item.validUntil && item.validUntil > now.toISOString() ? item.data : undefined;
  }

  async dropToken(hash: string) {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.token(hash) }));
  }

  // ---- suppression ----
  async suppress(email: string, reason: string, at: Date, groupId?: string) {
    const address = email.toLowerCase();
    const key = groupId ? `suppress:${groupId}:${address}` : `suppress:${address}`;
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.once(key), type: 'suppression', email: address, groupId, reason, at: at.toISOString() } }));
  }

  async isSuppressed(email: string, groupId?: string) {
    return (await this.suppressedAmong([email], groupId)).size > 0;
  }

  async suppressedAmong(emails: readonly string[], groupId?: string) {
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))].map((address) => ({ address, keys: suppressionKeysOf(address, groupId) }));
    const found = new Set((await this.batchGetConsistent(wanted.flatMap((w) => w.keys))).map((item) => item.pk as string));
    return new Set(wanted.filter((w) => w.keys.some((k) => found.has(k.pk))).map((w) => w.address));
  }

  // ---- dead letters ----
  async putDeadLetter(letter: DeadLetter) {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.deadLetter(letter.id),
          type: 'dead',
          gsi1pk: keys.groupDeadLetters(letter.groupId ?? 'none'),
          gsi1sk: letter.receivedAt,
          expiresAt: epochSeconds(new Date(Date.parse(letter.receivedAt) + DEAD_LETTER_DAYS * 86_400_000)),
          ...letter,
        },
      }),
    );
  }

  async listDeadLetters(groupId: string, now: Date = new Date()) {
    const items = await this.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.groupDeadLetters(groupId) }, ScanIndexForward: false });
    return items.filter((i) => typeof i.expiresAt !== 'number' || i.expiresAt > now.getTime() / 1000).map((i) => strip<DeadLetter>(i)!);
  }

  async deleteDeadLetter(id: string) {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.deadLetter(id) }));
  }

  // ---- pages: keyset cursors, so a list never has to be read whole ----
  async listReferralsPage(query: ReferralListQuery, page: PageRequest & { status?: string }): Promise<Page<Referral>> {
    // Every referral index sorts on `<createdAt>#<id>`: unique, so "older than the last one shown"
    // continues any of them, and given + received merge into one newest-first order.
    const before = page.after === undefined ? undefined : decodeCursor(page.after, (c): c is string => typeof c === 'string' && /^\d{4}-[\d\-T:.Z]+#[a-z0-9]{16}$/.test(c));
    const indexes: Array<[string, string]> =
      'groupId' in query
        ? [['gsi1', keys.groupReferrals(query.groupId)]]
        : 'givenBy' in query
          ? [['gsi2', keys.given(query.givenBy)]]
          : 'receivedBy' in query
            ? [['gsi3', keys.received(query.receivedBy)]]
            : [['gsi2', keys.given(query.involving)], ['gsi3', keys.received(query.involving)]];
    const batches = await Promise.all(
      indexes.map(([index, value]) =>
        this.query(
          {
            IndexName: index,
            KeyConditionExpression: `${index}pk = :p${before ? ` AND ${index}sk < :before` : ''}`,
            ...(page.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
            ExpressionAttributeValues: { ':p': value, ...(before ? { ':before': before } : {}), ...(page.status ? { ':status': page.status } : {}) },
            ScanIndexForward: false,
          },
          page.limit + 1,
        ),
      ),
    );
    const sortKey = (r: Referral) => `${r.createdAt}#${r.id}`;
    const seen = new Set<string>();
    const merged = batches
      .flat()
      .map((i) => asReferral(i))
      .filter((r) => !seen.has(r.id) && seen.add(r.id))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
    const items = merged.slice(0, page.limit);
    return { items, ...(merged.length > page.limit ? { after: encodeCursor(sortKey(items.at(-1)!)) } : {}) };
  }

  async listMembersPage(groupId: string, page: PageRequest & { activeOnly?: boolean }): Promise<Page<Member>> {
    const gsi1pk = keys.groupMembers(groupId);
    const start = page.after === undefined ? undefined : decodeCursor(page.after, (c): c is [string, string] => Array.isArray(c) && c.length === 2 && c.every((v) => typeof v === 'string'));
    return this.keyPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ...(page.activeOnly ? { FilterExpression: '#status = :active', ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: { ':p': gsi1pk, ...(page.activeOnly ? { ':active': 'active' } : {}) },
        // Rebuilt from the caller's own group, so a cursor can never reach into another partition.
        ...(start ? { ExclusiveStartKey: { ...keys.member(start[0]), gsi1pk, gsi1sk: start[1] } } : {}),
      },
      page.limit,
      (m: Member) => [m.id, m.name.toLowerCase()],
    );
  }

  async listDeadLettersPage(groupId: string, page: PageRequest, now: Date = new Date()): Promise<Page<DeadLetter>> {
    const gsi1pk = keys.groupDeadLetters(groupId);
    const start = page.after === undefined ? undefined : decodeCursor(page.after, (c): c is [string, string] => Array.isArray(c) && c.length === 2 && c.every((v) => typeof v === 'string'));
    return this.keyPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        // Past their TTL: DynamoDB deletes them up to days late, DynamoDB Local never.
        FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
        ExpressionAttributeValues: { ':p': gsi1pk, ':now': Math.floor(now.getTime() / 1000) },
        ScanIndexForward: false,
        ...(start ? { ExclusiveStartKey: { ...keys.deadLetter(start[0]), gsi1pk, gsi1sk: start[1] } } : {}),
      },
      page.limit,
      (l: DeadLetter) => [l.id, l.receivedAt],
    );
  }

  /** Reads up to `limit` + 1 items from where the input starts; the extra one only says "there is more". */
  private async keyPage<T>(input: Omit<QueryCommandInput, 'TableName'>, limit: number, cursorOf: (item: T) => [string, string]): Promise<Page<T>> {
    const read = (await this.query(input, limit + 1)).map((i) => strip<T>(i)!);
    const items = read.slice(0, limit);
    return { items, ...(read.length > limit ? { after: encodeCursor(cursorOf(items.at(-1)!)) } : {}) };
  }

  async putWebhook(webhook: WebhookEndpoint) {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.webhook(webhook.groupId, webhook.id), type: 'webhook', ...webhook }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async listWebhooks(groupId: string) {
    const items = await this.query({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': keys.group(groupId).pk, ':s': keys.webhookPrefix } });
    return items.map((i) => strip<WebhookEndpoint>(i)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async deleteWebhook(groupId: string, id: string) {
    const res = await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.webhook(groupId, id), ReturnValues: 'ALL_OLD' }));
    return !!res.Attributes;
  }

  async createWebhookDelivery(delivery: WebhookDelivery) {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async getWebhookDelivery(id: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(id), ConsistentRead: true }));
    return strip<WebhookDelivery>(res.Item);
  }

  async updateWebhookDelivery(delivery: WebhookDelivery) {
    const next = { ...delivery, version: delivery.version + 1 };
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.deliveryItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': delivery.version } }));
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw new StaleWriteError('webhook delivery changed meanwhile');
      throw err;
    }
    return next;
  }

  async listWebhookDeliveries(groupId: string, limit = 100) {
    const items = await this.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.groupWebhookDeliveries(groupId) }, ScanIndexForward: false }, limit);
    return items.slice(0, limit).map((i) => strip<WebhookDelivery>(i)!);
  }

  /** Sent deliveries expire after 30 days (TTL); failing and parked ones stay until resent or removed. */
  private deliveryItem(d: WebhookDelivery) {
    const expiresAt = d.sentAt ? Math.floor(Date.parse(d.sentAt) / 1000) + 30 * 86_400 : undefined;
    return { ...keys.webhookDelivery(d.id), type: 'webhook_delivery', gsi1pk: keys.groupWebhookDeliveries(d.groupId), gsi1sk: `${d.createdAt}#${d.id}`, ...(expiresAt ? { expiresAt } : {}), ...d };
  }

  async migrateLegacyReferrals(now: Date, duplicateKeyOf: (r: Referral) => Guard | undefined) {
    let scanned = 0;
    let migrated = 0;
    let duplicateKeys = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#t = :referral AND attribute_exists(timeline)',
          ExpressionAttributeNames: { '#t': 'type' },
          ExpressionAttributeValues: { ':referral': 'referral' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of (page.Items ?? []) as Record<string, unknown>[]) {
        scanned += 1;
        const referral = asReferral(item);
        const guard = duplicateKeyOf(referral);
        if (guard) {
          try {
            await this.doc.send(
              new PutCommand({
                TableName: this.tableName,
                Item: { ...keys.once(guard.key), type: 'guard', ...(guard.data ?? {}), ...(guard.expiresAt ? { expiresAt: epochSeconds(guard.expiresAt) } : {}) },
                ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': epochSeconds(now) },
              }),
            );
            duplicateKeys += 1;
          } catch (err) {
            if (!isConditionFailure(err)) throw err;
          }
        }
        if ((await migrateReferralItem(this.doc, this.tableName, item)) === 'migrated') migrated += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { scanned, migrated, duplicateKeys };
  }

  async ping() {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }

  // ---- helpers ----
  private async versionedPut(item: Record<string, unknown>, expectedVersion: number, what: string) {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new StaleWriteError(what);
      throw err;
    }
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>, limit?: number) {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined = input.ExclusiveStartKey;
    do {
      const res = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start, ...(limit ? { Limit: limit } : {}) }));
      out.push(...((res.Items ?? []) as Record<string, unknown>[]));
      start = res.LastEvaluatedKey;
      if (limit && out.length >= limit) break;
    } while (start);
    return out;
  }
}

const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The value inside a cursor we made, or InvalidCursorError for anything else. */
function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!isValid(value)) throw new InvalidCursorError();
  return value;
}

/** Creates the table (same keys as infra/) when it does not exist yet. Local use only. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table made before the outbox: its stream feeds the effects consumer now.
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    }
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const attrs = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const g of TABLE_KEYS.gsis) {
    attrs.add(g.partitionKey);
    attrs.add(g.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_KEYS.gsis.map((g) => ({
          IndexName: g.name,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (err) {
    // Two processes starting at once: the other one created it.
    if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
  }
  await client
    .send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true } }))
    .catch(() => undefined); // DynamoDB Local accepts TTL settings but never sweeps; expiry is also checked in code
}
