/**
 * Rules that must hold under concurrency, through the running API: no request path reads a list to
 * enforce them, the guards are written in the change's own transaction, and lost races retry with
 * backoff (never a 500).
 */
import { describe, expect, it } from 'vitest';
import { api, deps, drainOutbox, freshGroup } from '../harness.js';

const prospect = (tag: string) => ({ name: 'Bob Stone', email: `bob-${tag}-${Math.random().toString(36).slice(2, 8)}@stonebakery.example` });

async function setup() {
  const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
  return { g, priya: g.members['Priya Shah']!, tom: g.members['Tom Becker']! };
}

describe('one referral under concurrent changes', { timeout: 240_000 }, () => {
  it('200 notes of ~5 KB (the most a note may hold), 25 at a time: every one stored, no 500, the timeline paged', async () => {
    const { g, priya, tom } = await setup();
    const created = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: false } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const statuses: number[] = [];
    for (let batch = 0; batch < 8; batch++) {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => api('POST', `/api/referrals/${id}/actions`, { key: i % 2 ? priya.apiKey : tom.apiKey, body: { action: 'note', text: `note ${batch * 25 + i} ${'x'.repeat(4980)}` } })),
      );
      statuses.push(...results.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // every note is on the timeline exactly once, read page by page through the API
    const seen: string[] = [];
    let path: string | undefined = `/api/referrals/${id}`;
    let pages = 0;
    while (path) {
      const page: { status: number; body: any } = await api("GET", path, { key: g.admin.apiKey });
      expect(page.status).toBe(200);
      seen.push(...page.body.timeline.filter((e: { type: string }) => e.type === 'note').map((e: { text: string; privateText?: string }) => (e.privateText ?? e.text).split(' ').slice(0, 2).join(' ')));
      path = page.body.timelineNext;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(200);
    expect(seen).toHaveLength(200);

    // The next action's answer: the timeline's first page, as GET answers it, and what it added
    const last = await api('POST', `/api/referrals/${id}/actions`, { key: priya.apiKey, body: { action: 'contacted' } });
    expect(last.status).toBe(200);
    expect(last.body.timelineNext).toMatch(/timeline_after=/);
    expect(last.body.timeline.some((e: { type: string; status?: string }) => e.type === 'status' && e.status === 'contacted')).toBe(false);
    expect(last.body.added).toEqual([expect.objectContaining({ type: 'status', status: 'contacted', text: 'provider: has made contact', via: 'api' })]);
  });

  it('50 concurrent status actions and notes: all answered without a 500, none lost', async () => {
    const { g, priya, tom } = await setup();
    const created = await api('POST', '/api/referrals', { key: tom.apiKey, body: { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: false } });
    const id = created.body.id as string;
    const actions = Array.from({ length: 50 }, (_, i) => (i === 10 ? { key: priya.apiKey, body: { action: 'contacted' } } : i === 30 ? { key: priya.apiKey, body: { action: 'met' } } : { key: tom.apiKey, body: { action: 'note', text: `n${i}` } }));
    const results = await Promise.all(actions.map((a) => api('POST', `/api/referrals/${id}/actions`, a)));
    expect(results.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const stored = (await deps().store.getReferral(id))!;
    expect(stored.timeline.filter((e) => e.type === 'note' && /^n\d+$/.test(e.privateText ?? e.text))).toHaveLength(48);
    expect(stored.status).toBe('met');
  });
});

describe('guards written with the change', () => {
  it('5 concurrent creates with one Idempotency-Key: one referral; the same key with another body: 422', async () => {
    const { g, priya, tom } = await setup();
    const body = { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: false };
    const key = `race-${g.tag}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => api('POST', '/api/referrals', { key: tom.apiKey, body, headers: { 'idempotency-key': key } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const other = await api('POST', '/api/referrals', { key: tom.apiKey, body: { ...body, need: 'something else' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_mismatch');
    const given = await api('GET', '/api/referrals?role=given', { key: tom.apiKey });
    expect(given.body.items).toHaveLength(1);
  });

  it('5 concurrent identical creates without a key: one referral, four 409s naming it', async () => {
    const { g, priya, tom } = await setup();
    const body = { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: false };
    const results = await Promise.all(Array.from({ length: 5 }, () => api('POST', '/api/referrals', { key: tom.apiKey, body })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body.id;
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.details.existingId)).toEqual([winner, winner, winner, winner]);
  });

  it('the duplicate key is released when the referral closes', async () => {
    const { g, priya, tom } = await setup();
    const body = { provider: priya.id, prospect: prospect(g.tag), need: 'books', consent: false };
    const first = await api('POST', '/api/referrals', { key: tom.apiKey, body });
    expect((await api('POST', '/api/referrals', { key: tom.apiKey, body })).status).toBe(409);
    expect((await api('POST', `/api/referrals/${first.body.id}/actions`, { key: tom.apiKey, body: { action: 'withdraw' } })).status).toBe(200);
    expect((await api('POST', '/api/referrals', { key: tom.apiKey, body })).status).toBe(201);
    await drainOutbox();
  });
});
