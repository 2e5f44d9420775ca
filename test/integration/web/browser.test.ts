/**
 * One real browser (system Chromium through playwright-core, JavaScript switched off to prove the
 * forms need none): sign in by magic link, refer, find the referral under "Given" with its timeline.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseUrl, emailsTo, eventually, freshGroup, relay } from '../harness.js';
import { signInLinkIn } from './web-client.js';
import { openChromium } from '../../support/chromium.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

const VIEWPORTS = [
  { name: 'phone', file: 'refer-flow.png', viewport: { width: 390, height: 844 } },
  { name: 'desktop', file: 'refer-flow-desktop.png', viewport: { width: 1280, height: 900 } },
];

describe('the refer flow in a real browser', () => {
  it('signs in, refers, and shows the referral under Given with its timeline (phone and desktop)', async () => {
    // Prepare
    mkdirSync(ARTIFACTS, { recursive: true });
    const g = await freshGroup([
      { name: 'Rita Referrer', business: 'Rita Law', category: 'Solicitor' },
      { name: 'Paul Provider', business: 'Paul Books', category: 'Bookkeeper', profile: { goodReferral: 'A sole trader who dreads January.' } },
    ]);
    const rita = g.members['Rita Referrer']!;
    const paul = g.members['Paul Provider']!;
    const browser = await openChromium(relay.chromium);
    try {
      for (const { name, file, viewport } of VIEWPORTS) {
        const context = await browser.newContext({ viewport, baseURL: baseUrl, javaScriptEnabled: false });
        const page = await context.newPage();
        const prospect = { name: `Nadia ${name}`, email: `nadia-${name}-${g.tag}@prospect.example` };

        // Act: sign in with the emailed link
        const seen = new Set((await emailsTo(rita.email)).map((e) => e.messageId));
        await page.goto('/signin');
        await page.fill('#email', rita.email);
        await page.click('button:has-text("Email me a sign-in link")');
        await expect.poll(() => page.textContent('h1')).toBe('Check your email');
        const mail = await eventually(async () => (await emailsTo(rita.email)).find((e) => !seen.has(e.messageId)), 'the sign-in email');
        await page.goto(signInLinkIn(mail.body.text ?? ''));
        await page.click('button:has-text("Sign in")');
        expect(new URL(page.url()).pathname).toBe('/referrals');

        // Act: the refer form
        await page.click('nav >> text=Refer');
        await page.selectOption('#provider', paul.id);
        await page.click('summary:has-text("What a good referral is")');
        expect(await page.isVisible('text=A sole trader who dreads January.')).toBe(true);
        await page.fill('#name', prospect.name);
        await page.fill('#email', prospect.email);
        await page.fill('#phone', '+44 20 7946 0000');
        await page.fill('#company', 'Nadia Bakes Ltd');
        await page.fill('#need', 'Needs a bookkeeper for her new bakery before January.');
        await page.check('input[name="temperature"][value="4"]');
        await page.check('input[name="consent"]');
        await page.fill('#note', 'Best reached after 3pm.');
        await page.screenshot({ path: join(ARTIFACTS, `refer-form-${name}.png`), fullPage: true });
        await page.click('button:has-text("Send the referral")');

        // Assess: the referral page, then the same referral from the "Given" tab
        await page.waitForURL(/\/referrals\/[a-z0-9]{16}\?done=logged$/);
        expect(await page.textContent('.flash.ok')).toContain('Referral logged.');
        await page.click('nav >> text=My referrals');
        await page.click('.tabs >> text=Given');
        const row = page.locator('ul.rows li', { hasText: prospect.name });
        expect(await row.count()).toBe(1);
        expect(await row.textContent()).toContain('to Paul Provider');
        await row.locator('a').click();
        await page.waitForURL(/\/referrals\/[a-z0-9]{16}$/);
        expect(await page.textContent('h1')).toContain(prospect.name);
        const events = page.locator('ol.timeline li');
        expect(await events.count()).toBeGreaterThanOrEqual(3);
        expect(await events.first().textContent()).toContain('logged');
        expect(await page.textContent('ol.timeline')).toContain('Receipt to the referrer');
        expect(await page.textContent('ul.pending')).toContain('Introduction email to the prospect');
        // No sideways scrolling at this width.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});
