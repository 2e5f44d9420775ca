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
  // One Chromium for the run's browser files (test/support/chromium.ts), started beside the stacks.
  // Should it not start, each browser file launches its own and reports why that fails.
  const browserStarted = launchChromiumServer().catch(() => undefined);
  // Bring your own services: then the run starts no DynamoDB Local / SES stand-in of its own, and one stack.
  const byo = { DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT, SES_ENDPOINT: process.env.SES_ENDPOINT };
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const lanes = byo.DYNAMODB_ENDPOINT ? 1 : workers;
  const started: Stoppable[] = [];
  const keep = <T extends Stoppable>(s: T) => (started.push(s), s);
  try {
    // A JVM's start is most of a lane's: every lane's DynamoDB Local starts at once.
    const services = await Promise.all(Array.from({ length: lanes }, async () => keep(await laneServices(byo.DYNAMODB_ENDPOINT))));
    // The first stack runs the SES stand-in (unless one is given) that the others send to.
    const first = keep(await startLane(services[0]!, byo.SES_ENDPOINT));
    const rest = await Promise.all(services.slice(1).map(async (s) => keep(await startLane(s, first.lane.env.SES_ENDPOINT))));
    const browser = await browserStarted;
    keep({ stop: async () => void (await browser?.close().catch(() => undefined)) });
    await cliBuilt;
    project.provide('relayLanes', [first, ...rest].map(({ lane }) => ({ ...lane, chromium: browser?.wsEndpoint() })));
  } catch (err) {
    await (await browserStarted)?.close().catch(() => undefined);
    await stopAll(started);
    throw err;
  }
  return () => stopAll(started);
}

interface Stoppable {
  stop(): Promise<void>;
}

/** Stops the last started first: each stack before the DynamoDB Local under it. */
async function stopAll(started: Stoppable[]): Promise<void> {
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
}

interface LaneServices extends Stoppable {
  dataDir: string;
  ports: { PORT: string; SMTP_PORT: string; SES_PORT: string; DYNAMODB_PORT: string };
  dynamoDbEndpoint: string;
}

/** A lane's data folder, ports and DynamoDB Local (none when `dynamoDbEndpoint` names one to use). */
async function laneServices(dynamoDbEndpoint?: string): Promise<LaneServices> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-it-'));
  const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = await freePorts(4);
  const ports = { PORT: PORT!, SMTP_PORT: SMTP_PORT!, SES_PORT: SES_PORT!, DYNAMODB_PORT: DYNAMODB_PORT! };
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  if (dynamoDbEndpoint) return { dataDir, ports, dynamoDbEndpoint, stop: async () => removeData() };
  // The run's DynamoDB Local keeps nothing after it, so it runs in memory (about twice as fast as on
  // disk); the tests that restart a stack on the same data start their own, on disk.
  const dynamo = await startDynamoDbLocal(Number(DYNAMODB_PORT), dataDir, '127.0.0.1', { inMemory: true }).catch((err: unknown) => {
    removeData();
    throw err;
  });
  return {
    dataDir,
    ports,
    dynamoDbEndpoint: dynamo.endpoint,
    async stop() {
      await stopChild(dynamo.process);
      removeData();
    },
  };
}

/** One stack on a lane's services, with an SES stand-in of its own unless `sesEndpoint` names one. */
async function startLane(services: LaneServices, sesEndpoint?: string): Promise<{ lane: RelayLane; stop(): Promise<void> }> {
  const env: Record<string, string> = { ...TEST_ENV, ...services.ports, DATA_DIR: services.dataDir, DYNAMODB_ENDPOINT: services.dynamoDbEndpoint };
  if (sesEndpoint) env.SES_ENDPOINT = sesEndpoint;
  const system = await startLocalSystem(readLocalConfig(env), silentLogger);
  // Every test file of this lane (and every stack a test starts of its own) talks to these two services.
  env.SES_ENDPOINT ??= `http://127.0.0.1:${services.ports.SES_PORT}`;
  return { lane: { env, dataDir: services.dataDir }, stop: () => system.stop() };
}
