/** Issue 12 item 4: every credential can be taken back, and a secret rotation breaks no link already sent. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { signValue } from '../../../src/domain/signed-link.js';
import { createApp } from '../../../src/web/app.js';
import { api, baseUrl, deps, env, freshGroup } from '../harness.js';
import { WebClient } from '../web/web-client.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../../bin/relay.js');
async function relay(...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (err) {
    return { code: (err as { code: number }).code, json: undefined };
  }
}

const withCookie = (value: string | undefined) => ({ cookie: `rr_session=${value}` });

describe('sign-out ends the session on the server', () => {
  it('a copied cookie stops working the moment its owner signs out', async () => {
    const g = await freshGroup([{ name: 'Rita Member' }]);
    const rita = await new WebClient().signIn(g.members['Rita Member']!.email);
    const copied = rita.cookie('rr_session');
    const before = await fetch(`${baseUrl}/api/members`, { headers: withCookie(copied) });
    expect(before.status).toBe(200);

    expect((await rita.post('/signout', {})).location).toBe('/signin');

    expect((await fetch(`${baseUrl}/api/members`, { headers: withCookie(copied) })).status).toBe(401);
    const page = await fetch(`${baseUrl}/referrals`, { headers: withCookie(copied), redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/signin/);
  });

  it('a forged cookie (old "member|expiry" format or unsigned) is nobody', async () => {
    const g = await freshGroup([]);
    const forged = `${g.admin.id}|${Date.now() + 86_400_000}`;
    expect((await fetch(`${baseUrl}/api/members`, { headers: withCookie(encodeURIComponent(forged)) })).status).toBe(401);
  });
});

describe('an admin revokes and rotates a member’s API key', () => {
  it('through the API: rotate gives a new key and kills the old; revoke kills them all; only admins may', async () => {
    const g = await freshGroup([{ name: 'Kim Key' }, { name: 'Tom Other' }]);
    const kim = g.members['Kim Key']!;
    expect((await api('POST', `/api/members/${kim.id}/api-key`, { key: g.members['Tom Other']!.apiKey })).status).toBe(403);
    expect((await api('POST', `/api/members/${kim.id}/api-key`, { key: kim.apiKey })).status).toBe(403);

    const rotated = await api('POST', `/api/members/${kim.id}/api-key`, { key: g.admin.apiKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.apiKey).toMatch(/^rr_/);
    expect((await api('GET', '/api/members', { key: kim.apiKey })).status).toBe(401);
    expect((await api('GET', '/api/members', { key: rotated.body.apiKey })).status).toBe(200);

    expect((await api('DELETE', `/api/members/${kim.id}/api-key`, { key: g.admin.apiKey })).status).toBe(200);
    expect((await api('GET', '/api/members', { key: rotated.body.apiKey })).status).toBe(401);
  });

  it('on the admin page: the new key is shown once and the old one stops', async () => {
    const g = await freshGroup([{ name: 'Pat Page' }]);
    const pat = g.members['Pat Page']!;
    const admin = await new WebClient().signIn(g.admin.email);
    const page = await admin.post(`/admin/members/${pat.id}/api-key`, {});
    expect(page.status).toBe(200);
    const newKey = /rr_[A-Za-z0-9_-]{40,}/.exec(page.text)?.[0];
    expect(newKey).toBeTruthy();
    expect((await api('GET', '/api/members', { key: pat.apiKey })).status).toBe(401);
    expect((await api('GET', '/api/members', { key: newKey })).status).toBe(200);
    expect((await admin.post(`/admin/members/${pat.id}/api-key/revoke`, {})).status).toBe(200);
    expect((await api('GET', '/api/members', { key: newKey })).status).toBe(401);
    // Another group's admin cannot touch Pat.
    const other = await freshGroup([]);
    const stranger = await new WebClient().signIn(other.admin.email);
    expect((await stranger.post(`/admin/members/${pat.id}/api-key`, {})).status).toBe(404);
  });

  it('with the CLI', async () => {
    const g = await freshGroup([{ name: 'Cal Cli' }]);
    const cal = g.members['Cal Cli']!;
    const rotated = await relay('member', 'key', 'rotate', '--id', cal.id);
    expect(rotated.code).toBe(0);
    expect(rotated.json).toMatchObject({ memberId: cal.id, apiKey: expect.stringMatching(/^rr_/) });
    expect((await api('GET', '/api/members', { key: cal.apiKey })).status).toBe(401);
    expect((await api('GET', '/api/members', { key: rotated.json.apiKey })).status).toBe(200);
    expect((await relay('member', 'key', 'revoke', '--id', cal.id)).json).toEqual({ memberId: cal.id, revoked: true });
    expect((await api('GET', '/api/members', { key: rotated.json.apiKey })).status).toBe(401);
    expect((await relay('member', 'key', 'spin', '--id', cal.id)).code).toBe(2);
  });
});

describe('a removed member can be reactivated', () => {
  it('comes back with a new key; the old key and old sessions stay dead', async () => {
    const g = await freshGroup([{ name: 'Rey Removed' }]);
    const rey = g.members['Rey Removed']!;
    const browser = await new WebClient().signIn(rey.email);
    const oldCookie = browser.cookie('rr_session');
    expect((await api('POST', `/api/members/${rey.id}/remove`, { key: g.admin.apiKey, body: {} })).status).toBe(200);

    const back = await api('POST', `/api/members/${rey.id}/reactivate`, { key: g.admin.apiKey });
    expect(back.status).toBe(200);
    expect(back.body.member.status).toBe('active');
    expect((await deps().store.getMember(rey.id))?.status).toBe('active');
    expect((await api('GET', '/api/members', { key: back.body.apiKey })).status).toBe(200);
    expect((await api('GET', '/api/members', { key: rey.apiKey })).status).toBe(401);
    expect((await fetch(`${baseUrl}/api/members`, { headers: withCookie(oldCookie) })).status).toBe(401);
    // They sign in again as usual.
    await new WebClient().signIn(rey.email);
  });

  it('on the admin page and with the CLI', async () => {
    const g = await freshGroup([{ name: 'Ann Again' }, { name: 'Cy Again' }]);
    const admin = await new WebClient().signIn(g.admin.email);
    for (const m of Object.values(g.members)) await api('POST', `/api/members/${m.id}/remove`, { key: g.admin.apiKey, body: {} });
    const listed = await admin.get('/admin');
    expect(listed.text).toContain(`action="/admin/members/${g.members['Ann Again']!.id}/reactivate"`);
    const page = await admin.post(`/admin/members/${g.members['Ann Again']!.id}/reactivate`, {});
    expect(page.status).toBe(200);
    expect(page.text).toContain('is active again');
    const cli = await relay('member', 'reactivate', '--id', g.members['Cy Again']!.id);
    expect(cli.json).toMatchObject({ status: 'active', apiKey: expect.stringMatching(/^rr_/) });
    const statuses = await Promise.all(Object.values(g.members).map(async (m) => (await deps().store.getMember(m.id))?.status));
    expect(statuses).toEqual(['active', 'active']);
  });
});

describe('rotating the signing secret', () => {
  it('keeps the previous secret verifying stop and unsubscribe links and sessions; a third secret does not', async () => {
    const g = await freshGroup([{ name: 'Una Sub' }]);
    const d = deps();
    const oldSecret = d.config.sessionSecret;
    const rotated = createApp({ ...d, config: { ...d.config, sessionSecret: 'a-brand-new-secret-0123456789', previousSessionSecret: oldSecret } });
    const unrotated = createApp({ ...d, config: { ...d.config, sessionSecret: 'a-brand-new-secret-0123456789' } });
    const { referral } = await (await import('../../../src/referrals/log-referral.js')).logReferral(
      d,
      { groupId: g.group.id, referrerId: g.admin.id, providerId: g.members['Una Sub']!.id, prospect: { name: 'Pia Prospect', email: `pia-${g.tag}@prospect.example` }, need: 'books', consent: false, source: 'api' },
      { via: 'api', actorId: g.admin.id },
    );
    const stop = `/stop/${signValue('stop', referral.id, oldSecret)}`;
    const unsubscribe = `/unsubscribe/${signValue('unsubscribe', g.members['Una Sub']!.id, oldSecret)}`;
    for (const path of [stop, unsubscribe]) {
      expect((await rotated.request(path)).status, path).toBe(200);
      expect((await unrotated.request(path)).status, path).toBe(400);
    }
    // A browser signed in before the rotation stays signed in.
    const browser = await new WebClient().signIn(g.admin.email);
    const headers = withCookie(browser.cookie('rr_session'));
    expect((await rotated.request('/api/members', { headers })).status).toBe(200);
    expect((await unrotated.request('/api/members', { headers })).status).toBe(401);
  });
});
