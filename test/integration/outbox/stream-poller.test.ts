/**
 * The local stream poller, as the on-failure handling of a Lambda event source mapping: a failing
 * record is retried with backoff and in order (the records after it wait), and one that fails for
 * good is kept in a file for an operator — never dropped without a trace.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { newId } from '../../../src/domain/ids.js';
import type { StreamRecordLike } from '../../../src/outbox/stream-handler.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { StreamPoller } from '../../../src/runtime/local/stream-poller.js';
import { ensureTable } from '../../../src/store/dynamodb/dynamodb-store.js';
import { env } from '../harness.js';
import { localStreamsClient } from '../../../src/runtime/local/services.js';

const TABLE = `poller-${newId(6)}`;
const dataDir = mkdtempSync(join(tmpdir(), 'relay-poller-'));
const d = buildLocalDeps(readLocalConfig({ ...env, TABLE_NAME: TABLE, DATA_DIR: dataDir }), silentLogger);
let streamArn = '';
const streams = localStreamsClient(env.DYNAMODB_ENDPOINT!);

beforeAll(async () => {
  await ensureTable(d.store.client, TABLE);
  streamArn = (await d.store.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table!.LatestStreamArn!;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const put = (pk: string) => d.store.client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk }, sk: { S: 'X' } } }));
const putItem = (pk: string, sk: string) => d.store.client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk }, sk: { S: sk } } }));
const pkOf = (r: StreamRecordLike) => (unmarshall((r.dynamodb!.NewImage ?? {}) as never) as { pk?: string }).pk ?? '';

async function until(fn: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

describe('the local stream poller', () => {
  it("retries a failing record with backoff, keeps one item's order, and neither holds up nor repeats another item's records", async () => {
    const tag = newId(6);
    // Two records of one item (same partition key), then a record of another item.
    await putItem(`${tag}-a`, '1');
    await putItem(`${tag}-a`, '2');
    await put(`${tag}-b`);
    const seen: string[] = [];
    const triedAt: number[] = [];
    const poller = new StreamPoller({
      client: streams,
      streamArn,
      checkpointFile: join(dataDir, `cp-${tag}.json`),
      firstBackoffMs: 40,
      log: silentLogger,
      handle: async (r) => {
        const image = unmarshall((r.dynamodb!.NewImage ?? {}) as never) as { pk?: string; sk?: string };
        const pk = image.pk ?? '';
        if (!pk.startsWith(tag)) return;
        if (pk.endsWith('-a') && image.sk === '1' && triedAt.length < 3) {
          triedAt.push(Date.now());
          throw new Error('throttled');
        }
        seen.push(`${pk.slice(tag.length + 1)}${image.sk === 'X' ? '' : image.sk}`);
      },
    });
    poller.start(10);
    await until(() => seen.length === 3);
    await new Promise((ok) => setTimeout(ok, 200));
    await poller.stop();
    // b went through while a's first record failed, and was not handled again on the retries;
    // a's second record waited for its first.
    expect(seen).toEqual(['b', 'a1', 'a2']);
    // 40 ms, then 80 ms between tries: the shard waited instead of spinning.
    expect(triedAt[1]! - triedAt[0]!).toBeGreaterThanOrEqual(35);
    expect(triedAt[2]! - triedAt[1]!).toBeGreaterThanOrEqual(75);
  });

  it('says in the log when the records it reads are late (the local counterpart of the lag alarm), at most once a minute', async () => {
    const tag = newId(6);
    const warnings = (lagWarningMs?: number) => {
      const said: { msg: string; data?: Record<string, unknown> }[] = [];
      const poller = new StreamPoller({
        client: streams,
        streamArn,
        checkpointFile: join(dataDir, `cp-lag-${tag}-${lagWarningMs ?? 'default'}.json`),
        ...(lagWarningMs === undefined ? {} : { lagWarningMs }),
        log: { ...silentLogger, warn: (msg, data) => said.push({ msg, data }) },
        handle: async () => undefined,
      });
      return { poller, said };
    };
    await put(`${tag}-1`);
    await new Promise((ok) => setTimeout(ok, 1100));
    const late = warnings(1000);
    await late.poller.drain();
    await put(`${tag}-2`);
    await new Promise((ok) => setTimeout(ok, 1100));
    await late.poller.drain();
    expect(late.said).toHaveLength(1);
    expect(late.said[0]!.msg).toMatch(/outbox is behind/);
    expect(late.said[0]!.data!.behindSeconds).toBeGreaterThanOrEqual(1);
    // Records a few seconds old are not late by the default (a minute).
    const onTime = warnings();
    await onTime.poller.drain();
    expect(onTime.said).toEqual([]);
  });

  it('a record that fails for good is kept in the failed-records file, and the next one is handled', async () => {
    const tag = newId(6);
    await put(`${tag}-bad`);
    await put(`${tag}-good`);
    const seen: string[] = [];
    const failedFile = join(dataDir, `failed-${tag}.jsonl`);
    const poller = new StreamPoller({
      client: streams,
      streamArn,
      checkpointFile: join(dataDir, `cp2-${tag}.json`),
      failedFile,
      maxFailures: 3,
      firstBackoffMs: 5,
      log: silentLogger,
      handle: async (r) => {
        const pk = pkOf(r);
        if (!pk.startsWith(tag)) return;
        if (pk.endsWith('-bad')) throw new Error('SES is down');
        seen.push(pk);
      },
    });
    poller.start(10);
    // The good record is another item's, so it does not wait for the bad one to be given up.
    await until(() => seen.length === 1 && existsSync(failedFile));
    await new Promise((ok) => setTimeout(ok, 100));
    await poller.stop();
    expect(seen).toEqual([`${tag}-good`]);
    const kept = readFileSync(failedFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { error: string; record: { dynamodb: { Keys: { pk: { S: string } } } } });
    expect(kept).toHaveLength(1);
    expect(kept[0]!.error).toMatch(/SES is down/);
    expect(kept[0]!.record.dynamodb.Keys.pk.S).toBe(`${tag}-bad`);
  });

  it('drains asked for together share one read, and a drain asked for after a write reads it', async () => {
    const tag = newId(6);
    const seen: string[] = [];
    const poller = new StreamPoller({
      client: streams,
      streamArn,
      checkpointFile: join(dataDir, `cp3-${tag}.json`),
      log: silentLogger,
      handle: async (r) => {
        const pk = pkOf(r);
        if (pk.startsWith(tag)) seen.push(pk.slice(tag.length + 1));
      },
    });
    await put(`${tag}-1`);
    // Sixteen steps finishing at once: one drain, shared.
    const together = Array.from({ length: 16 }, () => poller.drain());
    expect(new Set(together).size).toBe(1);
    await Promise.all(together);
    expect(seen).toEqual(['1']);
    // A drain already under way is not shared with a caller who wrote after it started.
    const first = poller.drain();
    await Promise.resolve();
    await put(`${tag}-2`);
    const second = poller.drain();
    expect(second).not.toBe(first);
    await second;
    expect(seen).toEqual(['1', '2']);
    await poller.stop();
  });
});
