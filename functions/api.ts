// API Gateway HTTP API → the same Hono app as `npm start`, with the AWS adapters.
import { handle } from 'hono/aws-lambda';
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { createApp } from '../src/web/app.js';

export const handler = handle(createApp(await buildAwsDeps()));
