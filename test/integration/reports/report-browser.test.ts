/**
 * The report page in a real browser (system Chromium through playwright-core), signed in as an
 * admin by magic link, at desktop and phone widths: screenshots for people to look at, every SVG
 * checked with the browser's own XML parser, every member named in the picture, no sideways scroll.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, freshGroup, relay } from '../harness.js';
import { WebClient } from '../web/web-client.js';
import { reportBaseUrl } from './report-server.js';
import { openChromium } from '../../support/chromium.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];
const NAMES = ['Ann Able', 'Bob Baker', 'Cat Cole', 'Dan Dee', 'Eve <Evans> & Co', 'Fay Fox'];

describe('the report page in a real browser', () => {
  it('shows an admin the report on desktop and phone, with well-formed, accessible pictures', async () => {
    // Prepare: a small chapter with two clusters and a few outcomes
    mkdirSync(ARTIFACTS, { recursive: true });
    const g = await freshGroup(NAMES.map((name) => ({ name, profile: { goodReferral: `Someone who needs ${name.split(' ')[0]}.` } })));
    const m = (name: string) => g.members[name]!;
    const pairs: [string, string, string?][] = [
      ['Ann Able', 'Bob Baker', 'won'], ['Bob Baker', 'Ann Able'], ['Ann Able', 'Cat Cole', 'contacted'], ['Cat Cole', 'Ann Able', 'won'],
      ['Bob Baker', 'Cat Cole'], ['Dan Dee', 'Eve <Evans> & Co', 'lost'], ['Eve <Evans> & Co', 'Dan Dee', 'contacted'], ['Dan Dee', 'Eve <Evans> & Co'], ['Fay Fox', 'Dan Dee'],
    ];
    let i = 0;
    for (const [from, to, outcome] of pairs) {
      const res = await api('POST', '/api/referrals', { key: m(from).apiKey, body: { provider: m(to).id, prospect: { name: `Prospect ${++i}` }, need: 'help with the books', consent: false } });
      expect(res.status).toBe(201);
      if (outcome) {
        const body = outcome === 'won' ? { action: 'won', amount: 1000 * i, currency: i % 2 ? 'GBP' : 'EUR' } : outcome === 'lost' ? { action: 'lost', text: 'went with a cheaper quote' } : { action: outcome };
        expect((await api('POST', `/api/referrals/${res.body.id}/actions`, { key: m(to).apiKey, body })).status).toBe(200);
      }
    }
    const admin = await new WebClient().signIn(g.admin.email);
    const base = reportBaseUrl();
    const browser = await openChromium(relay.chromium);
    try {
      for (const { name, viewport } of VIEWPORTS) {
        const context = await browser.newContext({ viewport });
        await context.addCookies([{ name: 'rr_session', value: admin.cookie('rr_session')!, url: base }]);
        const page = await context.newPage();

        // Act
        const response = await page.goto(`${base}/reports`);
        await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });

        // Assess
        expect(response?.status()).toBe(200);
        expect(await page.textContent('h1')).toBe('Group report');
        expect(await page.locator('table.summary tbody tr').count()).toBe(NAMES.length + 1); // and Ada Admin
        const source = (await response!.text()) as string;
        const svgs = source.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
        expect(svgs).toHaveLength(3);
        const parsed = await page.evaluate((list) => list.map((svg) => {
          const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
          const error = doc.getElementsByTagName('parsererror')[0];
          return { error: error?.textContent ?? null, text: doc.documentElement.textContent ?? '', role: doc.documentElement.getAttribute('role'), labelledBy: doc.documentElement.getAttribute('aria-labelledby') };
        }), svgs);
        for (const p of parsed) {
          expect(p.error).toBeNull();
          expect(p.role).toBe('img');
          expect(p.labelledBy).toMatch(/^\S+-title \S+-desc$/);
        }
        for (const member of NAMES) expect(parsed[0]!.text).toContain(member);
        expect(await page.locator('figure.chart details').count()).toBe(3);
        expect(await page.isVisible('text=Provider scorecard (admins only)')).toBe(true);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `sideways scroll at ${name} width`).toBeLessThanOrEqual(0);
        // The header is one band across the page with no empty rows: its parts fill it top to bottom.
        const header = await page.evaluate(() => {
          const top = document.querySelector('header.top')!.getBoundingClientRect();
          const parts = [...document.querySelectorAll('header.top .bar, header.top nav a')].map((e) => e.getBoundingClientRect());
          return { width: top.width, height: top.height, lowest: Math.max(...parts.map((r) => r.bottom)) - top.top };
        });
        expect(header.width).toBe(await page.evaluate(() => document.documentElement.clientWidth));
        expect(header.height - header.lowest, `empty space under the header's links at ${name} width`).toBeLessThan(24);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});
