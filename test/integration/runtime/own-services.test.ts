import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { createGroup, addMember } from '../../../src/members/members.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { freePorts } from '../../support/free-ports.js';
import { startOwnStack, type OwnStack } from '../own-stack.js';
import { eventually, relay } from '../harness.js';

/**
 * DYNAMODB_ENDPOINT / SES_ENDPOINT: the stack starts neither stand-in and sends every call to the
 * given endpoints — here pass-through proxies in front of the run's DynamoDB Local and SES, whose
 * traffic shows it.
 */
describe('bring your own DynamoDB and SES', () => {
  let dynamo: FaultProxy;
  let ses: FaultProxy;
  let stack: OwnStack;
  let blockers: Server[] = [];
  let ports: string[];

  beforeAll(async () => {
    dynamo = await startFaultProxy({ target: relay.env.DYNAMODB_ENDPOINT! });
    ses = await startFaultProxy({ target: relay.env.SES_ENDPOINT! });
    // The stand-ins' own ports are taken: starting either of them would fail loudly.
    ports = await freePorts(2);
    blockers = await Promise.all(ports.map((p) => new Promise<Server>((ok) => { const s = createServer(); s.listen(Number(p), '127.0.0.1', () => ok(s)); })));
    stack = await startOwnStack(relay.env, { DYNAMODB_ENDPOINT: dynamo.url, SES_ENDPOINT: ses.url, DYNAMODB_PORT: ports[0]!, SES_PORT: ports[1]! });
  });
  afterAll(async () => {
    await stack?.stop();
    for (const b of blockers) b.close();
    await dynamo?.close();
    await ses?.close();
  });

  it('validates both as http(s) URLs', () => {
    expect(() => readLocalConfig({ DYNAMODB_ENDPOINT: '127.0.0.1:8000' })).toThrow(/DYNAMODB_ENDPOINT/);
  });

  it('stores through the given DynamoDB and sends through the given SES, starting neither', async () => {
    expect(stack.system.urls.dynamodb).toBe(dynamo.url);
    expect(stack.system.urls.ses).toBe(ses.url);
    const health = await fetch(`${stack.baseUrl}/healthz`);
    expect(health.status).toBe(200);

    const d = stack.system.deps;
    const { group, apiKey } = await createGroup(d, { name: 'Own services', slug: `own-${Date.now()}`, timezone: 'Europe/London', admin: { name: 'Ada', email: 'ada@own.example' } });
    const priya = await addMember(d, group.id, { name: 'Priya', email: 'priya@own.example' });
    const res = await fetch(`${stack.baseUrl}/api/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: priya.member.id, prospect: { name: 'Bob', email: 'bob@own.example' }, need: 'books', consent: true }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await d.store.getReferral(id)).toMatchObject({ id });

    expect(dynamo.calls.length).toBeGreaterThan(0);
    expect(dynamo.calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['DescribeTable', 'GetItem']));
    // receipt + provider notice went out through the proxy (after the write, maybe from the outbox)
    await eventually(async () => ses.count('SendRawEmail').passed >= 2 || undefined, 'two emails through the SES proxy');
    // a pass-through proxy: no call was failed on the way
    expect(dynamo.count().failed + ses.count().failed).toBe(0);
  });
});
