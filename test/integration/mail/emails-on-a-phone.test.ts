/**
 * Every email kind in a real browser (system Chromium through playwright-core) at phone width: the
 * reply-word table wraps instead of squeezing its meanings (the campaign ask was 2,732 px tall at
 * 390 px when its word column could not wrap), and nothing scrolls sideways. Screenshots for people.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../../src/domain/types.js';
import { renderEmail } from '../../../src/mail/render.js';
import { sampleEmailData } from '../../../templates/samples.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

describe('emails on a phone (390 px)', () => {
  it('every kind fits the width, and the reply-word meanings get room to read', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
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
