/**
 * Rate limits answer 429 with Retry-After, per key and per address: referral creation, actions,
 * extra-address confirmations (and at most 5 waiting), sign-in requests and inbound logging per
 * sender. The app runs in-process (`app.request()`) on the real local store and the shared local
 * clock, with small limits so a test can reach them; windows of a year so none can straddle one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, createRateLimiter, type RateLimitSettings } from '../../../src/limits/rate-limits.js';
import { handleInboundMail } from '../../../src/mailflow/handle-inbound.js';
import type { RelayDeps } from '../../../src/referrals/deps.js';
import { createApp } from '../../../src/web/app.js';
import { deps as stackDeps, emailsTo, eventually, freshGroup } from '../harness.js';

const YEAR = 366 * 86_400;
const settings: RateLimitSettings = {
  ...DEFAULT_RATE_LIMITS,
  referrals: { count: 3, windowSeconds: YEAR },
  actions: { count: 2, windowSeconds: YEAR },
  addressConfirmations: { count: 8, windowSeconds: YEAR },
  signIn: { count: 2, windowSeconds: YEAR },
  inboundLogging: { count: 2, windowSeconds: YEAR },
};

let d: RelayDeps;
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  const base = stackDeps();
  d = { ...base, limits: createRateLimiter({ counter: base.store, clock: base.clock, settings }) };
  app = createApp(d);
});

const call = (method: string, path: string, key: string, body?: unknown) =>
  app.request(path, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

const referral = (providerId: string, n: number, tag: string) => ({ provider: providerId, prospect: { name: `Pat Limit${n}`, email: `pat${n}-${tag}@prospect.example` }, need: `need ${n}`, consent: false });

async function expect429(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= YEAR).toBe(true);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toMatch(/at most \d+/);
}

describe('rate limits', () => {
  it('referral creation: per key; the next one is 429 with Retry-After, another member is not held back', async () => {
    const g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }]);
    const ann = g.members['Ann Able']!;
    const bob = g.members['Bob Baker']!;
    for (let n = 1; n <= 3; n++) expect((await call('POST', '/api/referrals', ann.apiKey, referral(bob.id, n, g.tag))).status).toBe(201);

    await expect429(await call('POST', '/api/referrals', ann.apiKey, referral(bob.id, 4, g.tag)));

    expect((await call('POST', '/api/referrals', bob.apiKey, referral(ann.id, 5, g.tag))).status).toBe(201);
    expect((await d.store.listReferrals({ givenBy: ann.id })).length).toBe(3);
  });

  it('is one atomic counter: 10 concurrent creations with room for 3 log exactly 3', async () => {
    const g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }]);
    const statuses = await Promise.all(Array.from({ length: 10 }, async (_, n) => (await call('POST', '/api/referrals', g.members['Ann Able']!.apiKey, referral(g.members['Bob Baker']!.id, n, g.tag))).status));
    expect(statuses.filter((s: number) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s: number) => s === 429)).toHaveLength(7);
    expect((await d.store.listReferrals({ givenBy: g.members['Ann Able']!.id })).length).toBe(3);
  });

  it('actions: per key, 429 with Retry-After past the allowance', async () => {
    const g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }]);
    const created = await call('POST', '/api/referrals', g.members['Ann Able']!.apiKey, referral(g.members['Bob Baker']!.id, 1, g.tag));
    const id = ((await created.json()) as { id: string }).id;
    const bob = g.members['Bob Baker']!.apiKey;
    expect((await call('POST', `/api/referrals/${id}/actions`, bob, { action: 'note', text: 'one' })).status).toBe(200);
    expect((await call('POST', `/api/referrals/${id}/actions`, bob, { action: 'note', text: 'two' })).status).toBe(200);
    await expect429(await call('POST', `/api/referrals/${id}/actions`, bob, { action: 'contacted' }));
    expect((await d.store.getReferral(id))!.status).toBe('logged');
  });

  it('extra addresses: at most 5 waiting, confirmation emails counted per member; 5 PATCH calls cannot mail 50 strangers', async () => {
    const g = await freshGroup([{ name: 'Ann Able' }]);
    const ann = g.members['Ann Able']!;
    const batch = (b: number, size: number) => Array.from({ length: size }, (_, i) => `stranger${b}-${i}-${g.tag}@example.com`);

    // Today's attack: 5 PATCH calls of 10 new addresses each.
    for (let b = 0; b < 5; b++) {
      const res = await call('PATCH', `/api/members/${ann.id}`, ann.apiKey, { extraAddresses: batch(b, 10) });
      expect(res.status).toBe(422);
      expect(((await res.json()) as any).error.message).toContain('at most 5');
    }
    // Within the cap: 5 new addresses mailed once; the same list again mails nobody again.
    expect((await call('PATCH', `/api/members/${ann.id}`, ann.apiKey, { extraAddresses: batch(5, 5) })).status).toBe(200);
    expect((await call('PATCH', `/api/members/${ann.id}`, ann.apiKey, { extraAddresses: batch(5, 5) })).status).toBe(200);
    // 5 more would make 10 confirmation emails: over the allowance of 8, refused before anything is stored.
    await expect429(await call('PATCH', `/api/members/${ann.id}`, ann.apiKey, { extraAddresses: batch(6, 5) }));
    expect((await d.store.getMember(ann.id))!.pendingExtraAddresses.sort()).toEqual(batch(5, 5).sort());

    await eventually(async () => (await emailsTo(`-${g.tag}@example.com`)).length >= 5, 'five confirmation emails');
    const mailed = (await emailsTo(`-${g.tag}@example.com`)).flatMap((e) => e.destination.to).filter((a) => a.startsWith('stranger'));
    expect(mailed.sort()).toEqual(batch(5, 5).sort());
  });

  it('sign-in requests: per address; the third ask is 429 with Retry-After and sends nothing', async () => {
    const g = await freshGroup([{ name: 'Ann Able' }]);
    const email = g.members['Ann Able']!.email;
    const ask = () => app.request('http://localhost/signin', { method: 'POST', headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email }).toString() });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const third = await ask();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.text()).toContain('Too many sign-in links');
    await eventually(async () => (await emailsTo(email)).length >= 2, 'two sign-in links');
    expect(await emailsTo(email)).toHaveLength(2);
  });

  it('inbound logging: per sender; past the allowance the mail is kept as a dead letter, not logged and not answered', async () => {
    const g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }]);
    const ann = g.members['Ann Able']!;
    const bob = g.members['Bob Baker']!;
    const mail = (n: number) =>
      Buffer.from(
        [
          `From: Ann Able <${ann.email}>`,
          `To: ${g.logAddress}, Bob Baker <${bob.email}>`,
          `Subject: Fwd: Roof repair ${n}`,
          `Message-ID: <limit-${n}-${g.tag}@example.com>`,
          'Date: Mon, 16 Nov 2026 10:31:02 +0000',
          'Content-Type: text/plain; charset=utf-8',
          '',
          `Bob, Pia ${n} needs a roofer.`,
          '',
          '---------- Forwarded message ---------',
          `From: Pia Prospect <pia${n}-${g.tag}@prospect.example>`,
          'Date: Mon, 16 Nov 2026 at 09:12',
          `Subject: Roof repair ${n}`,
          `To: Ann Able <${ann.email}>`,
          '',
          'Hi Ann, do you know a roofer? Happy for you to pass my details on.',
          '',
        ].join('\r\n'),
      );
    const counted: string[] = [];
    const metered: RelayDeps = { ...d, metrics: { count: (name) => counted.push(name) } };
    for (let n = 1; n <= 3; n++) await handleInboundMail(metered, { raw: mail(n), envelopeFrom: ann.email, envelopeTo: [g.logAddress], authenticated: true });
    expect(counted).toEqual(['InboundLogged', 'InboundLogged', 'InboundDeadLettered']);

    expect((await d.store.listReferrals({ givenBy: ann.id })).length).toBe(2);
    const dead = await d.store.listDeadLetters(g.group.id);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toContain('rate limited');
    expect(Buffer.from(dead[0]!.rawBase64 ?? '', 'base64').toString()).toContain('Roof repair 3');
  });
});
