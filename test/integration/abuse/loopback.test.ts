/**
 * The local stack listens on loopback only by default: web, SMTP, the SES stand-in and DynamoDB Local
 * refuse a connection to the machine's LAN address; HOST=0.0.0.0 exposes them on purpose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { startLocalSystem, type LocalSystem } from '../../../src/runtime/local/local-system.js';
import { freePorts } from '../../support/free-ports.js';

/** The machine's first non-loopback IPv4 address (what another machine on the LAN would connect to). */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

/** 'open' when a TCP connection is accepted, else the error code (ECONNREFUSED when nothing listens there). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((ok) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      ok('open');
    });
    socket.once('timeout', () => {
      socket.destroy();
      ok('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => ok(err.code ?? err.message));
  });
}

let system: LocalSystem | undefined;
let dataDir: string | undefined;

async function start(extra: Record<string, string> = {}) {
  dataDir = mkdtempSync(join(tmpdir(), 'relay-host-'));
  const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = (await freePorts(4)).map(Number) as [number, number, number, number];
  const env = { PORT: String(PORT), SMTP_PORT: String(SMTP_PORT), SES_PORT: String(SES_PORT), DYNAMODB_PORT: String(DYNAMODB_PORT), DATA_DIR: dataDir, SEED_DEMO: 'false', TABLE_NAME: 'referral-relay-host', REPLY_TOKEN_SECRET: 'loopback-test-secret-0123456789', ...extra };
  system = await startLocalSystem(readLocalConfig(env), silentLogger);
  return { web: PORT, smtp: SMTP_PORT, ses: SES_PORT, dynamodb: DYNAMODB_PORT };
}

afterEach(async () => {
  await system?.stop();
  system = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('where the local stack listens', () => {
  it('by default every component answers on 127.0.0.1 and refuses the LAN address', { timeout: 120_000 }, async () => {
    const lan = lanAddress();
    expect(lan, 'this test needs a non-loopback IPv4 address on the machine').toBeDefined();
    const ports = await start();

    for (const [name, port] of Object.entries(ports)) {
      expect(await tryConnect('127.0.0.1', port), `${name} on loopback`).toBe('open');
      expect(await tryConnect(lan!, port), `${name} on ${lan}`).toBe('ECONNREFUSED');
    }
    // The store really is DynamoDB Local on loopback (the app's health check goes through it).
    expect(await (await fetch(`http://127.0.0.1:${ports.web}/healthz`)).json()).toEqual({ ok: true });
  });

  it('HOST=0.0.0.0 exposes them on purpose: DynamoDB Local answers ListTables from the LAN address', { timeout: 120_000 }, async () => {
    const lan = lanAddress()!;
    const ports = await start({ HOST: '0.0.0.0' });

    for (const [name, port] of Object.entries(ports)) expect(await tryConnect(lan, port), `${name} on ${lan}`).toBe('open');
    const listTables = await fetch(`http://${lan}:${ports.dynamodb}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=00' },
      body: '{}',
    });
    expect(await listTables.json()).toEqual({ TableNames: ['referral-relay-host'] });
    expect((await fetch(`http://${lan}:${ports.web}/healthz`)).status).toBe(200);
  });

  it('a bad HOST stops start-up with a message naming it', () => {
    expect(() => readLocalConfig({ HOST: 'not a host!' })).toThrow(/HOST/);
  });
});
