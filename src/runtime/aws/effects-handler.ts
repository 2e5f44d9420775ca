import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { handleStreamRecord, type StreamRecordLike } from '../../outbox/stream-handler.js';
import type { RelayDeps } from '../../referrals/deps.js';

/**
 * DynamoDB Streams → Lambda: each record goes to the one effects handler (the local poller feeds the
 * same one). Powertools' batch processor reports the records that failed, so the event source
 * mapping retries (and bisects) only those; after its retries a record's batch goes to the
 * on-failure SQS queue (see infra/constructs/effects.ts), which an alarm watches.
 */
export function effectsHandler(deps: RelayDeps) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const handleRecord = (record: DynamoDBRecord) => handleStreamRecord(deps, record as StreamRecordLike);
  return (event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, handleRecord, processor, { context });
}
