import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  TransactionCanceledException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, InvalidCursorError, StaleWriteError } from '../../domain/errors.js';
import type { Group, Member, Referral } from '../../domain/types.js';
import { TABLE_KEYS, keys } from '../keys.js';
import type {
  ApiKeyRecord,
  CreateReferralResult,
  DeadLetter,
  Page,
  PageRequest,
  ReferralListQuery,
  ReferralStore,
  StoredStep,
  WebhookDelivery,
  WebhookEndpoint,
} from '../referral-store.js';
import { DEAD_LETTER_DAYS } from '../referral-store.js';

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
  private referralItem(r: Referral) {
    return {
      ...keys.referral(r.id),
      type: 'referral',
      gsi1pk: keys.groupReferrals(r.groupId),
      gsi1sk: `${r.createdAt}#${r.id}`,
      gsi2pk: keys.given(r.referrerId),
      gsi2sk: `${r.createdAt}#${r.id}`,
      ...(r.providerId ? { gsi3pk: keys.received(r.providerId), gsi3sk: `${r.createdAt}#${r.id}` } : {}),
      ...r,
    };
  }

  async createReferral(referral: Referral, idempotencyKey?: string): Promise<CreateReferralResult> {
    const put = { Put: { TableName: this.tableName, Item: this.referralItem(referral), ConditionExpression: 'attribute_not_exists(pk)' } };
    if (!idempotencyKey) {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [put] }));
      return { referral, created: true };
    }
    const idemKey = keys.once(`idem:${idempotencyKey}`);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            put,
            {
              Put: {
                TableName: this.tableName,
                Item: { ...idemKey, type: 'idempotency', referralId: referral.id, expiresAt: epochSeconds(new Date(Date.now() + 7 * 86400_000)) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { referral, created: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const seen = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: idemKey, ConsistentRead: true }));
      const first = seen.Item && (await this.getReferral(seen.Item.referralId as string));
      if (!first) throw err;
      return { referral: first, created: false };
    }
  }

  async getReferral(id: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.referral(id), ConsistentRead: true }));
    return strip<Referral>(res.Item);
  }

  async getReferralByIdempotencyKey(key: string) {
    const seen = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.once(`idem:${key}`), ConsistentRead: true }));
    return seen.Item ? this.getReferral(seen.Item.referralId as string) : undefined;
  }

  async updateReferral(referral: Referral) {
    const next = { ...referral, version: referral.version + 1 };
    await this.versionedPut(this.referralItem(next), referral.version, 'referral');
    return next;
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
    return items.map((i) => strip<Referral>(i)!);
  }

  // ---- steps (local scheduler) ----
  async putStep(step: StoredStep) {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.step(step.stepId), type: 'step', gsi1pk: keys.allSteps, gsi1sk: `${step.due}#${step.stepId}`, ...step } }),
    );
  }

  async deleteStep(stepId: string) {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.step(stepId) }));
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
    const address = email.toLowerCase();
    const wanted = [keys.once(`suppress:${address}`), ...(groupId ? [keys.once(`suppress:${groupId}:${address}`)] : [])];
    const res = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ProjectionExpression: 'pk' } } }));
    return (res.Responses?.[this.tableName] ?? []).length > 0;
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
      .map((i) => strip<Referral>(i)!)
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
    await client.send(new DescribeTableCommand({ TableName: tableName }));
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
