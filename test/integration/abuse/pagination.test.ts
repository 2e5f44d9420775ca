/**
 * Lists are paginated so no answer can outgrow a Lambda's 6 MB: `GET /api/referrals`, `/api/members`
 * and `/api/dead-letters` take `limit` (1–100) and an opaque `cursor` (the `next` of the page before).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { api, deps, freshGroup } from '../harness.js';

type Group = Awaited<ReturnType<typeof freshGroup>>;
let g: Group;
let other: Group;
const key = (name: string) => g.members[name]!.apiKey;

/** Follows `next` from the first page to the last; returns every page. */
async function allPages(path: string, apiKey: string, limit: number): Promise<any[][]> {
  const pages: any[][] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: apiKey });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items);
    cursor = res.body.next;
    expect(pages.length).toBeLessThan(50);
  } while (cursor);
  return pages;
}

async function refer(from: string, to: string, n: number) {
  const res = await api('POST', '/api/referrals', { key: key(from), body: { provider: g.members[to]!.id, prospect: { name: `Pat Page${n}`, email: `pat${n}-${g.tag}@prospect.example` }, need: `need ${n}`, consent: false } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }, { name: 'Cy Cole' }, { name: 'Di Dale' }, { name: 'Ed East' }]);
  other = await freshGroup([{ name: 'Olga Other' }]);
  for (let n = 1; n <= 5; n++) await refer('Ann Able', 'Bob Baker', n);
  for (let n = 6; n <= 7; n++) await refer('Bob Baker', 'Ann Able', n);
  await refer('Cy Cole', 'Di Dale', 8);
  const d = deps();
  // Received in the last few days on the local clock: dead letters expire after 30 days of it.
  const now = d.clock.now().getTime();
  for (let n = 1; n <= 5; n++) {
    await d.store.putDeadLetter({ id: newId(), groupId: g.group.id, receivedAt: new Date(now - (6 - n) * 86_400_000).toISOString(), reason: `unreadable ${n}`, envelopeTo: [g.logAddress], rawBase64: Buffer.from(`Subject: ${n}\r\n\r\nbody`).toString('base64') });
  }
});

describe('GET /api/referrals pages', () => {
  it("a member's given and received together, newest first, in pages of `limit`, each referral once", async () => {
    const pages = await allPages('/api/referrals', key('Ann Able'), 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const items = pages.flat();
    expect(new Set(items.map((r) => r.id)).size).toBe(7);
    const created = items.map((r) => r.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('an admin pages through the whole group; role and status filter within pages', async () => {
    expect((await allPages('/api/referrals', g.admin.apiKey, 2)).flat()).toHaveLength(8);
    expect((await allPages('/api/referrals?role=received', key('Bob Baker'), 2)).map((p) => p.length)).toEqual([2, 2, 1]);
    const logged = await allPages('/api/referrals?status=logged&role=given', key('Ann Able'), 4);
    expect(logged.flat()).toHaveLength(5);
    expect((await allPages('/api/referrals?status=won', key('Ann Able'), 4)).flat()).toEqual([]);
  });

  it('without limit answers the default page (50) and no `next` when everything fits; keeps {items}', async () => {
    const res = await api('GET', '/api/referrals', { key: key('Ann Able') });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(7);
    expect(res.body).not.toHaveProperty('next');
  });

  it('refuses a page size out of bounds (422) and a cursor it did not make (400); never a 500', async () => {
    for (const limit of ['0', '101', '-1', '2.5', 'abc', '1e9']) {
      const res = await api('GET', `/api/referrals?limit=${limit}`, { key: key('Ann Able') });
      expect(res.status, limit).toBe(422);
      expect(res.body.error.message).toContain('limit');
    }
    const membersPage = await api('GET', '/api/members?limit=1', { key: g.admin.apiKey });
    for (const cursor of ['garbage', 'eyJ4IjoxfQ', Buffer.from('"2026-01-01T00:00:00.000Z#ABC"').toString('base64url'), membersPage.body.next, '%00', 'x'.repeat(1001)]) {
      const res = await api('GET', `/api/referrals?cursor=${encodeURIComponent(cursor)}`, { key: key('Ann Able') });
      expect([400, 422], String(cursor)).toContain(res.status);
      expect(res.body.error.code).toBe('invalid');
    }
  });
});

describe('GET /api/members and /api/dead-letters pages', () => {
  it('members by name in pages; a member never sees removed members, the admin does', async () => {
    const names = (await allPages('/api/members', g.admin.apiKey, 2)).flat().map((m) => m.name);
    expect(names).toEqual(['Ada Admin', 'Ann Able', 'Bob Baker', 'Cy Cole', 'Di Dale', 'Ed East']);
    expect((await api('POST', `/api/members/${g.members['Ed East']!.id}/remove`, { key: g.admin.apiKey, body: {} })).status).toBeLessThan(300);
    const forAnn = (await allPages('/api/members', key('Ann Able'), 2)).flat().map((m) => m.name);
    expect(forAnn).toEqual(['Ada Admin', 'Ann Able', 'Bob Baker', 'Cy Cole', 'Di Dale']);
    expect((await allPages('/api/members', g.admin.apiKey, 5)).flat()).toHaveLength(6);
    // Another group's cursor only ever continues the caller's own group.
    const otherPage = await api('GET', '/api/members?limit=1', { key: other.admin.apiKey });
    const res = await api('GET', `/api/members?limit=10&cursor=${otherPage.body.next}`, { key: g.admin.apiKey });
    expect(res.status).toBe(200);
    expect(res.body.items.every((m: any) => !m.name.includes('Olga'))).toBe(true);
  });

  it('dead letters newest first in pages', async () => {
    const pages = await allPages('/api/dead-letters', g.admin.apiKey, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((l) => l.reason)).toEqual(['unreadable 5', 'unreadable 4', 'unreadable 3', 'unreadable 2', 'unreadable 1']);
    expect((await api('GET', '/api/dead-letters?cursor=nope', { key: g.admin.apiKey })).status).toBe(400);
  });

  it('the OpenAPI document names limit and cursor for each list, and next in its answer', async () => {
    const doc = (await api('GET', '/api/openapi.json')).body;
    for (const path of ['/referrals', '/members', '/dead-letters']) {
      const names = doc.paths[path].get.parameters.map((p: any) => p.name);
      expect(names, path).toEqual(expect.arrayContaining(['limit', 'cursor']));
      expect(JSON.stringify(doc.paths[path].get.responses['200']), path).toContain('"next"');
    }
  });
});
