import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiTypesSource } from '../../../scripts/api-client/types-source.js';

describe('scripts/api-client/api-types.ts', () => {
  it('is what `npm run api:client` generates from the current OpenAPI document', async () => {
    const committed = readFileSync(join(import.meta.dirname, '../../../scripts/api-client/api-types.ts'), 'utf8');
    // When this fails after an API change: run `npm run api:client` and commit the result.
    expect(committed === (await apiTypesSource()), 'api-types.ts is out of date: run npm run api:client').toBe(true);
  }, 60_000);
});
