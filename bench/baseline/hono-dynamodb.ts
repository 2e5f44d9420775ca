// Baseline of bench/bundle.ts: the smallest useful API Lambda, a bare Hono app reading one DynamoDB
// item through the document client. Bundled with exactly the functions' settings.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const app = new Hono();

app.get('/items/:id', async (c) => {
  const { Item } = await db.send(new GetCommand({ TableName: 'baseline', Key: { pk: c.req.param('id'), sk: 'ITEM' } }));
  return Item ? c.json(Item) : c.notFound();
});

export const handler = handle(app);
