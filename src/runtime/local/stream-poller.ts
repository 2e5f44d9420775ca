/**
 * Locally, the table's stream (DynamoDB Local supports the Streams API) feeds the same effects
 * handler the Lambda event source mapping feeds in AWS. The position in each shard is checkpointed
 * in DATA_DIR after every batch, so a restart resumes where it stopped (records after the last
 * checkpoint are handled again: the handler is idempotent). Records of different partition keys
 * (referrals) are handled side by side, each key's in order, as the Lambda's event source mapping
 * and batch processor do in AWS.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { keepFailed } from './keep-failed.js';
import { dirname, join } from 'node:path';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from '../../referrals/deps.js';
import type { StreamRecordLike } from '../../outbox/stream-handler.js';
import { backoffCeiling } from '../../domain/backoff.js';

/**
 * A record that keeps failing is retried with exponential backoff (the shard waits: records stay in
 * order) and given up after this many tries, about two minutes, into `failedFile` — the local
 * counterpart of the on-failure SQS destination in AWS, never a silent drop.
 */
const MAX_RECORD_FAILURES = 12;
const FIRST_BACKOFF_MS = 50;
/** Records of different partition keys handled at once (one key's records always in order). */
const BATCH_CONCURRENCY = 16;
/** Records per read (1,000 before): a stop waits for at most one such batch (see readShard). */
const READ_LIMIT = 200;
/** A nudge reads the stream this long after the write that asked: the writes meanwhile share the read. */
const NUDGE_DELAY_MS = 50;
/** A drain that never catches up (constant writes) still returns. */
const MAX_DRAIN_ROUNDS = 200;
/** Records read this long after they were written are late: the local counterpart of the lag alarm in AWS. */
const LAG_WARNING_MS = 60_000;
/** At most one lag warning this often. */
const LAG_WARNING_EVERY_MS = 60_000;

interface Checkpoint {
  streamArn: string;
  /** shard id → sequence number of the last record handled, or 'closed' when read to its end. */
  shards: Record<string, string>;
}

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  checkpointFile: string;
  /** Records given up on are appended here, one JSON line each (default: beside the checkpoint). */
  failedFile?: string;
  /** A warning is logged (at most once a minute) while the records read are older than this (default 60 s). */
  lagWarningMs?: number;
  /** Tries before a record is given up (default 12) and the first backoff (default 50 ms, doubling, at most 30 s). */
  maxFailures?: number;
  firstBackoffMs?: number;
  handle(record: StreamRecordLike): Promise<void>;
  log: Logger;
}

type Value = Record<string, unknown>;

/**
 * The Streams client reads an empty map attribute (`{"M":{}}`) back as `{}`, which unmarshall
 * rejects; the Lambda event has no such problem. Put the map back, at any depth.
 */
function repair(value: Value): Value {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M && typeof value.M === 'object') return { M: repairImage(value.M as Record<string, Value>) };
  if (Array.isArray(value.L)) return { L: (value.L as Value[]).map(repair) };
  return value;
}
const repairImage = (image: Record<string, Value> | undefined) => image && Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repair(v)]));

function asRecord(record: _Record): StreamRecordLike {
  const images = record.dynamodb as { NewImage?: Record<string, Value>; OldImage?: Record<string, Value> } | undefined;
  return { eventName: record.eventName, dynamodb: { NewImage: repairImage(images?.NewImage), OldImage: repairImage(images?.OldImage) } };
}

export class StreamPoller {
  private readonly iterators = new Map<string, string>();
  private readonly failures = new Map<string, number>();
  /** shard id → when its failing head record may be tried again. */
  private readonly waitUntil = new Map<string, number>();
  private checkpoint: Checkpoint;
  /** One reader at a time: the background loop and drain() share this chain. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: StreamPollerOptions) {
    this.checkpoint = StreamPoller.read(opts.checkpointFile, opts.streamArn);
  }

  private static read(file: string, streamArn: string): Checkpoint {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
      if (saved.streamArn === streamArn && saved.shards && typeof saved.shards === 'object') return saved;
    } catch {
      /* first start, or an unreadable file: read the stream from its start */
    }
    return { streamArn, shards: {} };
  }

  /** Polls every `intervalMs` until stop(). */
  start(intervalMs = 100): void {
    const tick = () => {
      if (this.stopped) return;
      void this.drain()
        .catch((err: unknown) => this.opts.log.error('stream poll failed', { err: String(err) }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /**
   * A write in this process put records on the stream: drain within NUDGE_DELAY_MS instead of
   * waiting for the next poll. A burst of writes costs one read.
   */
  nudge(): void {
    if (this.stopped || this.nudged) return;
    // Writes in the next NUDGE_DELAY_MS share one read: under load a read per write cost the API
    // about 15 % of its throughput (`npm run bench -- api`).
    this.nudged = setTimeout(() => {
      this.nudged = undefined;
      if (this.stopped) return;
      void this.drain().catch((err: unknown) => this.opts.log.warn('stream drain after a write failed; the next poll retries', { err: String(err) }));
    }, NUDGE_DELAY_MS);
  }

  private nudged: NodeJS.Timeout | undefined;

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.nudged) clearTimeout(this.nudged);
    if (this.timer) clearTimeout(this.timer);
    await this.chain.catch(() => undefined);
  }

  /** A drain asked for that has not started yet: later callers share it (see drain). */
  private queued: Promise<number> | undefined;

  /**
   * Reads the stream until caught up (a round finds no new record), handling each record in order.
   * A drain that is queued and has not started yet is shared: it starts after this call, so it reads
   * everything stored before it. Sixteen steps finishing together thus wait for one or two drains,
   * not sixteen in a row.
   */
  drain(): Promise<number> {
    if (this.queued) return this.queued;
    const run = this.chain.then(async () => {
      this.queued = undefined;
      let total = 0;
      for (let round = 0; round < MAX_DRAIN_ROUNDS; round++) {
        const handled = await this.round();
        total += handled;
        if (handled === 0) break;
      }
      return total;
    });
    this.queued = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  private shardList: { at: number; shards: Shard[] } | undefined;

  /** The stream's shards; listed at most once a second (they change every few hours). */
  private async shards(): Promise<Shard[]> {
    if (this.shardList && Date.now() - this.shardList.at < 1000) return this.shardList.shards;
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const res = await this.opts.client.send(new DescribeStreamCommand({ StreamArn: this.opts.streamArn, ExclusiveStartShardId: start }));
      shards.push(...(res.StreamDescription?.Shards ?? []));
      start = res.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    this.shardList = { at: Date.now(), shards };
    return shards;
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const known = this.iterators.get(shardId);
    if (known) return known;
    const after = this.checkpoint.shards[shardId];
    const res = await this.opts.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.opts.streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return res.ShardIterator;
  }

  /** One pass over every shard (parents before children); returns how many records were handled. */
  private async round(): Promise<number> {
    let handled = 0;
    for (const shard of await this.shards()) {
      const shardId = shard.ShardId!;
      if (this.checkpoint.shards[shardId] === 'closed') continue;
      if ((this.waitUntil.get(shardId) ?? 0) > Date.now()) continue;
      handled += await this.readShard(shardId);
    }
    return handled;
  }

  private async readShard(shardId: string): Promise<number> {
    let handled = 0;
    // Stopping ends the read after the batch in hand (its checkpoint written): the rest stays in the
    // stream for the next start, so a stop under load does not wait for the whole backlog.
    while (!this.stopped) {
      let iterator: string | undefined;
      let records: _Record[];
      let nextIterator: string | undefined;
      try {
        iterator = await this.iteratorFor(shardId);
        if (!iterator) return handled;
        const res = await this.opts.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: READ_LIMIT }));
        records = res.Records ?? [];
        nextIterator = res.NextShardIterator;
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        this.iterators.delete(shardId);
        if (name === 'ExpiredIteratorException') continue;
        if (name === 'TrimmedDataAccessException') {
          // Older than the stream keeps: start from the oldest record still there.
          delete this.checkpoint.shards[shardId];
          continue;
        }
        throw err;
      }
      this.warnIfBehind(records);
      const batch = await this.handleBatch(records);
      // Everything before the first record that failed is done: the checkpoint moves past it.
      const done = batch.failedAt ?? records.length;
      if (done > 0) {
        this.checkpoint.shards[shardId] = records[done - 1]!.dynamodb?.SequenceNumber ?? '';
        this.waitUntil.delete(shardId);
        handled += done;
      }
      if (batch.failedAt !== undefined) {
        const record = records[batch.failedAt]!;
        const seq = record.dynamodb?.SequenceNumber ?? '';
        const failures = (this.failures.get(seq) ?? 0) + 1;
        this.failures.set(seq, failures);
        this.iterators.delete(shardId);
        if (failures < (this.opts.maxFailures ?? MAX_RECORD_FAILURES)) {
          // Not past this record: a later round reads it again from the checkpoint, after a backoff
          // (the records after it that were handled are remembered, so they are not handled twice).
          this.opts.log.warn('stream record failed; retrying', { seq, failures, err: String(batch.error) });
          this.waitUntil.set(shardId, Date.now() + backoffCeiling(failures - 1, { baseMs: this.opts.firstBackoffMs ?? FIRST_BACKOFF_MS, capMs: 30_000 }));
        } else {
          this.opts.log.error('stream record failed for good; kept in the failed-records file', { seq, record: JSON.stringify(record.dynamodb?.Keys), err: String(batch.error) });
          this.keepFailed(record, batch.error);
          this.failures.delete(seq);
          this.checkpoint.shards[shardId] = seq;
          handled += 1;
        }
        this.persist();
        return handled;
      }
      if (!nextIterator) {
        this.checkpoint.shards[shardId] = 'closed';
        this.shardList = undefined;
        this.iterators.delete(shardId);
        this.persist();
        return handled;
      }
      this.iterators.set(shardId, nextIterator);
      if (records.length > 0) this.persist();
      if (records.length === 0) return handled;
    }
    return handled;
  }

  private lastLagWarning = 0;

  /**
   * The local counterpart of the effects stream's lag alarm in AWS (IteratorAge): while the records
   * read were written more than lagWarningMs ago, the emails and schedules they carry go out that
   * late (a burst, or a stack started again after a while). Says so in the log, at most once a minute.
   */
  private warnIfBehind(records: _Record[]): void {
    const written = records[0]?.dynamodb?.ApproximateCreationDateTime;
    if (!written) return;
    const now = Date.now();
    const behindMs = now - written.getTime();
    if (behindMs <= (this.opts.lagWarningMs ?? LAG_WARNING_MS) || now - this.lastLagWarning < LAG_WARNING_EVERY_MS) return;
    this.lastLagWarning = now;
    this.opts.log.warn('the outbox is behind: its emails and schedules go out late', { behindSeconds: Math.round(behindMs / 1000) });
  }

  /** Sequence numbers handled after a record that failed, so re-reading the batch skips them. */
  private readonly handledAhead = new Set<string>();

  /**
   * Handles a batch the way the event source mapping and Powertools' batch processor do in AWS:
   * records of different partition keys side by side (up to BATCH_CONCURRENCY at once), one key's
   * records one after another in stream order, and a key's later records not at all once one of
   * its records failed. Answers the position of the earliest record that failed (with its error).
   */
  private async handleBatch(records: _Record[]): Promise<{ failedAt?: number; error?: unknown }> {
    const byItem = new Map<string, number[]>();
    records.forEach((record, i) => {
      // By partition key, as DynamoDB Streams keeps order per partition key (one referral's items).
      const key = JSON.stringify(record.dynamodb?.Keys?.pk ?? i);
      byItem.set(key, [...(byItem.get(key) ?? []), i]);
    });
    let failedAt: number | undefined;
    let error: unknown;
    const lanes = [...byItem.values()];
    let next = 0;
    const worker = async () => {
      while (next < lanes.length) {
        for (const i of lanes[next++]!) {
          if (failedAt !== undefined && failedAt < i) break;
          const seq = records[i]!.dynamodb?.SequenceNumber ?? '';
          if (this.handledAhead.has(seq)) continue;
          try {
            await this.opts.handle(asRecord(records[i]!));
            this.failures.delete(seq);
            this.handledAhead.add(seq);
          } catch (err) {
            if (failedAt === undefined || i < failedAt) {
              failedAt = i;
              error = err;
            }
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, lanes.length) }, worker));
    // Done and behind the checkpoint from now on: no need to remember them.
    const settled = failedAt ?? records.length;
    for (let i = 0; i < settled; i++) this.handledAhead.delete(records[i]!.dynamodb?.SequenceNumber ?? '');
    return failedAt === undefined ? {} : { failedAt, error };
  }

  /** The on-failure destination: the whole record and the error, for an operator to replay. */
  private keepFailed(record: _Record, err: unknown): void {
    keepFailed(this.opts.failedFile ?? join(dirname(this.opts.checkpointFile), 'stream-failed-records.jsonl'), err, { record });
  }

  private persist(): void {
    const file = this.opts.checkpointFile;
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
    // Write then rename: a crash mid-write never leaves a torn checkpoint.
    writeFileSync(`${file}.tmp`, JSON.stringify(this.checkpoint));
    renameSync(`${file}.tmp`, file);
  }
}
