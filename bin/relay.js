#!/usr/bin/env node
// The admin CLI (`npx relay …`): TypeScript run through tsx, the same code as the server.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/cli/main.ts');
