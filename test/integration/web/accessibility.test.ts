/**
 * Every page through axe-core in a real browser (system Chromium through playwright-core), at desktop
 * and phone widths: WCAG 2.1 A and AA rules, no violation of any impact. axe is an init script of each
 * browser context (in every document, before the page's own content; the page CSP does not apply to
 * init scripts), and each context visits its pages in one tab: injecting axe's 500 KB into every page
 * and opening a tab per page cost 85 s here, this 35 s.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, baseUrl, freshGroup, relay } from '../harness.js';
import { WebClient } from './web-client.js';
import { openChromium } from '../../support/chromium.js';

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];
const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

async function violationsOn(page: Page, path: string, expectedStatus: number): Promise<string[]> {
  const response = await page.goto(`${baseUrl}${path}`);
  expect(response?.status(), path).toBe(expectedStatus);
  // Every page has a favicon the page CSP allows (an inline SVG data: URL).
  expect(await page.getAttribute('link[rel="icon"]', 'href'), `${path} favicon`).toMatch(/^data:image\/svg\+xml,/);
  const violations = (await page.evaluate(
    (tags) => (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) => r.violations),
    TAGS,
  )) as Violation[];
  return violations.map((v) => `${path} [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

describe('accessibility of every page (axe-core, WCAG 2.1 AA)', () => {
  it('has no violation at 1280 and 390 px, signed in as each role and signed out', async () => {
    // Prepare: a referral Rita → Paul, and one the admin logged to Paul (the admin is a party to it)
    const g = await freshGroup([
      { name: 'Rita Referrer', business: 'Rita Law', category: 'Solicitor' },
      { name: 'Paul Provider', business: 'Paul Books', category: 'Bookkeeper', profile: { goodReferral: 'A sole trader who dreads January.' } },
    ]);
    const rita = g.members['Rita Referrer']!;
    const paul = g.members['Paul Provider']!;
    const created = await api('POST', '/api/referrals', { key: rita.apiKey, body: { provider: paul.id, prospect: { name: 'Nadia Baker', email: `nadia-${g.tag}@prospect.example` }, need: 'A bookkeeper for the bakery', temperature: 4, consent: true } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const byAdmin = await api('POST', '/api/referrals', { key: g.admin.apiKey, body: { provider: paul.id, prospect: { name: 'Omar Ovens' }, need: 'Payroll for six bakers', consent: false } });
    expect(byAdmin.status).toBe(201);
    const sessions = {
      rita: (await new WebClient().signIn(rita.email)).cookie('rr_session')!,
      paul: (await new WebClient().signIn(paul.email)).cookie('rr_session')!,
      admin: (await new WebClient().signIn(g.admin.email)).cookie('rr_session')!,
    };
    const visits: { who: keyof typeof sessions | 'nobody'; path: string; status?: number }[] = [
      { who: 'nobody', path: '/' },
      { who: 'nobody', path: '/signin' },
      { who: 'nobody', path: '/no-such-page', status: 404 },
      { who: 'rita', path: '/' },
      { who: 'rita', path: '/refer' },
      { who: 'rita', path: `/referrals/${id}` },
      { who: 'rita', path: '/referrals?role=given' },
      { who: 'rita', path: '/members' },
      { who: 'rita', path: `/members/${paul.id}` },
      { who: 'rita', path: '/profile' },
      { who: 'rita', path: '/reports' },
      { who: 'rita', path: '/admin', status: 403 },
      { who: 'rita', path: '/referrals/aaaaaaaaaaaaaaaa', status: 404 },
      { who: 'paul', path: `/referrals/${id}` },
      { who: 'admin', path: `/referrals/${id}` },
      { who: 'admin', path: `/referrals/${byAdmin.body.id as string}` },
      { who: 'admin', path: '/reports' },
      { who: 'admin', path: '/admin' },
      { who: 'admin', path: `/members/${paul.id}` },
      { who: 'nobody', path: '/api/docs' },
    ];

    const browser = await openChromium(relay.chromium);
    const found: string[] = [];
    // One context per width, visiting as each person in turn (its session cookie swapped): two
    // renderers instead of eight, side by side, since axe keeps a renderer busy.
    const check = async ({ name, viewport }: (typeof VIEWPORTS)[number]) => {
      const context = await browser.newContext({ viewport });
      try {
        // axe is in every document the context loads, before the page's own content (no per-page injection).
        await context.addInitScript({ content: AXE_SOURCE });
        const page = await context.newPage();
        for (const who of ['nobody', 'rita', 'paul', 'admin'] as const) {
          await context.clearCookies();
          if (who !== 'nobody') await context.addCookies([{ name: 'rr_session', value: sessions[who], url: baseUrl }]);
          for (const visit of visits.filter((v) => v.who === who)) {
            found.push(...(await violationsOn(page, visit.path, visit.status ?? 200)).map((v) => `${name} ${who} ${v}`));
          }
        }
      } finally {
        await context.close();
      }
    };
    try {
      await Promise.all(VIEWPORTS.map(check));
    } finally {
      await browser.close();
    }

    // Assess
    if (found.length > 0) console.log(found.join('\n'));
    expect(found).toEqual([]);
  }, 240_000);
});
