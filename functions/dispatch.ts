// EventBridge Scheduler → one timed step; the local scheduler runs the same dispatchStep.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { dispatchHandler } from '../src/runtime/aws/dispatch-handler.js';
import { idsOf, instrumented } from '../src/runtime/aws/observability.js';

const deps = await buildAwsDeps();
export const handler = instrumented(deps.observability, dispatchHandler(deps), idsOf);
