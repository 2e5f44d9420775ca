/**
 * `npm run bench -- api`: POST /api/referrals at 32 connections against two floors, in one run, on
 * the same DynamoDB Local:
 *   (a) a bare Hono app doing one conditional PutItem;
 *   (b) the least a durable create needs: one GetItem (the API key), one BatchGetItem (members,
 *       group) and one TransactWriteItems of six items (state, created event, two outbox emails,
 *       the 30-day duplicate guard, the idempotency guard).
 * Target (issue 11): the API at >= 80 % of (b)'s throughput and p99 <= 2x (b)'s p99.
 */
import { randomUUID } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { benchGroup, freePort, startBenchServices, startBenchStack } from './local-services.js';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** One load run: `connections` keep-alive connections POSTing a fresh body (autocannon's [<id>]) for `seconds`. */
export async function load(name: string, url: string, body: string, headers: Record<string, string>, opts: { connections: number; seconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    idReplacement: true,
    timeout: 30,
  });
  return {
    name,
    requestsPerSecond: result['2xx'] / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function floorTable(client: DynamoDBClient, name: string) {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

function listen(app: Hono): Promise<{ url: string; server: ServerType }> {
  return freePort().then(
    (port) =>
      new Promise((ok) => {
        const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => ok({ url: `http://127.0.0.1:${port}`, server }));
      }),
  );
}

/** Floor (a): one conditional PutItem per request. */
function floorA(db: DynamoDBDocumentClient, table: string) {
  const app = new Hono();
  app.post('/api/referrals', async (c) => {
    const body = await c.req.json<Record<string, unknown>>();
    const id = randomUUID();
    await db.send(new PutCommand({ TableName: table, Item: { pk: `REF#${id}`, sk: 'REF', body }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return c.json({ id }, 201);
  });
  return app;
}

/** Floor (b): the least a durable create needs. */
function floorB(db: DynamoDBDocumentClient, table: string) {
  const app = new Hono();
  app.post('/api/referrals', async (c) => {
    const body = await c.req.json<{ prospect: { email: string } }>();
    const key = await db.send(new GetCommand({ TableName: table, Key: { pk: 'APIKEY#bench', sk: 'APIKEY' } }));
    if (!key.Item) return c.json({ error: { code: 'unauthorized', message: 'no key' } }, 401);
    await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ pk: 'MEMBER#rita', sk: 'MEMBER' }, { pk: 'MEMBER#paul', sk: 'MEMBER' }, { pk: 'GROUP#g', sk: 'GROUP' }] } } }));
    const id = randomUUID();
    const now = new Date().toISOString();
    const ttl = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const isNew = 'attribute_not_exists(pk)';
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: 'REF', version: 1, status: 'logged', body, pending: [{ kind: 'thank_you_prompt', due: now }] }, ConditionExpression: isNew } },
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: 'EV#0000000001', type: 'created', at: now } } },
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: `OUTBOX#${id}.1.0`, kind: 'receipt', state: 'pending' } } },
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: `OUTBOX#${id}.1.1`, kind: 'provider_notice', state: 'pending' } } },
          { Put: { TableName: table, Item: { pk: `DUP#paul#${body.prospect.email}`, sk: 'DUP', referralId: id, ttl }, ConditionExpression: isNew } },
          { Put: { TableName: table, Item: { pk: `IDEM#rita#${id}`, sk: 'IDEM', referralId: id, ttl }, ConditionExpression: isNew } },
        ],
      }),
    );
    return c.json({ id }, 201);
  });
  return app;
}

const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

export async function runApiBench(opts: { connections?: number; seconds?: number } = {}): Promise<{ results: LoadResult[]; meetsTarget: boolean }> {
  const connections = opts.connections ?? 32;
  const seconds = opts.seconds ?? 10;
  const services = await startBenchServices();
  const servers: ServerType[] = [];
  let stack: Awaited<ReturnType<typeof startBenchStack>> | undefined;
  try {
    const client = new DynamoDBClient({ endpoint: services.dynamoDbEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await floorTable(client, 'floor-a');
    await floorTable(client, 'floor-b');
    await db.send(new PutCommand({ TableName: 'floor-b', Item: { pk: 'APIKEY#bench', sk: 'APIKEY', memberId: 'rita' } }));
    for (const m of ['MEMBER#rita', 'MEMBER#paul']) await db.send(new PutCommand({ TableName: 'floor-b', Item: { pk: m, sk: 'MEMBER', name: m } }));
    await db.send(new PutCommand({ TableName: 'floor-b', Item: { pk: 'GROUP#g', sk: 'GROUP', name: 'g' } }));
    const a = await listen(floorA(db, 'floor-a'));
    const b = await listen(floorB(db, 'floor-b'));
    servers.push(a.server, b.server);

    stack = await startBenchStack(services, 'bench-api');
    const g = await benchGroup(stack.system, 'api');
    const body = (provider: string) => JSON.stringify({ provider, prospect: { name: 'Bob Stone', email: 'bob-[<id>]@prospect.example' }, need: 'A bookkeeper for the bakery', consent: true });

    const run = { connections, seconds };
    // DynamoDB Local's JVM and each server warm up first (JIT, connection pools): not measured.
    for (const [url, warmBody, h] of [[`${a.url}/api/referrals`, body('paul'), {}], [`${b.url}/api/referrals`, body('paul'), {}], [`${stack.baseUrl}/api/referrals`, body(g.providerId), { authorization: `Bearer ${g.referrerKey}` }]] as const) {
      await load("warm-up", url, warmBody, h, { connections, seconds: 3 });
    }
    console.log(`POST /api/referrals, ${connections} connections, ${seconds} s each, one DynamoDB Local…`);
    const results = [
      await load('floor (a): bare Hono, 1 conditional PutItem', `${a.url}/api/referrals`, body('paul'), {}, run),
      await load('floor (b): GetItem + BatchGetItem + TransactWriteItems(6)', `${b.url}/api/referrals`, body('paul'), {}, run),
      await load('the API (npm start stack)', `${stack.baseUrl}/api/referrals`, body(g.providerId), { authorization: `Bearer ${g.referrerKey}` }, run),
    ];
    const [ra, rb, api] = results as [LoadResult, LoadResult, LoadResult];
    const throughputShare = api.requestsPerSecond / rb.requestsPerSecond;
    const p99Ratio = api.p99 / rb.p99;
    const meetsTarget = throughputShare >= 0.8 && p99Ratio <= 2 && api.non2xx === 0 && api.errors === 0;
    console.log('\n| target | created/s | p50 ms | p99 ms | 2xx | non-2xx | errors |\n| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) console.log(`| ${r.name} | ${r.requestsPerSecond.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.non2xx} | ${r.errors} |`);
    console.log(`\nthe API against floor (b): ${(throughputShare * 100).toFixed(0)} % of its throughput (target >= 80 %: ${verdict(throughputShare >= 0.8)}), p99 ${p99Ratio.toFixed(2)}x (target <= 2x: ${verdict(p99Ratio <= 2)})`);
    console.log(`the API against floor (a): ${((api.requestsPerSecond / ra.requestsPerSecond) * 100).toFixed(0)} % of its throughput, p99 ${(api.p99 / ra.p99).toFixed(2)}x; floor (b) is ${((rb.requestsPerSecond / ra.requestsPerSecond) * 100).toFixed(0)} % of floor (a)`);
    client.destroy();
    return { results, meetsTarget };
  } finally {
    for (const s of servers) s.close();
    await stack?.system.stop();
    await services.stop();
  }
}
