/**
 * The floors of `npm run bench -- api`, in a process of their own (as the API under test runs in
 * `npm start`'s): `tsx bench/floor-servers.ts <DynamoDB endpoint>` creates their tables, starts the
 * servers on free ports, and prints their URLs as one line of JSON on stdout.
 *   (a) a bare Hono app doing one conditional PutItem;
 *   (b) the least a durable create needs: one GetItem (the API key), one BatchGetItem (members,
 *       group) and one TransactWriteItems of six items (state, created event, two outbox emails,
 *       the 30-day duplicate guard, the idempotency guard), on a bare table;
 *   (b') the same calls on the product's own table (ensureTable): a stream (the outbox's feed, which
 *       issue 11 asks for) and three indexes (a group's, a referrer's and a provider's referrals)
 *       that the state item is written into. DynamoDB Local pays for both on every write.
 *   (c) floor (b) on a bare table of its own, each create then delivering its two emails as the
 *       least an exactly-once send needs, 16 at a time (deliverTwoEmails); `POST /settle` waits for
 *       those not done yet.
 * The line: `{"a": url, "b": url, "bShaped": url, "c": url}`.
 */
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { ensureTable } from '../src/store/dynamodb/dynamodb-store.js';
import { keys } from '../src/store/keys.js';
import { freePort } from '../test/support/free-ports.js';

/** A floor's bare table: its key and nothing else. (Floor (b')'s is the product's own: ensureTable.) */
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

async function listen(app: Hono): Promise<string> {
  const port = await freePort();
  return new Promise((ok) => {
    serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => ok(`http://127.0.0.1:${port}`));
  });
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

/** Emails floor (c) sends at once: as many referrals as the stack's stream poller handles side by side. */
const CONSUMER_CONCURRENCY = 16;
let sending = 0;
const queued: (() => void)[] = [];

/** Runs `work` when one of the CONSUMER_CONCURRENCY places is free, first come first served. */
async function inTurn(work: () => Promise<void>): Promise<void> {
  if (sending >= CONSUMER_CONCURRENCY) await new Promise<void>((ok) => queued.push(ok));
  sending++;
  try {
    await work();
  } finally {
    sending--;
    queued.shift()?.();
  }
}

/**
 * Floor (c)'s effects: the least that delivering a create's two emails exactly once costs DynamoDB,
 * per email a claim (a conditional UpdateItem) and, once SES has answered, the mark-sent together
 * with its timeline event (a TransactWriteItems of two). Queued as the create answers, not awaited,
 * and carried out CONSUMER_CONCURRENCY at a time beside the requests, as a stream consumer would.
 */
function deliverTwoEmails(db: DynamoDBDocumentClient, table: string, id: string, inFlight: Set<Promise<unknown>>) {
  for (const n of [0, 1]) {
    const key = { pk: `REF#${id}`, sk: `OUTBOX#${id}.1.${n}` };
    const work = inTurn(async () => {
      await db.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET #s = :sending', ConditionExpression: '#s = :pending', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending' } }));
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: table, Key: key, UpdateExpression: 'SET #s = :sent, messageId = :m', ConditionExpression: '#s = :sending', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':m': randomUUID() } } },
            { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: `EV#0000000001#000000001#0${n}`, type: 'email', at: new Date().toISOString() } } },
          ],
        }),
      );
    }).catch((err: unknown) => console.error('floor (c) effect failed', err));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }
}

/**
 * Floor (b): the least a durable create needs; `shaped`, its state item is written into the three
 * indexes too; `effects`, floor (c): its two emails are also delivered (deliverTwoEmails).
 */
function floorB(db: DynamoDBDocumentClient, table: string, shaped = false, effects?: Set<Promise<unknown>>) {
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
    const indexKeys = shaped ? { gsi1pk: keys.groupReferrals('g'), gsi1sk: `${now}#${id}`, gsi2pk: keys.given('rita'), gsi2sk: `${now}#${id}`, gsi3pk: keys.received('paul'), gsi3sk: `${now}#${id}` } : {};
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: 'REF', ...indexKeys, version: 1, status: 'logged', body, pending: [{ kind: 'thank_you_prompt', due: now }] }, ConditionExpression: isNew } },
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: 'EV#0000000001', type: 'created', at: now } } },
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: `OUTBOX#${id}.1.0`, kind: 'receipt', state: 'pending' } } },
          { Put: { TableName: table, Item: { pk: `REF#${id}`, sk: `OUTBOX#${id}.1.1`, kind: 'provider_notice', state: 'pending' } } },
          { Put: { TableName: table, Item: { pk: `DUP#paul#${body.prospect.email}`, sk: 'DUP', referralId: id, ttl }, ConditionExpression: isNew } },
          { Put: { TableName: table, Item: { pk: `IDEM#rita#${id}`, sk: 'IDEM', referralId: id, ttl }, ConditionExpression: isNew } },
        ],
      }),
    );
    if (effects) deliverTwoEmails(db, table, id, effects);
    return c.json({ id }, 201);
  });
  // Floor (c): waits for the emails not sent yet, and says how many there were.
  if (effects) {
    app.post('/settle', async (c) => {
      const notSent = effects.size;
      await Promise.all([...effects]);
      return c.json({ notSent });
    });
  }
  return app;
}

const endpoint = process.argv[2];
if (!endpoint || !/^https?:\/\//.test(endpoint)) {
  console.error('usage: tsx bench/floor-servers.ts <DynamoDB endpoint URL>');
  process.exit(2);
}
const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
await floorTable(client, 'floor-a');
await floorTable(client, 'floor-b');
await floorTable(client, 'floor-c');
await ensureTable(client, 'floor-b-shaped');
for (const table of ['floor-b', 'floor-b-shaped', 'floor-c']) {
  await db.send(new PutCommand({ TableName: table, Item: { pk: 'APIKEY#bench', sk: 'APIKEY', memberId: 'rita' } }));
  for (const m of ['MEMBER#rita', 'MEMBER#paul']) await db.send(new PutCommand({ TableName: table, Item: { pk: m, sk: 'MEMBER', name: m } }));
  await db.send(new PutCommand({ TableName: table, Item: { pk: 'GROUP#g', sk: 'GROUP', name: 'g' } }));
}
console.log(JSON.stringify({ a: await listen(floorA(db, 'floor-a')), b: await listen(floorB(db, 'floor-b')), bShaped: await listen(floorB(db, 'floor-b-shaped', true)), c: await listen(floorB(db, 'floor-c', false, new Set())) }));
