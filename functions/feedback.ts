// SES configuration set → SNS → bounces and complaints suppress the address.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { feedbackHandler } from '../src/runtime/aws/feedback-handler.js';

export const handler = feedbackHandler(await buildAwsDeps());
