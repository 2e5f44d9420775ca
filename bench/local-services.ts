/**
 * The services every proof benchmark runs on: one DynamoDB Local (a Java child process) and one
 * aws-ses-v2-local, on free ports, with data in a temporary directory removed on stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalConfig } from '../src/config/env.js';
import { silentLogger } from '../src/referrals/deps.js';
import { startLocalSystem, type LocalSystem } from '../src/runtime/local/local-system.js';
import { startDynamoDbLocal, startSesLocal, stopChild } from '../src/runtime/local/services.js';
import { freePorts } from '../test/support/free-ports.js';

export interface BenchServices {
  dynamoDbEndpoint: string;
  sesEndpoint: string;
  dir: string;
  stop(): Promise<void>;
}

/** `sustainedLoad`: DynamoDB Local with the JVM's default compilers, for minutes at full speed (services.ts). */
export async function startBenchServices(opts: { sustainedLoad?: boolean } = {}): Promise<BenchServices> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  const [dynamoPort, sesPort] = await freePorts(2);
  const dynamo = await startDynamoDbLocal(Number(dynamoPort), join(dir, 'ddb'), '127.0.0.1', { sustainedLoad: opts.sustainedLoad });
  const ses: Server = await startSesLocal(Number(sesPort));
  return {
    dynamoDbEndpoint: dynamo.endpoint,
    sesEndpoint: `http://127.0.0.1:${sesPort}`,
    dir,
    async stop() {
      await new Promise<void>((ok) => ses.close(() => ok()));
      await stopChild(dynamo.process);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real local stack (app, SMTP, scheduler, clock) on the bench services, with a table of its own. */
export async function startBenchStack(services: Pick<BenchServices, 'dynamoDbEndpoint' | 'sesEndpoint'>, tableName: string, extra: Record<string, string> = {}): Promise<{ system: LocalSystem; baseUrl: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-stack-'));
  const [port, smtpPort] = await freePorts(2);
  const env = {
    DYNAMODB_ENDPOINT: services.dynamoDbEndpoint,
    SES_ENDPOINT: services.sesEndpoint,
    PORT: port!,
    SMTP_PORT: smtpPort!,
    DATA_DIR: dataDir,
    TABLE_NAME: tableName,
    SEED_DEMO: 'false',
    REPLY_TOKEN_SECRET: 'bench-secret-0123456789abcdef',
    RATE_LIMITS: 'off',
    ...extra,
  };
  const system = await startLocalSystem(readLocalConfig(env), silentLogger);
  return { system, baseUrl: `http://localhost:${env.PORT}`, dataDir };
}

/** A group with a referrer and a provider, made through the CLI's own service functions. */
export async function benchGroup(deps: LocalSystem['deps'], tag: string) {
  const { createGroup, addMember } = await import('../src/members/members.js');
  const { group, apiKey: adminKey } = await createGroup(deps, { name: `Bench ${tag}`, slug: `bench-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada Admin', email: `ada-${tag}@bench.example` } });
  const referrer = await addMember(deps, group.id, { name: 'Rita Referrer', email: `rita-${tag}@bench.example` });
  const provider = await addMember(deps, group.id, { name: 'Paul Provider', email: `paul-${tag}@bench.example` });
  return { group, adminKey, referrerKey: referrer.apiKey, referrerId: referrer.member.id, providerId: provider.member.id, providerEmail: `paul-${tag}@bench.example` };
}
