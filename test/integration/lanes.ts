/**
 * The integration run's stacks, started once by global-setup.ts: a real local stack — DynamoDB
 * Local, SMTP door, scheduler, the app — for each worker of the run, all sending to the first one's
 * local SES. DynamoDB Local works one request at a time: with one instance for the whole run it was
 * the bottleneck (a core at 70-100 % for minutes while the other waited), so each worker's files get
 * their own.
 *
 * Only the DynamoDB Local launcher is imported up front: the JVMs and Chromium start while the
 * app's modules load (a second or so), instead of after them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startDynamoDbLocal, stopChild } from '../../src/runtime/local/services.js';
import { freePorts } from '../support/free-ports.js';

export const TEST_ENV = {
  INBOUND_DOMAIN: 'relay.localhost',
  TABLE_NAME: 'referral-relay-test',
  SEED_DEMO: 'true',
  REPLY_TOKEN_SECRET: 'integration-test-secret-0123456789',
};

/** One stack of the run, as the test files see it (see `relay` in harness.ts). */
export interface RelayLane {
  env: Record<string, string>;
  dataDir: string;
  /** `chromium`: the run's one Chromium (a playwright browser server's WebSocket endpoint). */
  chromium?: string;
}

interface Stoppable {
  stop(): Promise<void>;
}

/** Stops the last started first: each stack before the DynamoDB Local under it. */
async function stopAll(started: Stoppable[]): Promise<void> {
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
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

/** The app's modules, loaded while the JVMs start. */
const loadApp = async () => {
  const [{ startLocalSystem }, { readLocalConfig }, { silentLogger }] = await Promise.all([
    import('../../src/runtime/local/local-system.js'),
    import('../../src/config/env.js'),
    import('../../src/referrals/deps.js'),
  ]);
  return { startLocalSystem, readLocalConfig, silentLogger };
};
type App = Awaited<ReturnType<typeof loadApp>>;

/**
 * One lane per worker (one when `dynamoDbEndpoint` names a DynamoDB to use: bring your own), and
 * the run's Chromium. `stop` ends them all.
 */
export async function startLanes(opts: { workers: number; dynamoDbEndpoint?: string; sesEndpoint?: string }): Promise<{ lanes: RelayLane[]; stop(): Promise<void> }> {
  const cliBuilt = buildCliBundle();
  // One Chromium for the run's browser files (test/support/chromium.ts), started beside the stacks.
  // Should it not start, each browser file launches its own and reports why that fails.
  const browserStarted = import('../support/chromium.js').then(({ launchChromiumServer }) => launchChromiumServer()).catch(() => undefined);
  const appLoaded = loadApp();
  appLoaded.catch(() => undefined); // awaited below; a failure is reported there
  const count = opts.dynamoDbEndpoint ? 1 : Math.max(1, opts.workers);
  const started: Stoppable[] = [];
  const keep = <T extends Stoppable>(s: T) => (started.push(s), s);
  try {
    // A JVM's start is most of a lane's: every lane's DynamoDB Local starts at once.
    const services = await Promise.all(Array.from({ length: count }, async () => keep(await laneServices(opts.dynamoDbEndpoint))));
    const app = await appLoaded;
    // The first stack runs the SES stand-in (unless one is given) that the others send to.
    const first = keep(await startLane(app, services[0]!, opts.sesEndpoint));
    const rest = await Promise.all(services.slice(1).map(async (s) => keep(await startLane(app, s, first.lane.env.SES_ENDPOINT))));
    const browser = await browserStarted;
    keep({ stop: async () => void (await browser?.close().catch(() => undefined)) });
    await cliBuilt;
    return { lanes: [first, ...rest].map(({ lane }) => ({ ...lane, chromium: browser?.wsEndpoint() })), stop: () => stopAll(started) };
  } catch (err) {
    await (await browserStarted)?.close().catch(() => undefined);
    await stopAll(started);
    throw err;
  }
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
async function startLane(app: App, services: LaneServices, sesEndpoint?: string): Promise<{ lane: RelayLane; stop(): Promise<void> }> {
  const env: Record<string, string> = { ...TEST_ENV, ...services.ports, DATA_DIR: services.dataDir, DYNAMODB_ENDPOINT: services.dynamoDbEndpoint };
  if (sesEndpoint) env.SES_ENDPOINT = sesEndpoint;
  const system = await app.startLocalSystem(app.readLocalConfig(env), app.silentLogger);
  // Every test file of this lane (and every stack a test starts of its own) talks to these two services.
  env.SES_ENDPOINT ??= `http://127.0.0.1:${services.ports.SES_PORT}`;
  return { lane: { env, dataDir: services.dataDir }, stop: () => system.stop() };
}
