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

/** One stack of the run, as the test files see it (see `lane` in harness.ts). */
export interface RelayLane {
  env: Record<string, string>;
  dataDir: string;
  /** `chromium`: the run's one Chromium (a playwright browser server's WebSocket endpoint). */
  chromium?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One stack per worker (a file talks to its worker's: harness.ts), all on the one SES stand-in. */
    relayLanes: RelayLane[];
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

/**
 * A real local stack — DynamoDB Local, SMTP door, scheduler, the app — for each worker of the run,
 * all sending to the first one's local SES. DynamoDB Local works one request at a time: with one
 * instance for the whole run it was the bottleneck (a core at 70-100 % for minutes while the other
 * waited), so each worker's files get their own.
 */
export default async function setup(project: TestProject) {
  const cliBuilt = buildCliBundle();
  // Bring your own services: then the run starts no DynamoDB Local / SES stand-in of its own, and one stack.
  const byo = { DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT, SES_ENDPOINT: process.env.SES_ENDPOINT };
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const lanes = byo.DYNAMODB_ENDPOINT ? 1 : workers;
  const started: { stop(): Promise<void> }[] = [];
  try {
    const first = await startLane(byo);
    started.push(first);
    const rest = await Promise.all(
      Array.from({ length: lanes - 1 }, async () => {
        const lane = await startLane({ SES_ENDPOINT: first.lane.env.SES_ENDPOINT });
        started.push(lane);
        return lane;
      }),
    );
    // One Chromium for the run's browser files (test/support/chromium.ts). Should it not start, each
    // browser file launches its own and reports why that fails.
    const browser = await launchChromiumServer().catch(() => undefined);
    started.push({ stop: async () => void (await browser?.close().catch(() => undefined)) });
    await cliBuilt;
    project.provide('relayLanes', [first, ...rest].map(({ lane }) => ({ ...lane, chromium: browser?.wsEndpoint() })));
  } catch (err) {
    await stopAll(started);
    throw err;
  }
  return () => stopAll(started);
}

async function stopAll(started: { stop(): Promise<void> }[]): Promise<void> {
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
}

/** One stack, with a DynamoDB Local of its own unless `services` names one (and an SES stand-in unless it names one). */
async function startLane(services: { DYNAMODB_ENDPOINT?: string; SES_ENDPOINT?: string }): Promise<{ lane: RelayLane; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-it-'));
  const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = await freePorts(4);
  const env: Record<string, string> = { ...TEST_ENV, PORT: PORT!, SMTP_PORT: SMTP_PORT!, SES_PORT: SES_PORT!, DYNAMODB_PORT: DYNAMODB_PORT!, DATA_DIR: dataDir };
  for (const name of ['DYNAMODB_ENDPOINT', 'SES_ENDPOINT'] as const) if (services[name]) env[name] = services[name];
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
  // Every test file of this lane (and every stack a test starts of its own) talks to these two services.
  env.SES_ENDPOINT ??= `http://127.0.0.1:${SES_PORT}`;
  return {
    lane: { env, dataDir },
    async stop() {
      await system.stop();
      if (dynamo) await stopChild(dynamo.process);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
