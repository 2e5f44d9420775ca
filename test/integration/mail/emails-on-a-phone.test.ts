/**
 * Every email kind in a real browser (system Chromium through playwright-core) at phone width: the
 * reply-word table wraps instead of squeezing its meanings (the campaign ask was 2,732 px tall at
 * 390 px when its word column could not wrap), and nothing scrolls sideways. Screenshots for people.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../../src/domain/types.js';
import { renderEmail } from '../../../src/mail/render.js';
import { composeEmailData } from '../../../src/referrals/compose-email.js';
import { sampleEmailData } from '../../../templates/samples.js';
import { group, referral } from '../../unit/referrals/fixtures.js';
import { openChromium } from '../../support/chromium.js';
import { relay } from '../harness.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

describe('emails on a phone (390 px)', () => {
  it('every kind fits the width, and the reply-word meanings get room to read', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await openChromium(relay.chromium);
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      for (const kind of EMAIL_KINDS) {
        await page.setContent(renderEmail(kind, sampleEmailData(kind)).html);
        if (kind === 'campaign_ask' || kind === 'progress_request') await page.screenshot({ path: join(ARTIFACTS, `email-${kind}-phone.png`), fullPage: true });
        const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
        expect(size.width, `${kind} scrolls sideways`).toBeLessThanOrEqual(390);
        // The help answer's body is the whole list of words by design; every other email is short.
        if (kind !== 'help') expect(size.height, `${kind} is ${size.height} px tall`).toBeLessThan(1400);
        // Each meaning cell is wide enough for words, not a column of single letters.
        const narrowest = await page.evaluate(() =>
          Math.min(Infinity, ...[...document.querySelectorAll('table[role="presentation"] tr')].filter((tr) => tr.children.length === 2 && tr.querySelector('code, kbd, span')).map((tr) => (tr.children[1] as HTMLElement).getBoundingClientRect().width)),
        );
        if (Number.isFinite(narrowest)) expect(narrowest, `${kind}: narrowest meaning column`).toBeGreaterThan(120);
      }
    } finally {
      await browser.close();
    }
  });
});

describe('the introduction, as the prospect sees it (390 px and 1280 px)', () => {
  const member = (id: string, name: string, over: object = {}) => ({ id, groupId: group.id, name, email: `${id}@example.com`, extraAddresses: [], pendingExtraAddresses: [], profile: {}, status: 'active' as const, role: 'member' as const, createdAt: '', version: 1, ...over });
  const intro = renderEmail(
    'intro',
    composeEmailData(
      { kind: 'intro', to: 'prospect' },
      {
        group,
        referral: referral({ status: 'logged', consent: true, prospect: { name: 'Bob Stone', email: 'bob@stonebakery.example', phone: '07700 900123', company: 'Stone Bakery' }, need: 'Needs a bookkeeper; his books are a shoebox', introLine: 'Priya has kept the books of my firm for six years and never missed a deadline.' }),
        referrer: member('referrer00000000', 'Alice Morgan'),
        provider: member('provider00000000', 'Priya Shah', { business: 'Ledger Lane', category: 'Bookkeeping', profile: { tellPeople: 'I keep the books of trades and food businesses, VAT returns included.' } }),
        recipientName: 'Bob Stone',
        webBaseUrl: 'https://relay.example',
        sessionSecret: 's',
      },
    ),
  );

  it.each([390, 1280])('at %i px it reads whole: greeting, the line, the profile, both contacts, the signature', async (width) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await openChromium(relay.chromium);
    try {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.setContent(intro.html);
      await page.screenshot({ path: join(ARTIFACTS, `email-intro-${width}.png`), fullPage: true });
      const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
      expect(size.width).toBeLessThanOrEqual(width);
      expect(size.height).toBeLessThan(width === 390 ? 1400 : 1000);
      const text = await page.evaluate(() => document.body.innerText);
      for (const words of ['Hi Bob and Priya,', 'never missed a deadline', 'VAT returns included', 'bob@stonebakery.example', 'provider00000000@example.com', "Introduced on Alice Morgan's behalf"]) expect(text).toContain(words);
      expect(text).not.toMatch(/shoebox|bookkeeper;/);
    } finally {
      await browser.close();
    }
  });
});
