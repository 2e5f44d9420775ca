// DynamoDB Streams → the effects consumer (emails from the outbox, step schedules from `pending`).
// Locally the stream poller runs the same handleStreamRecord.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { effectsHandler } from '../src/runtime/aws/effects-handler.js';
import { instrumented } from '../src/runtime/aws/observability.js';

const deps = await buildAwsDeps();
export const handler = instrumented(deps.observability, effectsHandler(deps));
