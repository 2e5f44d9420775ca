/**
 * XSS in a real browser (issue 12 item 15). Every field a person types — member names, business,
 * category, profile answers, prospect name and company, need, notes, questions, lost reasons, replies —
 * carries a payload that would run script or add an element if it were not escaped. Then every page
 * that shows them, and every email they caused, is opened in Chromium with JavaScript on and the page's
 * CSP bypassed (so this tests the escaping itself, not only the CSP behind it):
 * no dialog opens, no element or attribute from a payload exists, and the payload shows as text.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_KINDS, type EmailKind } from '../../../src/domain/types.js';
import { renderEmail } from '../../../src/mail/render.js';
import { signReplyAddress } from '../../../src/mail/reply-token.js';
import { sampleEmailData } from '../../../templates/samples.js';
import { hashSecret } from '../../../src/members/api-keys.js';
import { api, baseUrl, deps, emailsTo, eventually, freshGroup, relay, sendSmtp, type StoredEmail } from '../harness.js';
import { openChromium } from '../../support/chromium.js';


/** Every payload carries a `xss-probe` marker and calls alert() with the field's label when it runs. */
const payloads = (label: string) => [
  `${label}<img src=x onerror=alert('${label}')><xss-probe></xss-probe>`,
  `${label}"><svg onload=alert('${label}')><xss-probe a="`,
  `${label}'><script>alert('${label}')</script><xss-probe>`,
  `${label}</title></style></textarea><iframe srcdoc="<script>parent.alert('${label}')</script>"></iframe><xss-probe>`,
  `${label}<a href="javascript:alert('${label}')" id=xss-link>click</a><xss-probe>`,
  `${label}{{constructor.constructor('alert(1)')()}}<details open ontoggle=alert('${label}')><xss-probe>`,
];
let n = 0;
/** A payload for one field, varying the attack from field to field. */
const hostile = (label: string) => payloads(label)[n++ % 6]!;

interface Setup {
  g: Awaited<ReturnType<typeof freshGroup>>;
  hostileProvider: { id: string; email: string };
  referralIds: string[];
  prospectEmail: string;
}
let s: Setup;
let browser: Browser;
const fired: string[] = [];

async function ok<T>(res: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await res;
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

beforeAll(async () => {
  const g = await freshGroup([
    {
      name: hostile('member-name'),
      email: undefined,
      business: hostile('business'),
      category: hostile('category'),
      profile: { tellPeople: hostile('tell-people'), goodReferral: hostile('good-referral'), setsApart: hostile('sets-apart') },
    },
  ]);
  const provider = Object.values(g.members)[0]!;
  // The admin (who sees every page) is renamed with a payload too.
  await ok(api('PATCH', `/api/members/${g.admin.id}`, { key: g.admin.apiKey, body: { name: hostile('admin-name') } }), 'rename the admin');

  const prospectEmail = `prospect-${g.tag}@example.com`;
  const referralIds: string[] = [];
  for (const which of ['open', 'lost']) {
    const created = await ok(
      api<{ id: string }>('POST', '/api/referrals', {
        key: g.admin.apiKey,
        body: { provider: provider.id, prospect: { name: hostile(`prospect-name-${which}`), email: which === 'open' ? prospectEmail : undefined, company: hostile(`company-${which}`) }, need: hostile(`need-${which}`), note: hostile(`note-${which}`), consent: true },
      }),
      `create the ${which} referral`,
    );
    referralIds.push(created.id);
  }
  const [openId, lostId] = referralIds as [string, string];
  const act = (id: string, key: string, body: Record<string, unknown>) => ok(api('POST', `/api/referrals/${id}/actions`, { key, body }), `${String(body.action)} on ${id}`);
  await act(openId, provider.apiKey, { action: 'contacted' });
  await act(openId, provider.apiKey, { action: 'note', text: hostile('provider-note') });
  await act(openId, g.admin.apiKey, { action: 'note', text: hostile('referrer-note') });
  await act(lostId, provider.apiKey, { action: 'contacted' });
  await act(lostId, provider.apiKey, { action: 'lost', text: hostile('lost-reason') });

  // A reply by email, the third way in: a note in the provider's own words.
  const d = deps();
  const replyTo = signReplyAddress({ referralId: openId, kind: 'progress_request', recipient: 'provider' }, d.config.replyKeys, d.config.inboundDomain);
  const replyText = hostile('reply-note');
  await sendSmtp(`From: ${provider.email}\r\nTo: ${replyTo}\r\nSubject: Re: how is it going\r\nMessage-ID: <xss-${g.tag}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nnote ${replyText}\r\n`, { from: provider.email, to: [replyTo] });
  await eventually(async () => {
    const r = await api<{ timeline: { text: string }[] }>('GET', `/api/referrals/${openId}`, { key: g.admin.apiKey });
    return JSON.stringify(r.body).includes('reply-note');
  }, 'the reply note on the timeline');

  s = { g, hostileProvider: { id: provider.id, email: provider.email }, referralIds, prospectEmail };
  browser = await openChromium(relay.chromium);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** A signed-in page for the admin: a sign-in token used the way the emailed link's button uses it. */
async function adminPage(width: number): Promise<Page> {
  const token = randomBytes(32).toString('base64url');
  const d = deps();
  await d.store.putToken(hashSecret(token), { purpose: 'signin', memberId: s.g.admin.id }, new Date(d.clock.now().getTime() + 15 * 60_000));
  const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: baseUrl, bypassCSP: true });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    fired.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`/signin/${token}`);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.pathname !== `/signin/${token}`);
  return page;
}

/** What a payload would have added to the DOM had it not been shown as text. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.querySelector('xss-probe')) found.push('<xss-probe> element');
    if (document.querySelector('#xss-link, a[href^="javascript:" i]')) found.push('javascript: link');
    if (document.querySelector('iframe[srcdoc]')) found.push('iframe srcdoc');
    if (document.querySelector('img[src="x"]')) found.push('img src=x');
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) if (/^on/i.test(attr.name)) found.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
    }
    for (const script of Array.from(document.scripts)) if (/alert\(/.test(script.textContent ?? '')) found.push('script with alert');
    return found;
  });
}

async function expectInert(page: Page, where: string, mustShow: string[]) {
  // Let anything that was going to run, run (onerror of a broken image, ontoggle, iframes).
  await page.waitForTimeout(0);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  expect(fired, `script ran on ${where}`).toEqual([]);
  expect(await injected(page), `elements from input on ${where}`).toEqual([]);
  const text = await page.evaluate(() => document.body.innerText);
  for (const label of mustShow) expect(text, `${where} shows ${label} as text`).toContain(`${label}`);
  // Shown literally: the markup of the payload is visible text.
  expect(text, `${where} shows the payload's markup as text`).toMatch(/<xss-probe|<img src=x|<svg onload|<script>|<iframe srcdoc|<a href="javascript:|<details open/);
}

describe('a payload in every field stays text, in Chromium', () => {
  it('the checks see a payload that was not escaped (so a pass means something)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    const seen: string[] = [];
    page.on('dialog', (dialog) => {
      seen.push(dialog.message());
      void dialog.dismiss();
    });
    for (let i = 0; i < 6; i++) {
      await page.setContent(`<p>${payloads(`raw-${i}`)[i]!}</p>`);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      const found = await injected(page);
      expect(found.length + seen.length, `payload ${i} goes unnoticed when unescaped`).toBeGreaterThan(0);
    }
    await context.close();
  });

  it.each([390, 1280])('every page at %i px', async (width) => {
    const page = await adminPage(width);
    const [openId, lostId] = s.referralIds as [string, string];
    const pages: { path: string; show: string[] }[] = [
      { path: '/referrals', show: ['prospect-name-open'] },
      { path: '/referrals?tab=given', show: [] },
      { path: `/referrals/${openId}`, show: ['prospect-name-open', 'member-name', 'need-open', 'provider-note', 'referrer-note', 'reply-note', 'company-open'] },
      { path: `/referrals/${lostId}`, show: ['prospect-name-lost', 'lost-reason'] },
      { path: '/refer', show: ['member-name'] },
      { path: '/members', show: ['member-name', 'business'] },
      { path: `/members/${s.hostileProvider.id}`, show: ['member-name', 'business', 'category', 'tell-people', 'good-referral', 'sets-apart'] },
      { path: `/members/${s.g.admin.id}`, show: ['admin-name'] },
      { path: '/profile', show: ['admin-name'] },
      { path: '/admin', show: ['member-name'] },
      { path: '/reports', show: ['member-name'] },
      { path: '/', show: [] },
    ];
    for (const { path, show } of pages) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBeLessThan(400);
      await expectInert(page, `${path} at ${width} px`, show);
    }
    await page.context().close();
  });

  it('every email the hostile referrals caused', async () => {
    const emails = new Map<string, StoredEmail>();
    for (const address of [s.hostileProvider.email, s.g.admin.email, s.prospectEmail]) {
      for (const e of await emailsTo(address)) emails.set(e.messageId, e);
    }
    const kinds = new Set<string>();
    const context = await browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: true });
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      fired.push(dialog.message());
      void dialog.dismiss();
    });
    // No network: an email's images and links go nowhere.
    await page.route('**/*', (route) => route.abort());
    let shown = 0;
    for (const email of emails.values()) {
      if (!email.body.html) continue;
      kinds.add(email.subject.replace(/[^a-z ]/gi, '').slice(0, 30));
      await page.setContent(email.body.html, { waitUntil: 'domcontentloaded' });
      await page.evaluate(() => new Promise((r) => setTimeout(r, 20)));
      expect(fired, `script ran in "${email.subject}"`).toEqual([]);
      expect(await injected(page), `elements from input in "${email.subject}"`).toEqual([]);
      if (/xss-probe|<img src=x|<svg onload|<script>|<iframe|javascript:|<details/.test(await page.evaluate(() => document.body.innerText))) shown++;
      // The subject line is a header, not HTML, but a mail client shows it: no markup gets in there either.
      expect(email.subject).not.toMatch(/[\r\n]/);
    }
    // The referral's receipt, provider notice, introduction, notes, reply confirmation, lost notice …
    expect(emails.size).toBeGreaterThanOrEqual(6);
    expect(shown, 'emails that show a payload as text').toBeGreaterThanOrEqual(4);
    await context.close();
  });

  it('every email kind, with a payload in every text it shows', async () => {
    /** Free text a person wrote (names, needs, notes, answers …), as opposed to codes, dates and links. */
    const TEXT_KEY = /name|need|note|text|business|category|question|answer|intro|reason|summary|company|tell|good|sets|detail|message|subject|words/i;
    const CODE_KEY = /kind|status|role|action|url|link|href|email|address|^at$|date|time|currency|id$|token|reason$/i;
    const poison = (value: unknown, key = ''): unknown => {
      if (typeof value === 'string') return TEXT_KEY.test(key) && !CODE_KEY.test(key) ? `${value}${payloads(key)[key.length % 6]!}` : value;
      if (Array.isArray(value)) return value.map((v) => poison(v, key));
      if (value && typeof value === 'object' && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
      return value;
    };
    const context = await browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: true });
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      fired.push(dialog.message());
      void dialog.dismiss();
    });
    await page.route('**/*', (route) => route.abort());
    const kinds: readonly EmailKind[] = EMAIL_KINDS;
    let shown = 0;
    for (const kind of kinds) {
      const email = renderEmail(kind, poison(sampleEmailData(kind)) as ReturnType<typeof sampleEmailData>);
      await page.setContent(email.html, { waitUntil: 'domcontentloaded' });
      await page.evaluate(() => new Promise((r) => setTimeout(r, 20)));
      expect(fired, `script ran in ${kind}`).toEqual([]);
      expect(await injected(page), `elements from input in ${kind}`).toEqual([]);
      if ((await page.evaluate(() => document.body.innerText)).includes('<xss-probe')) shown++;
      expect(email.subject, kind).not.toMatch(/[\r\n]/);
    }
    expect(kinds.length).toBeGreaterThanOrEqual(20);
    // Most kinds show at least one poisoned text (a few, like the sign-in link, show none).
    expect(shown).toBeGreaterThanOrEqual(kinds.length / 2);
    await context.close();
  });
});
