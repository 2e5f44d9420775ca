/**
 * A typed client of the JSON API for scripts: openapi-fetch over the types generated from the
 * OpenAPI document (`npm run api:client`). Paths, parameters, bodies and answers are checked by
 * TypeScript against the document.
 *
 *   const relay = relayClient('http://localhost:3000', process.env.RELAY_API_KEY!);
 *   const { data, error } = await relay.GET('/referrals', { params: { query: { role: 'given' } } });
 */
import createClient from 'openapi-fetch';
import type { paths } from './api-types.js';

export type { paths } from './api-types.js';

export function relayClient(webBaseUrl: string, apiKey: string) {
  return createClient<paths>({ baseUrl: `${webBaseUrl.replace(/\/$/, '')}/api`, headers: { authorization: `Bearer ${apiKey}` } });
}
