/**
 * What one API write costs in DynamoDB calls, counted on the store client of an app run in-process
 * (`app.request()`, no stream poller or ticker sharing the client) on a table of its own. Logging a
 * referral reads its caller, group and provider in one batch and writes everything in one
 * transaction: the calls `npm run bench -- api` measures against its floor (b), plus the rate
 * limit's counter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { newId } from '../../../src/domain/ids.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { ensureTable } from '../../../src/store/dynamodb/dynamodb-store.js';
import { createApp } from '../../../src/web/app.js';
import { env } from '../harness.js';

const TABLE = 'round-trips-test';
const d = buildLocalDeps(readLocalConfig({ ...env, TABLE_NAME: TABLE }), silentLogger);
const app = createApp(d);
const calls: string[] = [];
d.store.client.middlewareStack.add(
  (next, context) => async (args) => {
    calls.push(context.commandName ?? '?');
    return next(args);
  },
  { step: 'initialize', name: 'countCalls' },
);

let group: { id: string };
let adminKey: string;
let rita: { id: string; key: string };
let paul: { id: string; email: string };

beforeAll(async () => {
  await ensureTable(d.store.client, TABLE);
  const tag = newId(6);
  const made = await createGroup(d, { name: `Trips ${tag}`, slug: `trips-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada Admin', email: `ada-${tag}@example.com` } });
  group = made.group;
  adminKey = made.apiKey;
  const r = await addMember(d, group.id, { name: 'Rita Referrer', email: `rita-${tag}@example.com` });
  const p = await addMember(d, group.id, { name: 'Paul Provider', email: `paul-${tag}@example.com` });
  rita = { id: r.member.id, key: r.apiKey };
  paul = { id: p.member.id, email: p.member.email };
});

async function counted(key: string, body: unknown): Promise<{ res: Response; calls: string[] }> {
  calls.length = 0;
  const res = await app.request('/api/referrals', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, calls: [...calls] };
}

const referral = (provider: string, extra: Record<string, unknown> = {}) => ({ provider, prospect: { name: 'Bob Stone', email: `bob-${newId(6)}@stonebakery.example` }, need: 'A bookkeeper for the bakery', consent: true, ...extra });

describe('DynamoDB calls per API write', () => {
  it('logging a referral by provider id: the key, one batch (caller, group, provider), the rate counter, one transaction', async () => {
    const { res, calls } = await counted(rita.key, referral(paul.id));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { provider: { name: string }; referrer: { name: string } };
    expect(body).toMatchObject({ provider: { name: 'Paul Provider' }, referrer: { name: 'Rita Referrer' } });
    expect(calls).toEqual(['GetItemCommand', 'BatchGetItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand']);
  });

  it('an admin logging for another member by id reads both named members in the same batch', async () => {
    const { res, calls } = await counted(adminKey, referral(paul.id, { referrer: rita.id }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ referrer: { name: 'Rita Referrer' }, provider: { name: 'Paul Provider' } });
    expect(calls).toEqual(['GetItemCommand', 'BatchGetItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand']);
  });

  it('a provider named by address is looked up on its own; the read-ahead is only a hint', async () => {
    const { res } = await counted(rita.key, referral(paul.email));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ provider: { name: 'Paul Provider' } });
  });

  it('an id read ahead that is not a member of the caller\'s group is still refused', async () => {
    const other = await createGroup(d, { name: 'Elsewhere', slug: `elsewhere-${newId(6)}`, timezone: 'Europe/London', admin: { name: 'Olga Other', email: `olga-${newId(6)}@example.com` } });
    const { res } = await counted(rita.key, referral(other.admin.id));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(/provider: no member/) } });
    // A body that is not JSON is answered by the validator as before, not by the read-ahead.
    const broken = await app.request('/api/referrals', { method: 'POST', headers: { authorization: `Bearer ${rita.key}`, 'content-type': 'application/json' }, body: '{"provider": ' });
    expect(broken.status).toBe(400);
  });
});
