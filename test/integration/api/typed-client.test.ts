import { describe, expect, it } from 'vitest';
import { relayClient } from '../../../scripts/api-client/client.js';
import { baseUrl, freshGroup } from '../harness.js';

describe('the typed API client (openapi-fetch over the generated types) against the running API', () => {
  it('adds a member, logs a referral to them and reads it back', async () => {
    const { admin, members } = await freshGroup([{ name: 'Priya Shah', business: 'Ledger Lane' }]);
    const relay = relayClient(baseUrl, admin.apiKey);

    const added = await relay.POST('/members', { body: { name: 'Omar Haddad', email: `omar-${admin.email}`, business: 'Haddad Builders' } });
    expect(added.response.status).toBe(201);
    expect(added.data?.member).toMatchObject({ name: 'Omar Haddad', business: 'Haddad Builders' });

    const listed = await relay.GET('/members');
    expect(listed.data?.items.map((m) => m.name).sort()).toEqual(['Ada Admin', 'Omar Haddad', 'Priya Shah']);

    const created = await relay.POST('/referrals', { body: { provider: members['Priya Shah']!.id, prospect: { name: 'Bob Baker' }, need: 'bookkeeping', consent: false } });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    const shown = await relay.GET('/referrals/{id}', { params: { path: { id } } });
    expect(shown.data).toMatchObject({ id, status: 'logged', prospect: { name: 'Bob Baker' }, provider: { id: members['Priya Shah']!.id } });
  });

  it('answers errors typed as the contract error body', async () => {
    const { admin } = await freshGroup();
    const missing = await relayClient(baseUrl, admin.apiKey).GET('/referrals/{id}', { params: { path: { id: 'aaaaaaaaaaaaaaaa' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBeTypeOf('string');
    const refused = await relayClient(baseUrl, 'rr_not-a-key').GET('/members');
    expect(refused.response.status).toBe(401);
  });
});

describe('GET /api/docs', () => {
  it('shows every operation of the OpenAPI document, served by the app itself within the page CSP', async () => {
    const [page, doc] = await Promise.all([fetch(`${baseUrl}/api/docs`), fetch(`${baseUrl}/api/openapi.json`).then((r) => r.json() as Promise<{ paths: Record<string, Record<string, unknown>> }>)]);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) expect(html, `${method} ${path}`).toContain(`id="${method}-${path.replace(/[^a-z0-9]+/gi, '-')}"`);
    }
    // Nothing from elsewhere, and no script the CSP would block.
    expect(html).not.toMatch(/<script|<link[^>]+href="https?:|src="https?:/i);
  });
});
