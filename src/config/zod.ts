/**
 * zod for the code that runs in Lambda: `zod/mini` (functions instead of methods, so esbuild keeps only
 * the checks a bundle uses: about 16 KiB against 90 KiB for classic zod) with zod's English messages
 * switched on, so a bad event or variable is explained the same way as in the API.
 *
 * Import it as `import * as z from '…/config/zod.js'`. Schemas made here compose with classic zod
 * schemas (both are built on `zod/v4/core`), so the API can nest them.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
