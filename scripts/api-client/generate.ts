/**
 * `npm run api:client`: writes `scripts/api-client/api-types.ts`, the TypeScript types of the JSON API,
 * from the same OpenAPI document the app serves at /api/openapi.json (built from the route
 * definitions; no server needed). A test fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { apiTypesSource } from './types-source.js';

const target = new URL('./api-types.ts', import.meta.url);
writeFileSync(target, await apiTypesSource());
console.log(`written ${target.pathname}`);
