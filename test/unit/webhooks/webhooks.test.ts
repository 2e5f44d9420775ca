import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliverWebhook } from '../../../src/webhooks/deliver.js';
import { nextWebhookAttemptAt, WEBHOOK_RETRY_WINDOW_MS } from '../../../src/webhooks/attempt.js';
import { deliveryIdFor, endpointsFor } from '../../../src/webhooks/raise.js';
import { referralEvents, webhookMessage } from '../../../src/webhooks/payloads.js';
import { newWebhookSecret, signDelivery, verifyDelivery } from '../../../src/webhooks/signature.js';
import { assertPublicHost, checkWebhookUrl, isPrivateAddress } from '../../../src/webhooks/url-check.js';
import { newWebhookSchema } from '../../../src/webhooks/schema.js';

const vector = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/webhooks/standard-webhooks-vector.json'), 'utf8')) as { secret: string; headers: Record<string, string>; body: string };
const at = new Date(Number(vector.headers['webhook-timestamp']) * 1000);

describe('Standard Webhooks signature (the shared vector)', () => {
  afterEach(() => vi.useRealTimers());

  it('signs the vector to exactly its signature', () => {
    expect(signDelivery(vector.secret, vector.headers['webhook-id']!, at, vector.body)).toEqual(vector.headers);
  });

  it('verifies the vector at its time and rejects any change to body, id or timestamp', () => {
    vi.useFakeTimers({ now: at.getTime() + 60_000 });
    expect(verifyDelivery(vector.secret, vector.body, vector.headers)).toBe(true);
    expect(verifyDelivery(vector.secret, vector.body.replace('Bob Stone', 'Bob Stoné'), vector.headers)).toBe(false);
    expect(verifyDelivery(vector.secret, vector.body, { ...vector.headers, 'webhook-id': 'msg_other' })).toBe(false);
    expect(verifyDelivery(vector.secret, vector.body, { ...vector.headers, 'webhook-timestamp': String(Number(vector.headers['webhook-timestamp']) + 1) })).toBe(false);
    expect(verifyDelivery(newWebhookSecret(), vector.body, vector.headers)).toBe(false);
  });

  it('a receiver rejects a timestamp more than 5 minutes from its clock', () => {
    vi.useFakeTimers({ now: at.getTime() + 6 * 60_000 });
    expect(verifyDelivery(vector.secret, vector.body, vector.headers)).toBe(false);
  });

  it('new secrets are whsec_ + 32 random bytes, different each time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('webhook URLs', () => {
  it.each([
    ['https://hooks.zapier.example/catch/1', true, 'https://hooks.zapier.example/catch/1'],
    ['http://localhost:4000/hook', true, 'http://localhost:4000/hook'],
    ['http://127.0.0.1:4000/hook', true, 'http://127.0.0.1:4000/hook'],
  ])('%s is allowed (local: %s)', (url, local, href) => {
    expect(checkWebhookUrl(url, { local }).href).toBe(href);
  });

  it.each([
    ['http://crm.example/hook', true, /https/],
    ['http://localhost:4000/hook', false, /https/],
    ['https://localhost/hook', false, /public/],
    ['https://169.254.169.254/latest/meta-data', false, /public/],
    ['https://10.0.0.5/hook', false, /public/],
    ['https://[::1]/hook', false, /public/],
    ['https://[fd00::1]/hook', false, /public/],
    ['ftp://crm.example/hook', true, /https/],
    ['https://user:pw@crm.example/hook', true, /user name or password/],
    ['crm.example/hook', true, /absolute URL/],
    [`https://crm.example/${'a'.repeat(2001)}`, true, /2000/],
  ])('%s is refused (local: %s)', (url, local, message) => {
    expect(() => checkWebhookUrl(url, { local })).toThrow(message);
  });

  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['127.0.0.1', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['::ffff:10.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
    ['not-an-ip', true],
  ])('%s private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('in AWS a host resolving to any private address is refused (DNS rebinding to the metadata service)', async () => {
    const url = new URL('https://crm.example/hook');
    await expect(assertPublicHost(url, async () => [{ address: '93.184.216.34' }])).resolves.toBeUndefined();
    await expect(assertPublicHost(url, async () => [{ address: '93.184.216.34' }, { address: '169.254.169.254' }])).rejects.toThrow(/private address \(169.254.169.254\)/);
    await expect(assertPublicHost(url, async () => [])).rejects.toThrow(/does not resolve/);
    await expect(assertPublicHost(url, async () => Promise.reject(new Error('ENOTFOUND')))).rejects.toThrow(/does not resolve/);
  });

  it('the registration body: url, and events from the five known ones', () => {
    expect(newWebhookSchema.safeParse({ url: 'https://a.example', events: ['referral.won'] }).success).toBe(true);
    expect(newWebhookSchema.safeParse({ url: 'https://a.example', events: ['referral.deleted'] }).success).toBe(false);
    expect(newWebhookSchema.safeParse({ url: 'https://a.example', events: [] }).success).toBe(false);
    expect(newWebhookSchema.safeParse({ url: 'https://a.example', secret: 'x' }).success).toBe(false);
  });
});

describe('events and payloads', () => {
  it.each([
    [undefined, 'logged', ['referral.created']],
    ['logged', 'contacted', ['referral.status_changed']],
    ['proposal', 'won', ['referral.status_changed', 'referral.won']],
    ['met', 'lost', ['referral.status_changed', 'referral.lost']],
    ['met', 'met', []],
  ] as const)('%s → %s raises %j', (before, after, events) => {
    expect(referralEvents(before ? { status: before } : undefined, { status: after })).toEqual(events);
  });

  it('a message is {type, timestamp, data} with a stable id', () => {
    const m = webhookMessage('r1.3.referral.won', 'referral.won', new Date('2026-03-01T10:00:00Z'), { id: 'r1' });
    expect(m).toEqual({ id: 'msg_r1.3.referral.won', type: 'referral.won', body: '{"type":"referral.won","timestamp":"2026-03-01T10:00:00.000Z","data":{"id":"r1"}}' });
  });
});

describe('which endpoints get an event', () => {
  const endpoint = (id: string, createdAt: string, events = ['member.added', 'referral.created']) => ({ id, groupId: 'g', url: `https://crm.example/${id}`, events, secret: 'whsec_x', createdAt });
  const early = endpoint('early', '2026-03-01T09:00:00.000Z');
  const same = endpoint('same', '2026-03-01T10:00:00.000Z');
  const late = endpoint('late', '2026-03-01T10:00:00.001Z');
  const other = endpoint('other', '2026-03-01T08:00:00.000Z', ['referral.won']);

  it('only those subscribed and already there when it happened (a webhook added while the stream caught up gets nothing older)', () => {
    expect(endpointsFor([early, same, late, other], ['member.added'], '2026-03-01T10:00:00.000Z').map((e) => e.id)).toEqual(['early', 'same']);
    expect(endpointsFor([early, late, other], ['referral.status_changed', 'referral.won'], '2026-03-01T11:00:00.000Z').map((e) => e.id)).toEqual(['other']);
  });

  it('an event without a readable time (an item older than its timestamps) goes to every subscribed endpoint', () => {
    expect(endpointsFor([early, late], ['referral.created'], '').map((e) => e.id)).toEqual(['early', 'late']);
  });
});

describe('deliverWebhook (fetch stand-in; the real receiver is in the integration tests)', () => {
  const endpoint = { url: 'https://crm.example/hook', secret: vector.secret };
  const message = { id: 'msg_1', type: 'referral.created' as const, body: '{"type":"referral.created"}' };

  it('signs the request it sends and reports 2xx as delivered', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), init });
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;

    const result = await deliverWebhook(endpoint, message, { now: at, fetch: fakeFetch });

    expect(result).toEqual({ ok: true, status: 204 });
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(seen[0]!.init.redirect).toBe('manual');
    vi.useFakeTimers({ now: at.getTime() });
    expect(verifyDelivery(endpoint.secret, message.body, headers)).toBe(true);
    vi.useRealTimers();
  });

  it('reports failures to retry, and a private address as final', async () => {
    const status = (code: number) => (async () => new Response('no', { status: code })) as unknown as typeof fetch;
    expect(await deliverWebhook(endpoint, message, { now: at, fetch: status(500) })).toEqual({ ok: false, status: 500, error: 'HTTP 500', retry: true });
    expect(await deliverWebhook(endpoint, message, { now: at, fetch: status(302) })).toMatchObject({ ok: false, status: 302, retry: true });
    expect(await deliverWebhook(endpoint, message, { now: at, fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch })).toMatchObject({ ok: false, error: 'fetch failed', retry: true });
    expect(await deliverWebhook(endpoint, message, { now: at, fetch: status(200), resolve: async () => [{ address: '10.0.0.7' }] })).toMatchObject({ ok: false, retry: false, error: expect.stringMatching(/private/) });
  });

  it('retries with backoff for 24 h (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then a last try at 24 h), then stops', () => {
    const first = new Date('2026-03-02T10:00:00.000Z');
    const times: number[] = [first.getTime()];
    for (let attempts = 1; ; attempts++) {
      const next = nextWebhookAttemptAt(attempts, first, new Date(times.at(-1)!));
      if (!next) break;
      times.push(next.getTime());
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, WEBHOOK_RETRY_WINDOW_MS - (5_000 + 300_000 + 1_800_000 + 7_200_000 + 18_000_000 + 36_000_000)]);
    expect(times.at(-1)! - first.getTime()).toBe(WEBHOOK_RETRY_WINDOW_MS);
  });

  it('a delivery id is the same for the same event and endpoint, and differs otherwise', () => {
    expect(deliveryIdFor('r1.2.referral.won', 'e1')).toMatch(/^[0-9a-f]{24}$/);
    expect(deliveryIdFor('r1.2.referral.won', 'e1')).toBe(deliveryIdFor('r1.2.referral.won', 'e1'));
    expect(deliveryIdFor('r1.2.referral.won', 'e2')).not.toBe(deliveryIdFor('r1.2.referral.won', 'e1'));
  });
});

describe('webhook URLs locally', () => {
  it.each(['https://169.254.169.254/latest', 'https://10.0.0.5/hook', 'https://[fe80::1]/hook'])('%s is refused even locally', (url) => {
    expect(() => checkWebhookUrl(url, { local: true })).toThrow(/public/);
  });
});
