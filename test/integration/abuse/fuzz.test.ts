/**
 * Fuzzing at scale (fast-check, fixed seeds, so every run is the same and a failure names its case):
 * 10,000 hostile inputs in all (in CI and `npm run fuzz`; a local `npm test` runs the first tenth) — API bodies, form posts, MIME messages and replies — with deep
 * nesting, wrong types, huge numbers, `__proto__` keys, invalid UTF-8 and header injection attempts.
 * Expected: no 5xx, nothing thrown, and no email whose header block carries anything from the input.
 *
 * The app runs in-process (`app.request()`) on the real local store and clock, rate limits off. Mail
 * goes through the real SesMailSender and MIME builder into a capturing client: the raw bytes are
 * what is checked, and thousands of messages would flood the shared SES viewer.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SesMailSender } from '../../../src/mail/ses/ses-mail-sender.js';
import { noRateLimits } from '../../../src/limits/rate-limits.js';
import { signReplyAddress } from '../../../src/mail/reply-token.js';
import { hashSecret } from '../../../src/members/api-keys.js';
import { handleInboundMail } from '../../../src/mailflow/handle-inbound.js';
import type { RelayDeps } from '../../../src/referrals/deps.js';
import { createApp } from '../../../src/web/app.js';
import { deps as stackDeps, freshGroup, useOwnStack } from '../harness.js';

/**
 * The full run is 10,000 inputs: in CI (`CI=true`, as `.ci/run` sets it) and with `npm run fuzz`. A local
 * `npm test` runs a tenth of it on every change (same seeds, so its cases are a prefix of each lane's
 * full run); `FUZZ_SCALE=<factor>` picks any other share.
 */
const SCALE = Number(process.env.FUZZ_SCALE ?? (process.env.CI ? '1' : '0.1'));
if (!(SCALE > 0)) throw new Error(`FUZZ_SCALE must be a positive number, got ${JSON.stringify(process.env.FUZZ_SCALE)}`);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const INJECTED = ['\r\nBcc: victim@evil.example', '\nX-Injected: yes', '\r\n\r\n<html>body</html>', '=?utf-8?q?a=0D=0AX-Injected:_yes?=', '%0d%0aX-Injected:%20yes', '\u2028X-Injected: yes', 'a\rX-Injected: yes'];
const HOSTILE = ['__proto__', 'constructor', 'prototype', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '=HYPERLINK("http://evil")', '\u0000', '\uFFFF', '\uD800', '💥'.repeat(50), 'a'.repeat(5000)];

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(...INJECTED, ...HOSTILE),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...INJECTED), fc.string({ maxLength: 20 })).map((p) => p.join('')),
  fc.emailAddress(),
  fc.emailAddress().map((e) => `${e}${INJECTED[0]}`),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 1e-320), fc.bigInt().map((b) => b.toString()));
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const nested: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'name', 'email')), tie('value'), { maxKeys: 4 })),
})).value;
/** JSON nested thousands of levels deep (a parser recursion attack). */
const deepJson = fc.integer({ min: 100, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const field = fc.oneof(leaf, nested);

const referralBody = fc.record({ provider: field, prospect: fc.oneof(field, fc.record({ name: field, email: field, phone: field, company: field }, { requiredKeys: [] })), need: field, consent: field, temperature: field, note: field, referrer: field }, { requiredKeys: [] });
const actionBody = fc.record({ action: fc.oneof(fc.constantFrom('contacted', 'met', 'won', 'lost', 'note', 'ask', 'thanks', 'snooze', 'pass', 'share', 'reopen', 'withdraw', 'reassign', 'erase_prospect'), field), amount: field, currency: field, text: field, days: field, provider: field }, { requiredKeys: [] });
const memberBody = fc.record({ name: field, email: field, business: field, category: field, profile: fc.oneof(field, fc.record({ tellPeople: field, goodReferral: field, setsApart: field }, { requiredKeys: [] })), goalPerMonth: field, extraAddresses: fc.oneof(field, fc.array(hostileString, { maxLength: 8 })) }, { requiredKeys: [] });
/** A body as bytes: JSON of the object, a raw `__proto__` payload, deep nesting, or invalid UTF-8. */
const bodyOf = (obj: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: obj.map((o) => JSON.stringify(o) ?? 'null') },
    { weight: 1, arbitrary: obj.map((o) => `{"__proto__": ${JSON.stringify(o) ?? 'null'}, "constructor": {"prototype": {"isAdmin": true}}}`) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')) },
    { weight: 1, arbitrary: fc.constant('{"need": "\\ud800", "prospect": {"name": "\\u0000"}}') },
  );

interface Captured {
  raw: string;
}
const captured: Captured[] = [];
let d: RelayDeps;
let app: ReturnType<typeof createApp>;

/**
 * Cases run in lanes: each lane has its own group, referral and web session and runs its cases one
 * after another, while the lanes run side by side. Inputs stay seeded (`fc.sample` with a fixed seed),
 * so a failure names the exact input; concurrency on one referral is not what this test is about.
 */
interface Lane {
  g: Awaited<ReturnType<typeof freshGroup>>;
  referralId: string;
  cookie: string;
}
const LANES = 8;
const lanes: Lane[] = [];
let messageCount = 0;

/** Header names a message of ours may carry; anything else in the header block came from input. */
const OUR_HEADERS = new Set(['from', 'to', 'cc', 'reply-to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding', 'auto-submitted', 'x-auto-response-suppress', 'list-unsubscribe', 'list-unsubscribe-post', 'precedence', 'in-reply-to', 'references']);

function assertNoInjectedHeader(raw: string) {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line)) continue; // a folded continuation of the header above
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    expect(OUR_HEADERS.has(name), `header line from input: ${JSON.stringify(line)}`).toBe(true);
  }
  expect(head).not.toMatch(/X-Injected|victim@evil/i);
}

async function makeLane(): Promise<Lane> {
  const g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }]);
  const created = await app.request('/api/referrals', { method: 'POST', headers: { authorization: `Bearer ${g.members['Ann Able']!.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ provider: g.members['Bob Baker']!.id, prospect: { name: 'Pia Fuzz', email: `pia-${g.tag}@prospect.example` }, need: 'a roof', consent: true }) });
  const referralId = ((await created.json()) as { id: string }).id;
  // A web session for the form posts: a sign-in token used the way the link's button uses it.
  const token = randomBytes(32).toString('base64url');
  await d.store.putToken(hashSecret(token), { purpose: 'signin', memberId: g.members['Ann Able']!.id }, new Date(d.clock.now().getTime() + 15 * 60_000));
  const signedIn = await app.request(`http://localhost/signin/${token}`, { method: 'POST', headers: { origin: 'http://localhost' } });
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^rr_session=/);
  return { g, referralId, cookie };
}

// Thousands of referrals, events and outbox emails: on a stack with its own DynamoDB Local and SES,
// stopped with the file, so no later file's clock runs their steps or shares a table store with them.
useOwnStack('file');

beforeAll(async () => {
  const base = stackDeps();
  const client = { send: async (cmd: { input: { RawMessage?: { Data?: Uint8Array } } }) => ((captured.push({ raw: Buffer.from(cmd.input.RawMessage!.Data!).toString('ascii') }), { MessageId: `fuzz-${captured.length}` })) };
  d = { ...base, limits: noRateLimits, mail: new SesMailSender(client as never, 'relay@relay.localhost') };
  app = createApp(d);
  for (let i = 0; i < LANES; i++) lanes.push(await makeLane());
}, 120_000);

/** `count` seeded inputs from `arb`, run across the lanes (case i in lane i mod LANES, in order). */
async function fuzz<T>(arb: (lane: Lane) => fc.Arbitrary<T>, seed: number, count: number, check: (lane: Lane, input: T, index: number) => Promise<void>): Promise<void> {
  await Promise.all(
    lanes.map(async (lane, l) => {
      const mine = Math.floor(count / LANES) + (l < count % LANES ? 1 : 0);
      const inputs = fc.sample(arb(lane), { seed: seed + l, numRuns: mine });
      for (let i = 0; i < inputs.length; i++) await check(lane, inputs[i]!, i * LANES + l);
    }),
  );
}

async function send(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<number> {
  const res = await app.request(`http://localhost${path}`, { method, headers, body });
  await res.arrayBuffer();
  return res.status;
}

describe('fuzzing (seeded)', () => {
  it(`${runs(4000)} API bodies: never a 5xx`, { timeout: 900_000 }, async () => {
    const query = fc.dictionary(fc.constantFrom('status', 'role', 'limit', 'cursor', 'from', 'to', 'period', '__proto__'), hostileString, { maxKeys: 4 });
    const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '');
    const targets = (lane: Lane) => {
      const ann = lane.g.members['Ann Able']!;
      const bob = lane.g.members['Bob Baker']!;
      return [
        { method: 'POST', path: '/api/referrals', key: ann.apiKey, body: bodyOf(referralBody) },
        { method: 'POST', path: `/api/referrals/${lane.referralId}/actions`, key: bob.apiKey, body: bodyOf(actionBody) },
        { method: 'PATCH', path: `/api/members/${ann.id}`, key: ann.apiKey, body: bodyOf(memberBody) },
        { method: 'POST', path: '/api/members', key: lane.g.admin.apiKey, body: bodyOf(memberBody) },
        { method: 'PATCH', path: '/api/settings', key: lane.g.admin.apiKey, body: bodyOf(nested) },
        { method: 'GET', path: '/api/referrals', key: ann.apiKey, body: query.map((q) => `?${new URLSearchParams(Object.entries(q)).toString()}`) },
      ];
    };
    await fuzz(
      (lane) => fc.oneof(...targets(lane).map((t) => fc.tuple(fc.constant(t), t.body, contentTypes))),
      12_001,
      runs(4000),
      async (_lane, [t, body, contentType]) => {
        const status =
          t.method === 'GET'
            ? await send('GET', `${t.path}${body}`, undefined, { authorization: `Bearer ${t.key}` })
            : await send(t.method, t.path, body, { authorization: `Bearer ${t.key}`, ...(contentType ? { 'content-type': contentType } : {}) });
        expect(status, `${t.method} ${t.path} ${body.slice(0, 200)}`).toBeLessThan(500);
      },
    );
    for (const mail of captured) assertNoInjectedHeader(mail.raw);
  });

  it(`${runs(2000)} form posts (refer, profile, actions, sign-in, admin): never a 5xx`, { timeout: 900_000 }, async () => {
    const formFields = fc.dictionary(fc.oneof(fc.constantFrom('provider', 'name', 'email', 'phone', 'company', 'need', 'note', 'temperature', 'consent', 'action', 'amount', 'text', 'days', 'business', 'tellPeople', 'goodReferral', 'setsApart', 'goalPerMonth', 'extraAddresses', 'nonce', '__proto__'), fc.string()), fc.oneof(hostileString, hostileNumber.map(String)), { maxKeys: 12 });
    await fuzz(
      (lane) => fc.tuple(fc.constantFrom('/refer', '/profile', `/referrals/${lane.referralId}/actions`, '/signin', '/admin/members', '/admin/settings'), formFields, fc.boolean()),
      12_002,
      runs(2000),
      async (lane, [path, fields, raw]) => {
        const body = raw ? Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('&') : new URLSearchParams(Object.entries(fields)).toString();
        const status = await send('POST', path, body, { cookie: lane.cookie, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' });
        expect(status, `${path} ${body.slice(0, 200)}`).toBeLessThan(500);
      },
    );
    for (const mail of captured) assertNoInjectedHeader(mail.raw);
  });

  const headerValue = fc.oneof(hostileString, fc.constantFrom('=?utf-8?b?/////w==?=', '=?x-unknown?q?abc?=', '<>', '"unterminated', 'a'.repeat(2000)));
  const mimeBody = fc.oneof(fc.string(), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')), fc.constantFrom('--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: x\r\n', 'Content-Type: multipart/mixed; boundary="', '=\r\n=C3=28=ZZ'));
  const contentType = fc.constantFrom('text/plain; charset=utf-8', 'text/html; charset=windows-1252', 'multipart/mixed; boundary=b', 'multipart/alternative', 'message/rfc822', 'text/plain; charset=x-bogus', 'application/octet-stream');
  const mime = (lane: Lane, to: string) =>
    fc.tuple(headerValue, headerValue, headerValue, contentType, fc.constantFrom('7bit', 'base64', 'quoted-printable', 'x-unknown'), mimeBody, fc.boolean()).map(([fromName, subject, extra, ct, cte, body, withMember]) =>
      Buffer.from(
        `From: "${fromName}" <${withMember ? lane.g.members['Ann Able']!.email : 'stranger@example.com'}>\r\nTo: ${to}, ${extra}\r\nSubject: ${subject}\r\nMessage-ID: <${lane.g.tag}-${++messageCount}@fuzz>\r\nContent-Type: ${ct}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body}\r\n`,
        'latin1',
      ),
    );

  it(`${runs(2000)} MIME messages to the log address: nothing thrown, nothing answered with a header from the input`, { timeout: 900_000 }, async () => {
    const before = captured.length;
    await fuzz(
      (lane) => mime(lane, lane.g.logAddress),
      12_003,
      runs(2000),
      async (lane, raw) => {
        await handleInboundMail(d, { raw, envelopeFrom: lane.g.members['Ann Able']!.email, envelopeTo: [lane.g.logAddress], authenticated: true });
      },
    );
    expect(captured.length).toBeGreaterThan(before);
    for (const mail of captured) assertNoInjectedHeader(mail.raw);
  });

  it(`${runs(2000)} replies to signed reply addresses: nothing thrown, nothing answered with a header from the input`, { timeout: 900_000 }, async () => {
    const kinds = ['progress_request', 'provider_notice', 'receipt', 'connection_check', 'experience_check'] as const;
    const recipients = ['provider', 'referrer', 'prospect'] as const;
    await fuzz(
      (lane) =>
        fc.tuple(fc.constantFrom(...kinds), fc.constantFrom(...recipients)).chain(([kind, recipient]) => {
          const address = signReplyAddress({ referralId: lane.referralId, kind, recipient }, d.config.replyKeys, d.config.inboundDomain);
          return mime(lane, address).map((raw) => ({ address, raw }));
        }),
      12_004,
      runs(2000),
      async (lane, { address, raw }) => {
        await handleInboundMail(d, { raw, envelopeFrom: lane.g.members['Bob Baker']!.email, envelopeTo: [address], authenticated: true });
      },
    );
    for (const mail of captured) assertNoInjectedHeader(mail.raw);
  });
});
