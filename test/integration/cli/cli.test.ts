import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { api, env } from '../harness.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../../bin/relay.js');

async function relay(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('admin CLI (npx relay) on the same store as the server', () => {
  it('creates a group and members, and shows a referral as the admin API does', async () => {
    const slug = `cli-${newId(6)}`;
    const group = await relay('group', 'create', '--name', 'CLI Chapter', '--slug', slug, '--timezone', 'Europe/Paris', '--admin', 'Ada Admin <ada@cli.example>');
    expect(group.code, group.stderr).toBe(0);
    const g = JSON.parse(group.stdout);
    expect(g).toMatchObject({ slug, logAddress: `${slug}@${env.INBOUND_DOMAIN}` });
    expect(g.apiKey).toMatch(/^rr_/);
    expect(g.groupId).toMatch(/^[a-z0-9]{16}$/);
    const member = await relay('member', 'add', '--group', slug, '--name', 'Priya Shah', '--email', 'priya@cli.example', '--business', 'Ledger Lane');
    expect(member.code, member.stderr).toBe(0);
    const m = JSON.parse(member.stdout);
    expect(m.memberId).toMatch(/^[a-z0-9]{16}$/);
    // the server sees them at once: same store
    const created = await api('POST', '/api/referrals', { key: g.apiKey, body: { provider: m.memberId, prospect: { name: 'Bob' }, need: 'books', consent: false } });
    expect(created.status).toBe(201);
    const shown = await relay('referral', 'show', created.body.id);
    expect(shown.code).toBe(0);
    const viaApi = await api('GET', `/api/referrals/${created.body.id}`, { key: g.apiKey });
    expect(JSON.parse(shown.stdout)).toEqual(viaApi.body);
  });

  it('bad input: a one-line message on stderr and exit code 2', async () => {
    const cases: string[][] = [
      [],
      ['group', 'create', '--name', 'X'],
      ['group', 'create', '--name', 'X', '--slug', 'Bad Slug!', '--timezone', 'Europe/London', '--admin', 'A <a@b.example>'],
      ['group', 'create', '--name', 'X', '--slug', `ok-${newId(4)}`, '--timezone', 'Mars/Olympus', '--admin', 'A <a@b.example>'],
      ['group', 'create', '--name', 'X', '--slug', `ok-${newId(4)}`, '--timezone', 'Europe/London', '--admin', 'no email here'],
      ['member', 'add', '--group', 'no-such-group', '--name', 'A', '--email', 'a@b.example'],
      ['member', 'add', '--group', 'demo', '--name', 'A', '--email', 'not-an-email'],
      ['referral', 'show', 'x'],
      ['referral', 'show', 'aaaaaaaaaaaaaaaa'],
      ['frobnicate'],
      ['group', 'create', '--bogus', '1'],
    ];
    for (const args of cases) {
      const res = await relay(...args);
      if (args.length === 0) {
        expect(res.code).toBe(0); // no arguments: usage
        continue;
      }
      expect(res.code, args.join(' ')).toBe(2);
      // one line saying what is wrong, then (for a command-line mistake) the complete usage
      const [message, ...usage] = res.stderr.trim().split('\n');
      expect(message).toMatch(/^relay: /);
      if (usage.length) expect(usage.join('\n')).toMatch(/^\nUsage: relay /);
    }
    const dup = await relay('group', 'create', '--name', 'Demo', '--slug', 'demo', '--timezone', 'Europe/London', '--admin', 'A <a@b.example>');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
  });
});
