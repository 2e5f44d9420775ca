/**
 * Webhook registration over the API, and a delivery to a real HTTP receiver that verifies the
 * Standard Webhooks signature with the secret it was given at registration.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../../src/webhooks/deliver.js';
import { webhookMessage } from '../../../src/webhooks/payloads.js';
import { verifyDelivery } from '../../../src/webhooks/signature.js';
import { api, env, freshGroup } from '../harness.js';

const run = promisify(execFile);
async function relay(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(import.meta.dirname, '../../../bin/relay.js'), ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A receiver as a CRM would run one: verifies each delivery, answers 204 or 401. */
const received: { verified: boolean; body: string; headers: Record<string, string> }[] = [];
let secretOfReceiver = '';
async function receive(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  const verified = verifyDelivery(secretOfReceiver, body, headers);
  received.push({ verified, body, headers });
  res.writeHead(verified ? 204 : 401).end();
}
const receiver = createServer((req, res) => void receive(req, res));
let receiverUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://localhost:${(receiver.address() as AddressInfo).port}/relay`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe('POST/GET/DELETE /api/webhooks', () => {
  it('registers an endpoint (secret shown once), lists it without the secret, removes it', async () => {
    const g = await freshGroup();

    const created = await api('POST', '/api/webhooks', { key: g.admin.apiKey, body: { url: receiverUrl, events: ['referral.won', 'referral.lost'] } });
    const listed = await api('GET', '/api/webhooks', { key: g.admin.apiKey });
    const removed = await api('DELETE', `/api/webhooks/${created.body.id}`, { key: g.admin.apiKey });
    const again = await api('DELETE', `/api/webhooks/${created.body.id}`, { key: g.admin.apiKey });
    const after = await api('GET', '/api/webhooks', { key: g.admin.apiKey });

    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['events', 'id', 'secret', 'url']);
    expect(created.body).toMatchObject({ url: receiverUrl, events: ['referral.won', 'referral.lost'] });
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(listed.body.items).toEqual([{ id: created.body.id, url: receiverUrl, events: ['referral.won', 'referral.lost'], createdAt: expect.any(String) }]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect(removed.status).toBe(204);
    expect(again.status).toBe(404);
    expect(after.body.items).toEqual([]);
  });

  it('every event by default', async () => {
    const g = await freshGroup();
    const created = await api('POST', '/api/webhooks', { key: g.admin.apiKey, body: { url: receiverUrl } });
    expect(created.body.events).toEqual(['referral.created', 'referral.status_changed', 'referral.won', 'referral.lost', 'member.added']);
  });

  it('refuses bad URLs, unknown events and non-admins', async () => {
    const g = await freshGroup([{ name: 'Mo Member' }]);
    const cases = [
      { body: { url: 'http://crm.example/hook' }, status: 422, message: /https/ },
      { body: { url: 'https://169.254.169.254/latest' }, status: 422, message: /public/ },
      { body: { url: 'not a url' }, status: 422, message: /absolute URL/ },
      { body: { url: receiverUrl, events: ['referral.deleted'] }, status: 422, message: /events/ },
      { body: { url: receiverUrl, secret: 'whsec_mine' }, status: 422, message: /secret/ },
    ];
    for (const { body, status, message } of cases) {
      const res = await api('POST', '/api/webhooks', { key: g.admin.apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api('POST', '/api/webhooks', { key: g.members['Mo Member']!.apiKey, body: { url: receiverUrl } })).status).toBe(403);
    expect((await api('GET', '/api/webhooks', { key: g.members['Mo Member']!.apiKey })).status).toBe(403);
    expect((await api('GET', '/api/webhooks')).status).toBe(401);
  });
});

describe('a delivery to a real receiver', () => {
  it('is signed so the receiver verifies it with the registered secret; a wrong secret is refused', async () => {
    const g = await freshGroup();
    const { body: hook } = await api('POST', '/api/webhooks', { key: g.admin.apiKey, body: { url: receiverUrl } });
    secretOfReceiver = hook.secret;
    const message = webhookMessage(`r1.2.referral.won`, 'referral.won', new Date(), { id: 'r1', status: 'won' });

    const ok = await deliverWebhook({ url: hook.url, secret: hook.secret }, message, { now: new Date() });
    const forged = await deliverWebhook({ url: hook.url, secret: 'whsec_' + Buffer.from('x'.repeat(32)).toString('base64') }, message, { now: new Date() });

    expect(ok).toEqual({ ok: true, status: 204 });
    expect(forged).toMatchObject({ ok: false, status: 401, retry: true });
    const [first] = received.slice(-2);
    expect(first!.verified).toBe(true);
    expect(first!.headers['webhook-id']).toBe('msg_r1.2.referral.won');
    expect(JSON.parse(first!.body)).toMatchObject({ type: 'referral.won', data: { id: 'r1', status: 'won' } });
  });
});

describe('npx relay webhook …', () => {
  it('adds, lists and removes; bad input exits 2 with a one-line message, then the usage', async () => {
    const g = await freshGroup();

    const added = await relay('webhook', 'add', '--group', g.group.slug, '--url', 'https://crm.example/hooks/relay', '--events', 'referral.won,referral.lost');
    const hook = JSON.parse(added.stdout);
    const listed = JSON.parse((await relay('webhook', 'list', '--group', g.group.slug)).stdout);
    const bad = await relay('webhook', 'add', '--group', g.group.slug, '--url', 'http://crm.example/hook');
    const removed = await relay('webhook', 'remove', '--group', g.group.slug, hook.id);
    const missing = await relay('webhook', 'remove', '--group', g.group.slug, hook.id);

    expect(added.code, added.stderr).toBe(0);
    expect(hook).toMatchObject({ url: 'https://crm.example/hooks/relay', events: ['referral.won', 'referral.lost'] });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(listed.items).toEqual([{ id: hook.id, url: hook.url, events: hook.events, createdAt: expect.any(String) }]);
    expect(listed.failing).toEqual([]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toMatch(/https/);
    expect(bad.stderr).toContain('Usage: relay webhook add');
    expect(removed.code).toBe(0);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toMatch(/no webhook/);
  });
});

