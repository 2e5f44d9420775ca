// DynamoDB Streams → the effects consumer (emails from the outbox, step schedules from `pending`).
// Locally the stream poller runs the same handleStreamRecord.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { effectsHandler } from '../src/runtime/aws/effects-handler.js';

export const handler = effectsHandler(await buildAwsDeps());
