// EventBridge Scheduler → one timed step; the local scheduler runs the same dispatchStep.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { dispatchHandler } from '../src/runtime/aws/dispatch-handler.js';

export const handler = dispatchHandler(await buildAwsDeps());
