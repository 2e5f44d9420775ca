/**
 * Webhooks end to end (issue 14 item 4): changes raise events, deliveries go out through the
 * scheduler (deterministic names) to a real receiver that verifies every Standard Webhooks signature,
 * carry the referrer's redaction, are retried with backoff while the receiver fails, parked after
 * 24 h where the admin sees them, and sent again by the admin's "resend".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/webhooks/signature.js';
import { advanceClock, api, drainOutbox, eventually, freshGroup, useOwnStack } from '../harness.js';

/** Events are raised from the table's stream and their first attempt is a step due now: run both. */
async function settle() {
  await drainOutbox();
  await advanceClock('PT1S');
}
import { WebClient } from '../web/web-client.js';

// A day of retries passes on a clock of this file's own.
useOwnStack('file');

interface Received {
  path: string;
  verified: boolean;
  headers: Record<string, string>;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** A receiver as a CRM would run one: checks each signature with its path's secret; a path can be made to fail. */
const received: Received[] = [];
const secrets = new Map<string, string>();
const failing = new Set<string>();
async function receive(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const path = req.url ?? '';
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  const verified = verifyDelivery(secrets.get(path) ?? '', raw, headers);
  received.push({ path, verified, headers, body: JSON.parse(raw) as Received['body'] });
  res.writeHead(failing.has(path) ? 503 : verified ? 204 : 401).end();
}
const receiver = createServer((req, res) => void receive(req, res));
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** A group with Priya and Tom and a webhook of its own at the receiver. */
async function groupWithWebhook(events?: string[]) {
  const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
  const path = `/hooks/${g.tag}`;
  const hook = await api('POST', '/api/webhooks', { key: g.admin.apiKey, body: { url: `${base}${path}`, ...(events ? { events } : {}) } });
  expect(hook.status).toBe(201);
  secrets.set(path, hook.body.secret as string);
  return { g, path, hook: hook.body as { id: string }, at: () => received.filter((r) => r.path === path) };
}

describe('webhook deliveries', () => {
  it('referral.created, status_changed, won and member.added reach the receiver, signed, with the referrer view', async () => {
    // Prepare
    const { g, at } = await groupWithWebhook();
    const priya = g.members['Priya Shah']!;

    // Act
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: priya.id, prospect: { name: 'Bob Stone', email: `bob-${g.tag}@example.org` }, need: 'Books', consent: true } });
    await settle();
    await eventually(async () => at().length === 1, 'referral.created delivered');
    await api('POST', `/api/referrals/${created.body.id}/actions`, { key: priya.apiKey, body: { action: 'won', amount: 4500, text: 'private: they pay late' } });
    await settle();
    await eventually(async () => at().length === 3, 'status_changed and won delivered');
    const member = await api('POST', '/api/members', { key: g.admin.apiKey, body: { name: 'Nia New', email: `nia-${g.tag}@example.com` } });
    expect(member.status).toBe(201);
    await settle();
    await eventually(async () => at().length === 4, 'member.added delivered');

    // Assess
    const got = at();
    expect(got.every((r) => r.verified)).toBe(true);
    // status_changed and won come from one change and are delivered independently: either may arrive first.
    const types = got.map((r) => r.body.type as string);
    expect([types[0], ...types.slice(1, 3).sort(), types[3]]).toEqual(['referral.created', 'referral.status_changed', 'referral.won', 'member.added']);
    expect(got[0]!.body.data).toMatchObject({ id: created.body.id, status: 'logged', prospect: { name: 'Bob Stone' } });
    expect(got[1]!.body.data).toMatchObject({ status: 'won', previousStatus: 'logged' });
    // The referrer's redaction: no unshared amount, no private text, no timeline
    const wonText = JSON.stringify(got[2]!.body);
    expect(wonText).not.toMatch(/4500|pay late|timeline/);
    expect(got[3]!.body.data).toMatchObject({ name: 'Nia New' });
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(4);
    for (const r of got) expect(r.headers['webhook-signature']).toMatch(/^v1,/);
    // Every delivery is listed for the admin as sent
    const deliveries = await api('GET', '/api/webhooks/deliveries', { key: g.admin.apiKey });
    expect(deliveries.body.items.map((d: { status: string }) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('only the events an endpoint asked for', async () => {
    const { g, at } = await groupWithWebhook(['referral.lost']);
    const priya = g.members['Priya Shah']!;
    const created = await api('POST', '/api/referrals', { key: g.members['Tom Becker']!.apiKey, body: { provider: priya.id, prospect: { name: 'Lou Lost' }, need: 'Books', consent: false } });
    await api('POST', `/api/referrals/${created.body.id}/actions`, { key: priya.apiKey, body: { action: 'lost', text: 'went with a cheaper quote' } });
    await settle();
    await eventually(async () => at().length === 1, 'referral.lost delivered');
    expect(at()[0]!.body).toMatchObject({ type: 'referral.lost', data: { status: 'lost' } });
  });

  it('a failing receiver: retried with backoff, shown to the admin, parked after 24 h, and resent on request', async () => {
    // Prepare: the receiver answers 503
    const { g, path, hook, at } = await groupWithWebhook(['member.added']);
    failing.add(path);

    // Act: an event, then two minutes (the 5 s and 5 min retries are due by then... the first only)
    await api('POST', '/api/members', { key: g.admin.apiKey, body: { name: 'Fay Fail', email: `fay-${g.tag}@example.com` } });
    await settle();
    await eventually(async () => at().length === 1, 'first attempt');
    await advanceClock('PT1M');

    // Assess: failing, retrying, visible to the admin with the error and the next attempt
    let [delivery] = (await api('GET', '/api/webhooks/deliveries', { key: g.admin.apiKey })).body.items;
    expect(delivery).toMatchObject({ status: 'failing', attempts: 2, lastError: 'HTTP 503', event: 'member.added' });
    expect(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.lastAttemptAt)).toBe(300_000);

    // Act: a day passes, still failing
    await advanceClock('PT25H');
    [delivery] = (await api('GET', '/api/webhooks/deliveries', { key: g.admin.apiKey })).body.items;
    expect(delivery).toMatchObject({ status: 'parked', lastError: 'HTTP 503' });
    // 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h after each other, and a last try at 24 h
    expect(delivery.attempts).toBe(8);
    expect(at()).toHaveLength(8);
    // Every attempt carries the same message id (receivers dedupe on it)
    expect(new Set(at().map((r) => r.headers['webhook-id'])).size).toBe(1);
    const page = await api<string>('GET', '/admin', { key: g.admin.apiKey });
    expect(page.body).toContain('HTTP 503');
    expect(page.body).toContain(`/admin/webhooks/deliveries/${delivery.id}/resend`);

    // Act: the receiver is fixed; the admin resends
    failing.delete(path);
    const resent = await api('POST', `/api/webhooks/deliveries/${delivery.id}/resend`, { key: g.admin.apiKey });
    expect(resent.status).toBe(202);
    await advanceClock('PT1S');
    await eventually(async () => at().length === 9, 'the resent delivery');

    // Assess
    [delivery] = (await api('GET', '/api/webhooks/deliveries', { key: g.admin.apiKey })).body.items;
    expect(delivery.status).toBe('sent');
    expect(at().at(-1)!.verified).toBe(true);
    expect((await api('POST', '/api/webhooks/deliveries/000000000000000000000000/resend', { key: g.admin.apiKey })).status).toBe(404);
    expect((await api('POST', `/api/webhooks/deliveries/${delivery.id}/resend`, { key: g.members['Priya Shah']!.apiKey })).status).toBe(403);
    // Once its webhook is removed, a delivery has nowhere to go
    expect((await api('DELETE', `/api/webhooks/${hook.id}`, { key: g.admin.apiKey })).status).toBe(204);
    expect((await api('POST', `/api/webhooks/deliveries/${delivery.id}/resend`, { key: g.admin.apiKey })).status).toBe(404);
  });

  it('on /admin: add a webhook (the secret shown once), a bad URL explained, remove it', async () => {
    const g = await freshGroup();
    const admin = await new WebClient().signIn(g.admin.email);

    const bad = await admin.post('/admin/webhooks', { url: 'http://crm.example/hook', events: ['referral.won'] });
    const added = await admin.post('/admin/webhooks', { url: 'https://crm.example/hooks/relay', events: ['referral.won', 'referral.lost'] });
    const listed = (await api('GET', '/api/webhooks', { key: g.admin.apiKey })).body.items as { id: string; url: string; events: string[] }[];
    const page = await admin.get('/admin');

    expect(bad.status).toBe(422);
    expect(bad.text).toContain('must use https');
    expect(added.status).toBe(200);
    expect(added.text).toMatch(/whsec_[A-Za-z0-9+/=]{20,}/);
    expect(listed).toEqual([expect.objectContaining({ url: 'https://crm.example/hooks/relay', events: ['referral.won', 'referral.lost'] })]);
    expect(page.text).toContain('https://crm.example/hooks/relay');
    expect(page.text).not.toContain('whsec_');

    const removed = await admin.post(`/admin/webhooks/${listed[0]!.id}/remove`, {});
    expect(removed.status).toBe(303);
    expect((await api('GET', '/api/webhooks', { key: g.admin.apiKey })).body.items).toEqual([]);
  });
});
