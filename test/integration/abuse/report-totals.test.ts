/**
 * Report totals never reveal a closed value the provider did not share: a member who is not a party,
 * and the referrer before `share`, see no unshared £4,500 in the totals of the API, the CSV or /reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, baseUrl, freshGroup } from '../harness.js';

type Group = Awaited<ReturnType<typeof freshGroup>>;
let g: Group;
let referralId: string;

const key = (name: string) => g.members[name]!.apiKey;
// In JSON and CSV the amount is a bare number; on the page it is formatted (£4,500).
const amountShown = /\b4500\b|4,500/;

async function everyReportView(apiKey: string) {
  const json = await api('GET', '/api/reports/summary', { key: apiKey });
  const csv = await api('GET', '/api/reports/summary.csv', { key: apiKey });
  const page = await fetch(`${baseUrl}/reports`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(json.status).toBe(200);
  expect(csv.status).toBe(200);
  expect(page.status).toBe(200);
  return { json: json.body, csv: String(csv.body), page: await page.text() };
}

beforeAll(async () => {
  g = await freshGroup([{ name: 'Ann Able' }, { name: 'Bob Baker' }, { name: 'Carl Cole' }]);
  const created = await api('POST', '/api/referrals', { key: key('Ann Able'), body: { provider: g.members['Bob Baker']!.id, prospect: { name: 'Pia Prospect', email: `pia-${g.tag}@prospect.example` }, need: 'a new roof', consent: false } });
  expect(created.status).toBe(201);
  referralId = created.body.id;
  const won = await api('POST', `/api/referrals/${referralId}/actions`, { key: key('Bob Baker'), body: { action: 'won', amount: 4500, currency: 'GBP' } });
  expect(won.status).toBe(200);
});

describe('report totals for a non-admin', () => {
  it('a member who is not a party sees no unshared £4,500: not in the API totals, the CSV or the page', async () => {
    const carl = await everyReportView(key('Carl Cole'));
    expect(carl.json.totals).toMatchObject({ given: 1, won: 1, closedValue: [] });
    expect(JSON.stringify(carl.json)).not.toMatch(amountShown);
    expect(carl.csv).not.toMatch(amountShown);
    expect(carl.page).toContain('Whole group');
    expect(carl.page).not.toMatch(amountShown);
  });

  it('the referrer sees it only after the provider shares it; the provider and the admin always', async () => {
    expect(JSON.stringify((await everyReportView(key('Ann Able'))).json)).not.toMatch(amountShown);
    expect((await everyReportView(key('Ann Able'))).page).not.toMatch(amountShown);
    expect((await everyReportView(key('Bob Baker'))).json.totals.closedValue).toEqual([{ amount: 4500, currency: 'GBP' }]);
    expect((await everyReportView(g.admin.apiKey)).json.totals.closedValue).toEqual([{ amount: 4500, currency: 'GBP' }]);

    expect((await api('POST', `/api/referrals/${referralId}/actions`, { key: key('Bob Baker'), body: { action: 'share' } })).status).toBe(200);

    const ann = await everyReportView(key('Ann Able'));
    expect(ann.json.totals.closedValue).toEqual([{ amount: 4500, currency: 'GBP' }]);
    expect(ann.csv).toMatch(amountShown);
    expect(ann.page).toMatch(amountShown);
    const carl = await everyReportView(key('Carl Cole'));
    expect(carl.json.totals.closedValue).toEqual([]);
    expect(carl.page).not.toMatch(amountShown);
  });
});
