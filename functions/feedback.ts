// SES configuration set → SNS → bounces and complaints suppress the address.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { feedbackHandler } from '../src/runtime/aws/feedback-handler.js';
import { instrumented } from '../src/runtime/aws/observability.js';

const deps = await buildAwsDeps();
export const handler = instrumented(deps.observability, feedbackHandler(deps));
