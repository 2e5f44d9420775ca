import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { startLocalSystem } from '../../../src/runtime/local/local-system.js';

import { freePorts } from '../../support/free-ports.js';

const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = await freePorts(4);
const env = { PORT: PORT!, SMTP_PORT: SMTP_PORT!, SES_PORT: SES_PORT!, DYNAMODB_PORT: DYNAMODB_PORT!, TABLE_NAME: 'restart-test', SEED_DEMO: 'true', REPLY_TOKEN_SECRET: 'restart-test-secret-0123456789' };
const dataDir = mkdtempSync(join(tmpdir(), 'relay-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function call(method: string, path: string, body?: unknown, key?: string) {
  const res = await fetch(`http://localhost:${env.PORT}${path}`, { method, headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as any };
}

describe('a restart between scheduling and firing', () => {
  it('keeps data, the clock and pending steps; the step fires once after the restart', async () => {
    const config = readLocalConfig({ ...env, DATA_DIR: dataDir });
    let system = await startLocalSystem(config, silentLogger);
    const { createGroup, addMember } = await import('../../../src/members/members.js');
    const { group, apiKey } = await createGroup(system.deps, { name: 'Restart', slug: 'restart', timezone: 'Europe/London', admin: { name: 'Ada', email: 'ada@restart.example' } });
    const priya = await addMember(system.deps, group.id, { name: 'Priya', email: 'priya@restart.example' });
    const created = await call('POST', '/api/referrals', { provider: priya.member.id, prospect: { name: 'Bob', email: 'bob@restart.example' }, need: 'books', consent: false }, apiKey);
    expect(created.status).toBe(201);
    await call('POST', '/dev/clock', { advance: 'PT30M' });
    const clockBefore = (await call('GET', '/dev/clock')).body.now as string;
    await system.stop();

    system = await startLocalSystem(config, silentLogger);
    try {
      const clockAfter = (await call('GET', '/dev/clock')).body.now as string;
      expect(Date.parse(clockAfter)).toBeGreaterThanOrEqual(Date.parse(clockBefore));
      const before = await call('GET', `/api/referrals/${created.body.id}`, undefined, apiKey);
      expect(before.body.pending.map((p: { kind: string }) => p.kind)).toContain('thank_you_prompt');
      // the demo group was seeded once only
      expect((await system.deps.store.listGroups()).filter((g) => g.slug === 'demo')).toHaveLength(1);
      await call('POST', '/dev/clock', { advance: 'PT45M' });
      const after = await call('GET', `/api/referrals/${created.body.id}`, undefined, apiKey);
      const prompts = after.body.timeline.filter((e: { kind?: string; type: string }) => e.type === 'email' && e.kind === 'thank_you_prompt');
      expect(prompts).toHaveLength(1);
      expect(after.body.pending.map((p: { kind: string }) => p.kind)).not.toContain('thank_you_prompt');
    } finally {
      await system.stop();
    }
  });

  it('names the port and its env var when a port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(Number(env.PORT), '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await expect(startLocalSystem(readLocalConfig({ ...env, DATA_DIR: dataDir }), silentLogger)).rejects.toThrow(new RegExp(`Port ${env.PORT} .*PORT=`));
    } finally {
      blocker.close();
    }
  });
});
