/**
 * `relay migrate` on data in the one-item shape written by the version before the outbox: each
 * referral item held its whole timeline. The old items are written here exactly as that version's
 * store wrote them (its `referralItem`: keys, the three index keys, then the referral itself).
 */
import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { ConflictError } from '../../../src/domain/errors.js';
import { newId } from '../../../src/domain/ids.js';
import type { Referral, TimelineEvent } from '../../../src/domain/types.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { performAction } from '../../../src/referrals/engine.js';
import { logReferral } from '../../../src/referrals/log-referral.js';
import { migrate } from '../../../src/referrals/migrate.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { ensureTable } from '../../../src/store/dynamodb/dynamodb-store.js';
import { env } from '../harness.js';

const TABLE = 'migrate-test';
const d = buildLocalDeps(readLocalConfig({ ...env, TABLE_NAME: TABLE }), silentLogger);
const doc = DynamoDBDocumentClient.from(d.store.client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });

beforeAll(() => ensureTable(d.store.client, TABLE));

/** The previous version's referral item, byte for byte the same attributes. */
function oldReferralItem(r: Referral) {
  return {
    pk: `REF#${r.id}`,
    sk: 'REF',
    type: 'referral',
    gsi1pk: `GROUP#${r.groupId}#REFS`,
    gsi1sk: `${r.createdAt}#${r.id}`,
    gsi2pk: `GIVEN#${r.referrerId}`,
    gsi2sk: `${r.createdAt}#${r.id}`,
    ...(r.providerId ? { gsi3pk: `RECEIVED#${r.providerId}`, gsi3sk: `${r.createdAt}#${r.id}` } : {}),
    ...r,
  };
}

async function oldData() {
  const tag = newId(6);
  const { group, admin } = await createGroup(d, { name: `Old ${tag}`, slug: `old-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada Admin', email: `ada-${tag}@example.com` } });
  const priya = await addMember(d, group.id, { name: 'Priya Shah', email: `priya-${tag}@ledgerlane.example` });
  const at = d.clock.now().toISOString();
  const ev = (i: number, over: Partial<TimelineEvent> = {}): TimelineEvent => ({ at, type: 'note', via: 'api', actor: admin.id, text: `old note ${i}`, ...over });
  const base = (over: Partial<Referral>): Referral => ({
    id: newId(), groupId: group.id, status: 'logged', source: 'api', referrerId: admin.id, providerId: priya.member.id,
    prospect: { name: 'Bob Stone', email: `bob-${newId(6)}@stonebakery.example` }, need: 'books', consent: false,
    unansweredProgressRequests: 0, pending: [], stepSeq: 0, timeline: [], createdAt: at, updatedAt: at, version: 7, ...over,
  });
  const busy = base({ timeline: [ev(0, { type: 'created', text: 'logged' }), ...Array.from({ length: 149 }, (_, i) => ev(i + 1)), ev(150, { type: 'email', kind: 'receipt', to: 'x@example.com', messageId: 'm-1' })] });
  const closed = base({ status: 'won', timeline: [ev(0, { type: 'created', text: 'logged' }), ev(1, { type: 'status', status: 'won', text: 'won' })] });
  for (const r of [busy, closed]) await doc.send(new PutCommand({ TableName: TABLE, Item: oldReferralItem(r) }));
  return { group, admin, priya, busy, closed };
}

describe('relay migrate', () => {
  it('moves old one-item referrals to events as items, keeps every event in order, and is idempotent', async () => {
    const old = await oldData();
    // a run that stopped half-way: some of the busy referral's events were written already
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: `REF#${old.busy.id}`, sk: 'EV#0000000001', type: 'event', event: old.busy.timeline[0] } }));

    const first = await migrate(d);
    expect(first.migrated).toBeGreaterThanOrEqual(2);
    expect(first.duplicateKeys).toBeGreaterThanOrEqual(1);
    const busy = (await d.store.getReferral(old.busy.id))!;
    expect(busy.timeline).toEqual(old.busy.timeline);
    expect(busy.eventSeq).toBe(151);
    expect(busy.version).toBe(7);
    const closed = (await d.store.getReferral(old.closed.id))!;
    expect(closed.timeline).toEqual(old.closed.timeline);
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const raw = await d.store.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `REF#${old.busy.id}` }, sk: { S: 'REF' } } }));
    expect(raw.Item!.timeline).toBeUndefined();

    const again = await migrate(d);
    expect(again.migrated).toBe(0);
    expect((await d.store.getReferral(old.busy.id))!.timeline).toHaveLength(151);

    // the open one now holds its duplicate key, the closed one does not
    const dup = logReferral(d, { groupId: old.group.id, referrerId: old.admin.id, providerId: old.priya.member.id, prospect: old.busy.prospect, need: 'again', consent: false, source: 'api' }, { via: 'api', actorId: old.admin.id });
    await expect(dup).rejects.toBeInstanceOf(ConflictError);
    await expect(logReferral(d, { groupId: old.group.id, referrerId: old.admin.id, providerId: old.priya.member.id, prospect: old.closed.prospect, need: 'again', consent: false, source: 'api' }, { via: 'api', actorId: old.admin.id })).resolves.toMatchObject({ created: true });

    // and it keeps working: a new note goes after the old events
    await performAction(d, old.busy.id, { action: 'note', text: 'new note' }, { role: 'admin', actorId: old.admin.id, via: 'api' });
    const after = (await d.store.getReferral(old.busy.id))!;
    expect(after.timeline).toHaveLength(152);
    expect(after.timeline.at(-1)).toMatchObject({ type: 'note' });
  });

  it('an old referral changed before any migration run is moved on that change, losing nothing', async () => {
    const old = await oldData();
    await performAction(d, old.closed.id, { action: 'note', text: 'after the upgrade' }, { role: 'admin', actorId: old.admin.id, via: 'api' });
    const r = (await d.store.getReferral(old.closed.id))!;
    expect(r.timeline.slice(0, 2)).toEqual(old.closed.timeline);
    expect(r.timeline).toHaveLength(3);
    expect(r.version).toBe(8);
  });
});
