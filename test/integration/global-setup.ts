process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import { readLocalConfig } from '../../src/config/env.js';
import { startLocalSystem } from '../../src/runtime/local/local-system.js';
import { startDynamoDbLocal, stopChild } from '../../src/runtime/local/services.js';
import { silentLogger } from '../../src/referrals/deps.js';
import { launchChromiumServer } from '../support/chromium.js';

/** Free ports chosen at start, so a test run never collides with `npm start` or another run. */
export async function freePorts(count: number): Promise<string[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import('node:net').Server>((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => ok(s)); })),
  );
  const ports = servers.map((s) => String((s.address() as import('node:net').AddressInfo).port));
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

export const TEST_ENV = {
  INBOUND_DOMAIN: 'relay.localhost',
  TABLE_NAME: 'referral-relay-test',
  SEED_DEMO: 'true',
  REPLY_TOKEN_SECRET: 'integration-test-secret-0123456789',
};

declare module 'vitest' {
  export interface ProvidedContext {
    /** `chromium`: the run's one Chromium (a playwright browser server's WebSocket endpoint). */
    relay: { env: Record<string, string>; dataDir: string; demoSignInLink?: string; chromium?: string };
  }
}

/**
 * The CLI's bundle (bin/cli-bundle.js) built once before the files that run `relay`, instead of by
 * several of their first runs at once when the sources changed since the last run.
 */
async function buildCliBundle(): Promise<void> {
  try {
    const url = pathToFileURL(join(import.meta.dirname, '../../bin/cli-bundle.js')).href;
    const { cliBundle } = (await import(url)) as { cliBundle: () => Promise<string> };
    await cliBundle();
  } catch {
    // Each run of the CLI tries again, and runs through tsx if it cannot build either.
  }
}

/** One real local stack for the whole integration run: DynamoDB Local, local SES, SMTP, the app. */
export default async function setup(project: TestProject) {
  const cliBuilt = buildCliBundle();
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-it-'));
  const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = await freePorts(4);
  const env: Record<string, string> = { ...TEST_ENV, PORT: PORT!, SMTP_PORT: SMTP_PORT!, SES_PORT: SES_PORT!, DYNAMODB_PORT: DYNAMODB_PORT!, DATA_DIR: dataDir };
  // Bring your own services: then the run starts no DynamoDB Local / SES stand-in of its own.
  for (const name of ['DYNAMODB_ENDPOINT', 'SES_ENDPOINT'] as const) if (process.env[name]) env[name] = process.env[name];
  // The run's DynamoDB Local keeps nothing after it, so it runs in memory (about twice as fast as on
  // disk); the tests that restart a stack on the same data start their own, on disk.
  let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  if (!env.DYNAMODB_ENDPOINT) {
    dynamo = await startDynamoDbLocal(Number(DYNAMODB_PORT), dataDir, '127.0.0.1', { inMemory: true });
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  }
  const system = await startLocalSystem(readLocalConfig(env), silentLogger).catch(async (err: unknown) => {
    if (dynamo) await stopChild(dynamo.process);
    throw err;
  });
  // Every test file (and every stack a test starts of its own) talks to the same two services.
  env.DYNAMODB_ENDPOINT ??= `http://127.0.0.1:${DYNAMODB_PORT}`;
  env.SES_ENDPOINT ??= `http://127.0.0.1:${SES_PORT}`;
  // One Chromium for the run's browser files (test/support/chromium.ts). Should it not start, each
  // browser file launches its own and reports why that fails.
  const browser = await launchChromiumServer().catch(() => undefined);
  await cliBuilt;
  project.provide('relay', { env, dataDir, demoSignInLink: system.demoSignInLink, chromium: browser?.wsEndpoint() });
  return async () => {
    await browser?.close().catch(() => undefined);
    await system.stop();
    if (dynamo) await stopChild(dynamo.process);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
