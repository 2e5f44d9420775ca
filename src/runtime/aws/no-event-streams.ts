/**
 * Stands in for `@smithy/core/event-streams` inside the Lambda bundles (the `alias` in
 * `infra/constructs/bundling-options.ts`). The SDK's protocol layer imports it only when an operation
 * streams events (Bedrock, Transcribe, S3 Select, Kinesis SubscribeToShard); none of the DynamoDB,
 * SES and Scheduler operations the functions call does. Bundled, it costs every function about
 * 14 KiB; if a future operation did stream events, this fails loudly instead of misbehaving.
 */
const unsupported = (): never => {
  throw new Error('Event streams are not bundled into the Lambda functions (see src/runtime/aws/no-event-streams.ts)');
};

export class EventStreamSerde {
  constructor() {
    unsupported();
  }
}

export const eventStreamSerdeProvider = unsupported;
