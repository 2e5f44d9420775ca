import { describe, expect, it } from 'vitest';
import { api, baseUrl, deps, freshGroup } from '../harness.js';
import { WebClient } from '../web/web-client.js';

/** A write to the JSON API carried only by the browser's session cookie, as a hostile page would send it. */
async function cookieWrite(browser: WebClient, path: string, opts: { origin?: string; contentType?: string; body?: string }) {
  const cookie = `rr_session=${browser.cookie('rr_session')}`;
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': opts.contentType ?? 'application/json', ...(opts.origin ? { origin: opts.origin } : {}) },
    body: opts.body ?? '{}',
  });
}

describe('JSON API and the session cookie (CSRF)', () => {
  it('a session cookie with a foreign Origin cannot remove a member (403), whatever the content type', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const priya = g.members['Priya Shah']!;
    const admin = await new WebClient().signIn(g.admin.email);

    for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await cookieWrite(admin, `/api/members/${priya.id}/remove`, { origin: 'https://evil.example', contentType });
      expect(res.status, contentType).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    const noOrigin = await cookieWrite(admin, `/api/members/${priya.id}/remove`, {});
    expect(noOrigin.status).toBe(403);
    expect((await deps().store.getMember(priya.id))?.status).toBe('active');
  });

  it('the same cookie write from our own Origin, and a Bearer key without an Origin, still work', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const admin = await new WebClient().signIn(g.admin.email);
    const own = await cookieWrite(admin, `/api/members/${g.members['Priya Shah']!.id}/remove`, { origin: baseUrl });
    expect(own.status).toBe(200);
    const bearer = await api('POST', `/api/members/${g.members['Tom Becker']!.id}/remove`, { key: g.admin.apiKey, body: {} });
    expect(bearer.status).toBe(200);
  });

  it('reads with the cookie need no Origin', async () => {
    const g = await freshGroup([]);
    const admin = await new WebClient().signIn(g.admin.email);
    const res = await fetch(`${baseUrl}/api/members`, { headers: { cookie: `rr_session=${admin.cookie('rr_session')}` } });
    expect(res.status).toBe(200);
  });
});
