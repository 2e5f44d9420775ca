import { describe, expect, it } from 'vitest';
import { api, emailsTo, eventually, freshGroup, withoutLinks } from '../harness.js';

const prospect = (tag: string) => ({ name: 'Bob Stone', email: `bob-${tag}-${Math.random().toString(36).slice(2, 8)}@stonebakery.example`, phone: '07700 900123', company: 'Stone Bakery' });

async function setup() {
  const g = await freshGroup([
    { name: 'Priya Shah', business: 'Ledger Lane', profile: { goodReferral: 'A sole trader who dreads January.' } },
    { name: 'Tom Becker' },
  ]);
  return { g, priya: g.members['Priya Shah']!, tom: g.members['Tom Becker']! };
}

describe('JSON API', () => {
  it('creates a referral (201), sends receipt + provider notice, and shows it with its timeline', async () => {
    const { g, priya, tom } = await setup();
    const res = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.email, prospect: prospect(g.tag), need: 'Needs a bookkeeper for the bakery', temperature: 3, consent: true, note: 'She is expecting your call' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'logged', source: 'api', referrer: { id: tom.id }, provider: { id: priya.id }, consent: true });
    expect(res.body.pending.map((p: { kind: string }) => p.kind)).toEqual(expect.arrayContaining(['thank_you_prompt', 'intro', 'progress_request']));
    // The emails go out through the outbox after the create is stored, never inline.
    const emailKinds = (timeline: { type: string; kind: string; to: string; messageId: string }[]) => timeline.filter((e) => e.type === 'email').map((e) => [e.kind, e.to, !!e.messageId]);
    const kinds = await eventually(async () => {
      const got = emailKinds((await api('GET', `/api/referrals/${res.body.id}`, { key: tom.apiKey })).body.timeline);
      return got.length === 2 && got;
    }, 'receipt and provider notice on the timeline');
    expect(kinds).toEqual([['receipt', tom.email, true], ['provider_notice', priya.email, true]]);
    expect((await emailsTo(priya.email)).some((m) => m.subject.includes('Bob Stone'))).toBe(true);

    const get = await api('GET', `/api/referrals/${res.body.id}`, { key: priya.apiKey });
    expect(get.status).toBe(200);
    expect(get.body.timeline[0]).toMatchObject({ type: 'created' });
  });

  it('Idempotency-Key returns the first result', async () => {
    const { g, priya, tom } = await setup();
    const body = { provider: priya.id, prospect: prospect(g.tag), need: 'Needs a bookkeeper', consent: false };
    const a = await api('POST', '/api/referrals', { key: tom.apiKey, body, headers: { 'idempotency-key': 'abc-1' } });
    const b = await api('POST', '/api/referrals', { key: tom.apiKey, body, headers: { 'idempotency-key': 'abc-1' } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    const list = await api('GET', '/api/referrals?role=given', { key: tom.apiKey });
    expect(list.body.items.filter((r: { id: string }) => r.id === a.body.id)).toHaveLength(1);
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses self-referral, unknown provider, duplicates within 30 days', async () => {
    const { g, priya, tom } = await setup();
    const self = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: tom.id, prospect: prospect(g.tag), need: 'anything', consent: true } });
    expect(self.status).toBe(422);
    expect(self.body.error.message).toMatch(/yourself/);
    const unknown = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: 'nobody@example.com', prospect: prospect(g.tag), need: 'anything', consent: true } });
    expect(unknown.status).toBe(422);
    const p = prospect(g.tag);
    expect((await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: p, need: 'books', consent: true } })).status).toBe(201);
    const dup = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: { ...p, email: p.email.toUpperCase() }, need: 'books again', consent: true } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.existingId).toMatch(/^[a-z0-9]{16}$/);
  });

  it('bad input: every field, malformed JSON, unknown fields, oversized bodies; never a 500', async () => {
    const { priya, tom } = await setup();
    const good = { provider: priya.id, prospect: { name: 'Ann' }, need: 'a need', consent: true };
    const cases: [unknown, number][] = [
      [{ ...good, provider: undefined }, 422],
      [{ ...good, prospect: { name: '' } }, 422],
      [{ ...good, prospect: { name: 'Ann', email: 'not-an-email' } }, 422],
      [{ ...good, prospect: { name: 'Ann', phone: 'call me maybe' } }, 422],
      [{ ...good, need: '' }, 422],
      [{ ...good, temperature: 6 }, 422],
      [{ ...good, temperature: 2.5 }, 422],
      [{ ...good, consent: 'yes' }, 422],
      [{ ...good, extra: 1 }, 422],
      [[], 422],
    ];
    for (const [body, status] of cases) {
      const res = await api('POST', '/api/referrals', { key: tom.apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBeTruthy();
      expect(res.body.error.message).toBeTruthy();
      expect(res.body.error.message, JSON.stringify(body)).not.toMatch(/Invalid input|expected \w+, received|Too (small|big)|Unrecognized key/);
    }
    const badEmail = await api('POST', '/api/referrals', { key: tom.apiKey, body: { ...good, prospect: { name: 'Ann', email: 'not-an-email' } } });
    expect(badEmail.body.error).toMatchObject({ code: 'invalid', message: 'prospect.email: That email address doesn’t look right', details: [{ path: 'prospect.email', message: 'That email address doesn’t look right' }] });
    const noProvider = await api('POST', '/api/referrals', { key: tom.apiKey, body: { ...good, provider: undefined } });
    expect(noProvider.body.error.details).toEqual([{ path: 'provider', message: 'Say who you are referring them to (a member’s id or email address)' }]);
    expect((await api('POST', '/api/referrals', { key: tom.apiKey, raw: '{"provider":' })).status).toBe(400);
    const huge = await api('POST', '/api/referrals', { key: tom.apiKey, raw: JSON.stringify({ ...good, need: 'x'.repeat(300_000) }) });
    expect(huge.status).toBe(413);
    expect((await api('GET', '/api/referrals/NOT-AN-ID', { key: tom.apiKey })).status).toBe(422);
    expect((await api('GET', '/api/referrals/aaaaaaaaaaaaaaaa', { key: tom.apiKey })).status).toBe(404);
    expect((await api('GET', '/api/referrals?status=bogus', { key: tom.apiKey })).status).toBe(422);
    expect((await api('GET', '/api/nothing-here', { key: tom.apiKey })).status).toBe(404);
  });

  it('answers 401 before any validation on every documented route: no key, broken body, bad ids', async () => {
    const doc = (await api('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => [method.toUpperCase(), `/api${path.replaceAll(/\{[^}]+\}/g, 'NOT-AN-ID')}?limit=-1`] as const));
    expect(routes.length).toBeGreaterThan(20);
    const answers = await Promise.all(routes.map(async ([method, path]) => [method, path, (await api(method, path, method === 'GET' || method === 'DELETE' ? {} : { raw: '{"broken": ' })).status] as const));
    expect(answers.filter(([, , status]) => status !== 401)).toEqual([]);
    // The same broken body with a key is a validation answer, so the 401 above is not the only answer.
    const { tom } = await setup();
    expect((await api('POST', '/api/referrals', { key: tom.apiKey, raw: '{"broken": ' })).status).toBe(400);
    expect((await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: 1 } })).status).toBe(422);
  });

  it('authentication and authorisation: no key 401, other members and other groups see nothing', async () => {
    const { g, priya, tom } = await setup();
    const other = await freshGroup([{ name: 'Olga Other' }]);
    const created = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: true } });
    const id = created.body.id;
    expect((await api('GET', '/api/referrals')).status).toBe(401);
    expect((await api('GET', '/api/referrals', { key: 'rr_wrong' })).status).toBe(401);
    expect((await api('GET', `/api/referrals/${id}`, { key: other.admin.apiKey })).status).toBe(404);
    expect((await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey })).status).toBe(200);
    const third = await freshGroup([]);
    void third;
    // a member who is neither referrer nor provider
    const { addMember } = await import('../../../src/members/members.js');
    const { deps } = await import('../harness.js');
    const bystander = await addMember(deps(), g.group.id, { name: 'By Stander', email: `by-${g.tag}@example.com` });
    expect((await api('GET', `/api/referrals/${id}`, { key: bystander.apiKey })).status).toBe(404);
    // admin lists every referral of its group only
    const all = await api('GET', '/api/referrals', { key: g.admin.apiKey });
    expect(all.body.items.map((r: { groupId: string }) => r.groupId)).toEqual([g.group.id]);
    // members: only admins add members
    expect((await api('POST', '/api/members', { key: tom.apiKey, body: { name: 'X', email: 'x@example.com' } })).status).toBe(403);
    // another role's verb → 403
    expect((await api('POST', `/api/referrals/${id}/actions`, { key: tom.apiKey, body: { action: 'won' } })).status).toBe(403);
    expect((await api('POST', `/api/referrals/${id}/actions`, { key: priya.apiKey, body: { action: 'withdraw' } })).status).toBe(403);
  });

  it('actions: the referrer sees milestones but not the closed value until shared; private notes stay private', async () => {
    const { g, priya, tom } = await setup();
    const { body: r } = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: true } });
    const act = (key: string, body: object) => api('POST', `/api/referrals/${r.id}/actions`, { key, body });
    expect((await act(priya.apiKey, { action: 'contacted' })).body.status).toBe('contacted');
    expect((await act(priya.apiKey, { action: 'note', text: 'prefers mornings, cash-flow issues' })).status).toBe(200);
    expect((await act(priya.apiKey, { action: 'lost' })).status).toBe(422);
    const won = await act(priya.apiKey, { action: 'won', amount: 4500 });
    expect(won.body.closedValue).toEqual({ amount: 4500, currency: 'GBP' });
    const seen = await api('GET', `/api/referrals/${r.id}`, { key: tom.apiKey });
    expect(seen.body.status).toBe('won');
    expect(seen.body.closedValue).toBeUndefined();
    expect(JSON.stringify(seen.body)).not.toContain('cash-flow');
    expect(JSON.stringify(seen.body)).not.toContain('4500');
    const milestone = (await emailsTo(tom.email)).filter((m) => m.subject.toLowerCase().includes('won') || m.body.text?.toLowerCase().includes('won'));
    expect(milestone.length).toBeGreaterThan(0);
    expect(withoutLinks(milestone.map((m) => `${m.body.text}${m.body.html}`).join())).not.toMatch(/\b4,?500\b/);
    await act(priya.apiKey, { action: 'share' });
    expect((await api('GET', `/api/referrals/${r.id}`, { key: tom.apiKey })).body.closedValue).toEqual({ amount: 4500, currency: 'GBP' });
    // a final referral: a later move is kept but changes nothing
    const later = await act(priya.apiKey, { action: 'met' });
    expect(later.body.status).toBe('won');
  });

  it('members: admin adds (key shown once), member patches own profile, extra addresses need confirmation', async () => {
    const { g, tom } = await setup();
    const add = await api('POST', '/api/members', { key: g.admin.apiKey, body: { name: 'Sam Ortiz', email: `sam-${g.tag}@ortiz.example`, business: 'Ortiz Plumbing', goalPerMonth: 2 } });
    expect(add.status).toBe(201);
    expect(add.body.apiKey).toMatch(/^rr_/);
    const dup = await api('POST', '/api/members', { key: g.admin.apiKey, body: { name: 'Sam Again', email: `SAM-${g.tag}@ortiz.example` } });
    expect(dup.status).toBe(409);
    const patch = await api('PATCH', `/api/members/${tom.id}`, { key: tom.apiKey, body: { profile: { goodReferral: 'A new kitchen' }, extraAddresses: [`tom.alt-${g.tag}@mail.example`] } });
    expect(patch.status).toBe(200);
    expect(patch.body.profile.goodReferral).toBe('A new kitchen');
    expect(patch.body.extraAddresses).toEqual([]);
    expect((await emailsTo(`tom.alt-${g.tag}@mail.example`)).length).toBe(1);
    expect((await api('PATCH', `/api/members/${add.body.member.id}`, { key: tom.apiKey, body: { name: 'Hacked' } })).status).toBe(403);
    expect((await api('PATCH', `/api/members/${tom.id}`, { key: tom.apiKey, body: { role: 'admin' } })).status).toBe(422);
    const list = await api('GET', '/api/members', { key: tom.apiKey });
    expect(list.body.items.length).toBe(4);
  });

  it('serves an OpenAPI 3 document generated from the schemas', async () => {
    const res = await api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/referrals', '/referrals/{id}', '/referrals/{id}/actions', '/members', '/members/{id}']));
    expect(res.body.components.schemas.NewReferral.properties.temperature).toMatchObject({ minimum: 1, maximum: 5 });
  });

  it('health answers only when every component answers', async () => {
    const res = await api('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });
});
