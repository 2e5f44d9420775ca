#!/usr/bin/env node
// The admin CLI (`npx relay …`): the same TypeScript as the server. It runs from a bundle of
// src/cli/main.ts that bin/cli-bundle.js keeps in node_modules/.cache/relay-cli and builds again when
// a source changed: a start costs about a third of the CPU of tsx's loader. Through tsx as before when
// the bundle cannot be built or loaded, or with RELAY_CLI_NO_BUNDLE=1.
import { rmSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, cliBundle } from './cli-bundle.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Node 22.1+ keeps the compiled code of the modules a run loads (the AWS SDK's above all) on disk for
// the next run; Node 20 has no such cache.
module.enableCompileCache?.(join(CACHE_DIR, 'compile-cache'));

async function runBundle() {
  if (process.env.RELAY_CLI_NO_BUNDLE === '1') return false;
  let entry;
  try {
    entry = await cliBundle();
    // Stack traces point at the TypeScript sources, as they do under tsx.
    process.setSourceMapsEnabled(true);
    // The command starts only once every module of the entry is linked: a failure here (a chunk
    // deleted by hand, say) has done nothing yet, so tsx can still run it. The broken bundle goes,
    // and the next run builds it again.
    await import(entry);
    return true;
  } catch {
    if (entry) rmSync(dirname(fileURLToPath(entry)), { recursive: true, force: true });
    return false;
  }
}

if (!(await runBundle())) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
