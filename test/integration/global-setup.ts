process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readLocalConfig } from '../../src/config/env.js';
import { startLocalSystem } from '../../src/runtime/local/local-system.js';
import { silentLogger } from '../../src/referrals/deps.js';

/** Test ports, away from a developer's running `npm start`. */
export const TEST_ENV = {
  PORT: '3199',
  SMTP_PORT: '2599',
  SES_PORT: '8099',
  DYNAMODB_PORT: '8098',
  INBOUND_DOMAIN: 'relay.localhost',
  TABLE_NAME: 'referral-relay-test',
  SEED_DEMO: 'true',
  REPLY_TOKEN_SECRET: 'integration-test-secret-0123456789',
};

declare module 'vitest' {
  export interface ProvidedContext {
    relay: { env: Record<string, string>; dataDir: string; demoSignInLink?: string };
  }
}

/** One real local stack for the whole integration run: DynamoDB Local, local SES, SMTP, the app. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-it-'));
  const env = { ...TEST_ENV, DATA_DIR: dataDir };
  const system = await startLocalSystem(readLocalConfig(env), silentLogger);
  project.provide('relay', { env, dataDir, demoSignInLink: system.demoSignInLink });
  return async () => {
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
