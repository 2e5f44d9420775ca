/**
 * The report surface over HTTP against the real local stack: every figure and the CSV for an admin,
 * a member, another group's admin and no key; the page; campaigns and flags.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, formatIsoDate, localIsoDate, localParts, startOfLocalMonth } from '../../../src/domain/zoned-time.js';
import { api, clockNow, deps, freshGroup } from '../harness.js';
import { reportApi } from './report-server.js';

type Group = Awaited<ReturnType<typeof freshGroup>>;
let g: Group;
let other: Group;

/** The London date of an instant, `plusDays` calendar days on, as YYYY-MM-DD. */
const londonDate = (at: Date, plusDays = 0) => formatIsoDate(addCalendarDays(localParts(at, 'Europe/London'), plusDays));
let ann: Group['members'][string];
let bob: Group['members'][string];
let jj: Group['members'][string];
const JJ = 'Smith, "JJ" Jane';

async function refer(from: { apiKey: string }, to: { id: string }, prospect: string) {
  const res = await api('POST', '/api/referrals', { key: from.apiKey, body: { provider: to.id, prospect: { name: prospect, email: `${prospect.toLowerCase().replace(/\W+/g, '.')}-${g.tag}@prospect.example` }, need: 'a new website', consent: false } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function act(key: string, id: string, body: Record<string, unknown>) {
  const res = await api('POST', `/api/referrals/${id}/actions`, { key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  // Prepare: Ann gives Bob (won £1,200, not shared) and JJ (won €300, shared); Bob and JJ give Ann.
  g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }, { name: JJ }]);
  other = await freshGroup([{ name: 'Olga Other' }]);
  ann = g.members['Ann Able']!;
  bob = g.members['Bob Baker']!;
  jj = g.members[JJ]!;
  const r1 = await refer(ann, bob, 'Pia One');
  await act(bob.apiKey, r1, { action: 'won', amount: 1200, currency: 'GBP' });
  const r2 = await refer(ann, jj, 'Pia Two');
  await act(jj.apiKey, r2, { action: 'won', amount: 300, currency: 'EUR' });
  await act(jj.apiKey, r2, { action: 'share' });
  await refer(bob, ann, 'Pia Three');
  const r4 = await refer(jj, ann, 'Pia Four');
  await act(ann.apiKey, r4, { action: 'contacted' });
});

const row = (body: any, id: string) => body.members.find((m: any) => m.memberId === id);

describe('GET /api/reports/summary', () => {
  it('gives an admin every member, closed values credited to the referrer, and totals', async () => {
    // Act
    const res = await reportApi('GET', '/api/reports/summary', { key: g.admin.apiKey });

    // Assess
    expect(res.status).toBe(200);
    const now = await clockNow();
    expect(res.body.from).toBe(localIsoDate(startOfLocalMonth(now, 'Europe/London'), 'Europe/London'));
    expect(res.body.members.map((m: any) => m.name).sort()).toEqual(['Ada Admin', 'Ann Able', 'Bob Baker', JJ].sort());
    expect(row(res.body, ann.id)).toMatchObject({ given: 2, received: 2, won: 0, lost: 0, closedValue: [{ amount: 300, currency: 'EUR' }, { amount: 1200, currency: 'GBP' }] });
    expect(row(res.body, bob.id)).toMatchObject({ given: 1, received: 1, won: 1, closedValue: [], closedValueWon: [{ amount: 1200, currency: 'GBP' }] });
    expect(row(res.body, jj.id)).toMatchObject({ given: 1, received: 1, won: 1, conversion: 1 });
    expect(typeof row(res.body, ann.id).medianHoursToFirstContact).toBe('number');
    expect(res.body.totals).toMatchObject({ given: 4, won: 2, closedValue: [{ amount: 300, currency: 'EUR' }, { amount: 1200, currency: 'GBP' }] });
  });

  it('gives a member only their own row, with only the closed values shared with them, plus totals', async () => {
    const forAnn = await reportApi('GET', '/api/reports/summary?period=this month', { key: ann.apiKey });
    const forBob = await reportApi('GET', '/api/reports/summary', { key: bob.apiKey });

    expect(forAnn.status).toBe(200);
    expect(forAnn.body.members).toHaveLength(1);
    expect(forAnn.body.members[0]).toMatchObject({ memberId: ann.id, given: 2, closedValue: [{ amount: 300, currency: 'EUR' }] });
    expect(forAnn.text).not.toContain(bob.id);
    expect(forAnn.text).not.toContain('Bob Baker');
    expect(forBob.body.members.map((m: any) => m.memberId)).toEqual([bob.id]);
    expect(forBob.body.totals.given).toBe(4);
  });

  it("shows another group's admin nothing of this group", async () => {
    const res = await reportApi('GET', '/api/reports/summary', { key: other.admin.apiKey });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ given: 0, won: 0, closedValue: [] });
    for (const m of [ann, bob, jj]) expect(res.text).not.toContain(m.id);
    expect(res.body.members.map((m: any) => m.name).sort()).toEqual(['Ada Admin', 'Olga Other']);
  });

  it('refuses no key or a wrong key with 401', async () => {
    expect((await reportApi('GET', '/api/reports/summary')).status).toBe(401);
    expect((await reportApi('GET', '/api/reports/summary', { key: 'rr_not-a-key' })).status).toBe(401);
    expect((await reportApi('GET', '/api/reports/summary.csv')).status).toBe(401);
  });

  it.each([
    ['from=2026-02-30&to=2026-03-10', 'from'],
    ['from=2026-03-10&to=2026-03-01', 'to'],
    ['from=2023-01-01&to=2026-01-02', 'to'],
    ['period=fortnight', 'period'],
    ['to=2026-03-01', 'from'],
  ])('answers 422 for %s', async (query, field) => {
    const res = await reportApi('GET', `/api/reports/summary?${query}`, { key: g.admin.apiKey });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid');
    expect(res.body.error.details.map((d: any) => d.path)).toContain(field);
    expect((await reportApi('GET', `/api/reports/summary.csv?${query}`, { key: g.admin.apiKey })).status).toBe(422);
  });

  it('counts a custom period that holds none of the referrals as empty', async () => {
    const res = await reportApi('GET', '/api/reports/summary?from=2020-01-01&to=2020-02-01', { key: g.admin.apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2020-01-01', to: '2020-02-01', totals: { given: 0 } });
  });
});

describe('GET /api/reports/summary.csv', () => {
  it('gives the same rows as the JSON, quoted, as a download', async () => {
    // Act
    const res = await reportApi('GET', '/api/reports/summary.csv', { key: g.admin.apiKey });
    const json = await reportApi('GET', '/api/reports/summary', { key: g.admin.apiKey });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; ?charset=utf-8$/i);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="referrals-${g.group.slug}-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const lines = res.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('member_id,name,given,received,won,lost,closed_value_eur,closed_value_gbp,median_hours_to_first_contact,p90_hours_to_first_contact,thanked_within_day_share,conversion');
    expect(lines).toHaveLength(json.body.members.length + 2);
    expect(lines.map((l) => l.split(',')[0]).slice(1, -1)).toEqual(json.body.members.map((m: any) => m.memberId));
    expect(lines.find((l) => l.startsWith(jj.id))).toContain(`,"Smith, ""JJ"" Jane",1,1,1,0,0.00,0.00,`);
    expect(lines.find((l) => l.startsWith(ann.id))).toContain(',Ann Able,2,2,0,0,300.00,1200.00,');
    expect(lines.at(-1)).toMatch(/^,TOTAL,4,4,2,0,300\.00,1200\.00,/);
  });

  it('gives a member only their row and the total', async () => {
    const res = await reportApi('GET', '/api/reports/summary.csv', { key: bob.apiKey });
    const lines = res.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]!.startsWith(`${bob.id},Bob Baker,`)).toBe(true);
    expect(res.text).not.toContain('Ann Able');
  });

  it("gives another group's admin only their own group", async () => {
    const res = await reportApi('GET', '/api/reports/summary.csv', { key: other.admin.apiKey });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Ann Able');
    expect(res.text).toContain('Olga Other');
  });
});

describe('the /reports page', () => {
  const summaryTable = (page: string) => /<table class="summary">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';

  it('sends a visitor without a session to sign in', async () => {
    const res = await reportApi('GET', '/reports');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin');
  });

  it('shows an admin every member, the pictures and the scorecard', async () => {
    const res = await reportApi('GET', '/reports', { key: g.admin.apiKey });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Group report</h1>');
    for (const name of ['Ann Able', 'Bob Baker', 'Smith, &quot;JJ&quot; Jane']) expect(summaryTable(res.text)).toContain(name);
    expect(res.text.match(/<svg /g)).toHaveLength(3);
    expect(res.text).toContain('Provider scorecard (admins only)');
    expect(res.text).toContain('action="/reports/campaign"');
  });

  it('shows a member their own row only, and no admin sections', async () => {
    const res = await reportApi('GET', '/reports', { key: ann.apiKey });
    expect(res.status).toBe(200);
    expect(summaryTable(res.text)).toContain('Ann Able');
    expect(summaryTable(res.text)).not.toContain('Bob Baker');
    expect(res.text).not.toContain('Provider scorecard');
    expect(res.text).not.toContain('action="/reports/campaign"');
  });

  it("shows another group's admin nothing of this group", async () => {
    const res = await reportApi('GET', '/reports', { key: other.admin.apiKey });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Ann Able');
  });

  it('marks a bad period and shows this month instead', async () => {
    const res = await reportApi('GET', '/reports?period=custom&from=2026-03-10&to=2026-03-01', { key: g.admin.apiKey });
    expect(res.status).toBe(422);
    expect(res.text).toContain('That period could not be shown');
    expect(res.text).toContain('The end date must not be before the start date');
  });
});

describe('POST /api/campaigns', () => {
  it('lets an admin start a referral month, stored on the group', async () => {
    const now = await clockNow();
    const body = { startsOn: londonDate(now), endsOn: londonDate(now, 30) };

    const res = await reportApi('POST', '/api/campaigns', { key: g.admin.apiKey, body });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ campaign: body });
    expect((await deps().store.getGroup(g.group.id))!.campaign).toEqual(body);
  });

  it('refuses members, strangers and bad dates', async () => {
    const now = await clockNow();
    const ok = { startsOn: londonDate(now), endsOn: londonDate(now, 7) };
    expect((await reportApi('POST', '/api/campaigns', { key: ann.apiKey, body: ok })).status).toBe(403);
    expect((await reportApi('POST', '/api/campaigns', { body: ok })).status).toBe(401);
    expect((await reportApi('POST', '/api/campaigns', { key: g.admin.apiKey, body: { startsOn: ok.endsOn, endsOn: ok.startsOn } })).status).toBe(422);
    expect((await reportApi('POST', '/api/campaigns', { key: g.admin.apiKey, body: { startsOn: '2020-01-01', endsOn: '2020-01-31' } })).status).toBe(422);
    expect((await reportApi('POST', '/api/campaigns', { key: g.admin.apiKey, body: { startsOn: 'soon' } })).status).toBe(422);
  });
});

describe('POST /api/members/:id/flag', () => {
  it('lets an admin flag a member for a conversation and clear it again', async () => {
    const flagged = await reportApi('POST', `/api/members/${bob.id}/flag`, { key: g.admin.apiKey, body: { note: 'Three referrals without first contact' } });
    expect(flagged.status).toBe(200);
    expect(flagged.body).toMatchObject({ id: bob.id, flagged: 'Three referrals without first contact' });
    const page = await reportApi('GET', '/reports', { key: g.admin.apiKey });
    expect(page.text).toContain('Three referrals without first contact');

    const cleared = await reportApi('POST', `/api/members/${bob.id}/flag`, { key: g.admin.apiKey, body: { note: '' } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.flagged).toBeUndefined();
  });

  it('refuses members, other groups and strangers', async () => {
    expect((await reportApi('POST', `/api/members/${bob.id}/flag`, { key: ann.apiKey, body: { note: 'x' } })).status).toBe(403);
    expect((await reportApi('POST', `/api/members/${bob.id}/flag`, { key: other.admin.apiKey, body: { note: 'x' } })).status).toBe(404);
    expect((await reportApi('POST', `/api/members/${bob.id}/flag`, { body: { note: 'x' } })).status).toBe(401);
    expect((await reportApi('POST', `/api/members/${bob.id}/remove`, { key: ann.apiKey })).status).toBe(403);
    expect((await reportApi('POST', `/api/members/${bob.id}/remove`, { key: other.admin.apiKey })).status).toBe(404);
  });
});
