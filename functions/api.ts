// API Gateway HTTP API → the same Hono app as `npm start`, with the AWS adapters.
import type { Context } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { httpIds, instrumented } from '../src/runtime/aws/observability.js';
import { createApp } from '../src/web/app.js';

const deps = await buildAwsDeps();
const app = handle(createApp(deps));
export const handler = instrumented(deps.observability, (event: LambdaEvent, context: Context) => app(event, context as never), httpIds);
