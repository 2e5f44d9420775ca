/**
 * The server-rendered pages over real HTTP against the local stack: sign-in by magic link, the
 * refer form, the referral page and its actions, profile, admin settings, and the email links.
 */
import { describe, expect, it } from 'vitest';
import { signValue } from '../../../src/domain/signed-link.js';
import { recordEvents } from '../../../src/referrals/engine.js';
import { advanceClock, api, baseUrl, clockNow, deps, emailsTo, eventually, freshGroup } from '../harness.js';
import { linkIn, referForm, referralIdFrom, WebClient } from './web-client.js';

const PROFILE = { goodReferral: 'A sole trader who dreads January.', tellPeople: 'Bookkeeping for bakeries.', setsApart: 'Fixed monthly price.' };

/** A group with a referrer (Rita) and a provider (Paul), both signed in. */
async function twoMembers() {
  const g = await freshGroup([
    { name: 'Rita Referrer', business: 'Rita Law', category: 'Solicitor' },
    { name: 'Paul Provider', business: 'Paul Books', category: 'Bookkeeper', profile: PROFILE },
  ]);
  const rita = await new WebClient().signIn(g.members['Rita Referrer']!.email);
  const paul = await new WebClient().signIn(g.members['Paul Provider']!.email);
  return { g, rita, paul, ritaId: g.members['Rita Referrer']!.id, paulId: g.members['Paul Provider']!.id };
}

/** Rita refers a prospect to Paul through the form; returns the referral id. */
async function referViaForm(rita: WebClient, paulId: string, overrides: Record<string, string> = {}) {
  const res = await rita.post('/refer', referForm(paulId, overrides));
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return referralIdFrom(res.location);
}

describe('sign-in by magic link', () => {
  it('shows the sign-in page to strangers and sends protected pages there', async () => {
    const anon = new WebClient();
    const home = await anon.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Email me a sign-in link');
    for (const path of ['/referrals', '/refer', '/members', '/profile', '/admin']) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location, path).toBe('/signin');
    }
  });

  it('signs in with the emailed link, once only, and signs out', async () => {
    // Prepare
    const g = await freshGroup([{ name: 'Sia Signin' }]);
    const browser = new WebClient();
    const link = await browser.requestSignInLink(g.members['Sia Signin']!.email);

    // Act: opening the link signs nobody in (a mail scanner's prefetch spends nothing); the button does
    const opened = await browser.get(link);
    const openedAgain = await new WebClient().get(link);
    const first = await browser.post(link, {});
    const again = await new WebClient().post(link, {});

    // Assess
    expect(opened.status).toBe(200);
    expect(openedAgain.status).toBe(200);
    expect(opened.headers.get('set-cookie') ?? '').not.toMatch(/rr_session=/);
    expect(first.status).toBe(303);
    expect(first.location).toBe('/referrals');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/rr_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const home = await browser.get('/referrals');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Sia Signin');
    expect(again.status).toBe(400);
    expect(again.text).toContain('no longer works');
    expect(again.text).toContain('href="/signin"');

    const out = await browser.post('/signout', {});
    expect(out.status).toBe(303);
    expect((await browser.get('/referrals')).location).toBe('/signin');
  });

  it('refuses a link after 15 minutes', async () => {
    const g = await freshGroup([{ name: 'Eve Expired' }]);
    const browser = new WebClient();
    const link = await browser.requestSignInLink(g.members['Eve Expired']!.email);

    await advanceClock('PT16M');
    const res = await browser.post(link, {});

    expect(res.status).toBe(400);
    expect(res.text).toContain('no longer works');
    expect((await browser.get('/referrals')).status).toBe(303);
  });

  it('answers the same for unknown addresses and sends them nothing', async () => {
    const g = await freshGroup([{ name: 'Kim Known' }]);
    const known = g.members['Kim Known']!.email;
    const unknown = `nobody-${g.tag}@example.com`;

    const a = await new WebClient().post('/signin', { email: known });
    const b = await new WebClient().post('/signin', { email: unknown });

    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.text.replaceAll(known, 'X')).toBe(b.text.replaceAll(unknown, 'X'));
    await eventually(async () => (await emailsTo(known)).length === 1, 'the link to the member');
    expect(await emailsTo(unknown)).toHaveLength(0);
  });

  it('sends at most 5 links per address per hour; over the limit the page is a 429 with Retry-After', async () => {
    // The window is the clock hour. A run that straddles an hour boundary proves nothing, so it is run
    // again with a fresh address (two boundaries in a row are impossible); the check itself always runs.
    const hour = async () => Math.floor((await clockNow()).getTime() / 3_600_000);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const g = await freshGroup([{ name: 'Rae Ratelimit' }]);
      const email = g.members['Rae Ratelimit']!.email;
      const answers: Array<{ status: number; text: string; retryAfter: string | null }> = [];
      const startHour = await hour();

      for (let i = 0; i < 7; i++) {
        const res = await new WebClient().post('/signin', { email });
        answers.push({ status: res.status, text: res.text, retryAfter: res.headers.get('retry-after') });
      }

      if ((await hour()) !== startHour) continue;
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(new Set(answers.slice(0, 5).map((a) => a.text)).size).toBe(1);
      for (const over of answers.slice(5)) {
        expect(Number(over.retryAfter)).toBeGreaterThan(0);
        expect(Number(over.retryAfter)).toBeLessThanOrEqual(3600);
        expect(over.text).toContain('Too many sign-in links');
      }
      await eventually(async () => (await emailsTo(email)).length >= 5, 'five links');
      expect(await emailsTo(email)).toHaveLength(5);
      // A stranger's address gets the same 429 past the same count: the limit tells nobody who is a member.
      const stranger = `nobody-${g.tag}@example.com`;
      const strangerStatuses: number[] = [];
      for (let i = 0; i < 6; i++) strangerStatuses.push((await new WebClient().post('/signin', { email: stranger })).status);
      if ((await hour()) !== startHour) continue;
      expect(strangerStatuses).toEqual([200, 200, 200, 200, 200, 429]);
      return;
    }
    throw new Error('two runs in a row straddled an hour boundary');
  });

  it('asks again for a malformed address', async () => {
    const res = await new WebClient().post('/signin', { email: 'not an email' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter an email address');
    expect(res.text).toContain('value="not an email"');
  });

  it('refuses a cross-origin form post (CSRF)', async () => {
    const { rita, paulId } = await twoMembers();
    const res = await rita.post('/refer', referForm(paulId), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const list = await rita.get('/referrals');
    expect(list.text).toContain('No referrals here yet');
  });
});

describe('the refer form', () => {
  it('lists the other members with their profiles, and logs a web referral', async () => {
    // Prepare
    const { g, rita, paulId } = await twoMembers();
    const form = await rita.get('/refer');
    expect(form.status).toBe(200);
    expect(form.text).toContain(`<option value="${paulId}">Paul Provider — Bookkeeper</option>`);
    expect(form.text).not.toContain(`<option value="${g.members['Rita Referrer']!.id}"`);
    expect(form.text).toContain(PROFILE.goodReferral);
    for (let t = 1; t <= 5; t++) expect(form.text).toContain(`name="temperature" value="${t}"`);
    expect(form.text).toContain('Met them together');
    expect(form.text).toContain('The prospect agreed to be contacted — required for an introduction email');

    // Act
    const id = await referViaForm(rita, paulId, { name: 'Nadia Baker', email: `nadia-${g.tag}@prospect.example` });
    const page = await rita.get(`/referrals/${id}?done=logged`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toContain('Referral logged.');
    expect(page.text).toContain('Nadia Baker');
    expect(page.text).toContain('Introduction email to the prospect');
    const json = await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey });
    expect(json.body).toMatchObject({ source: 'web', status: 'logged', temperature: 3, consent: true, prospect: { name: 'Nadia Baker', email: `nadia-${g.tag}@prospect.example`, company: 'Nadia Bakes Ltd' }, provider: { id: paulId } });
    expect(json.body.timeline[0]).toMatchObject({ type: 'created', via: 'web' });
    const given = await rita.get('/referrals?tab=given');
    expect(given.text).toContain(`/referrals/${id}`);
  });

  it('logs one referral for a double-submitted form', async () => {
    const { g, rita, paulId } = await twoMembers();
    const fields = referForm(paulId, { nonce: `nonce${g.tag}abc`, email: '' });
    const a = await rita.post('/refer', fields);
    const b = await rita.post('/refer', fields);
    expect(a.status).toBe(303);
    expect(b.location).toBe(a.location);
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ['missing name', { name: ' ' }, 'name', 'Give the prospect’s name'],
    ['bad email', { email: 'nadia@' }, 'email', 'Enter an email address'],
    ['bad phone', { phone: 'call me maybe' }, 'phone', 'Enter a phone number'],
    ['temperature out of range', { temperature: '7' }, 'temperature', 'Temperature is a whole number from 1 to 5'],
    ['no temperature', { temperature: '' }, 'temperature', 'Pick how warm this referral is'],
    ['need too short', { need: 'x' }, 'need', 'Say in a few words what the prospect needs'],
    ['no provider', { provider: '' }, 'provider', 'Choose who you are referring them to'],
    ['unknown provider', { provider: 'zzzzzzzzzzzzzzzz' }, 'provider', 'no member'],
  ];
  it.each(bad)('re-renders with a message on the field: %s', async (_what, override, field, message) => {
    const { rita, paulId } = await twoMembers();
    const fields = referForm(paulId, { ...override, need: override.need ?? 'Needs a bookkeeper, <soon>' });

    const res = await rita.post('/refer', fields);

    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain(message);
    // What was typed is still there (escaped).
    if (field !== 'need') expect(res.text).toContain('Needs a bookkeeper, &lt;soon&gt;');
    expect(res.text).toContain('value="Nadia Bakes Ltd"');
    expect((await rita.get('/referrals')).text).toContain('No referrals here yet');
  });

  it('refuses a referral to yourself', async () => {
    const { rita, ritaId } = await twoMembers();
    const res = await rita.post('/refer', referForm(ritaId));
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="provider-error"');
    expect(res.text).toContain('You cannot refer someone to yourself');
  });

  it('refuses the same prospect to the same provider within 30 days, linking the first', async () => {
    const { g, rita, paulId } = await twoMembers();
    const email = `dup-${g.tag}@prospect.example`;
    const first = await referViaForm(rita, paulId, { email });

    const res = await rita.post('/refer', referForm(paulId, { email: email.toUpperCase() }));

    expect(res.status).toBe(409);
    expect(res.text).toContain('already referred');
    expect(res.text).toContain(`href="/referrals/${first}"`);
  });

  it('refuses an oversized body with 413', async () => {
    const { rita, paulId } = await twoMembers();
    const res = await rita.post('/refer', referForm(paulId, { need: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('escapes what users type', async () => {
    const { g, rita, paul, paulId } = await twoMembers();
    const id = await referViaForm(rita, paulId, { name: '<script>alert(1)</script>', need: 'Needs "help" & <b>more</b>', email: `x-${g.tag}@prospect.example` });

    for (const [who, path] of [[rita, `/referrals/${id}`], [rita, '/referrals?tab=given'], [paul, '/referrals?tab=received']] as const) {
      const page = await who.get(path);
      expect(page.text, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text, path).not.toContain('<script>alert(1)');
    }
    expect((await rita.get(`/referrals/${id}`)).text).toContain('Needs &quot;help&quot; &amp; &lt;b&gt;more&lt;/b&gt;');
  });
});

describe('the referral page', () => {
  it('lets the provider act, shows the timeline and keeps the value from the referrer until shared', async () => {
    // Prepare
    const { g, rita, paul, paulId } = await twoMembers();
    const id = await referViaForm(rita, paulId, { email: `act-${g.tag}@prospect.example` });
    const received = await paul.get('/referrals?tab=received');
    expect(received.text).toContain(`/referrals/${id}`);
    expect(received.text).toContain('from Rita Referrer');
    const before = await paul.get(`/referrals/${id}`);
    expect(before.text).toContain('value="contacted"');
    expect(before.text).not.toContain('value="withdraw"');
    expect(before.text).toContain('Coming up');

    // Act
    const contacted = await paul.post(`/referrals/${id}/actions`, { action: 'contacted' });
    const note = await paul.post(`/referrals/${id}/actions`, { action: 'note', text: 'Her budget is tight' });
    const won = await paul.post(`/referrals/${id}/actions`, { action: 'won', amount: '4,500', currency: 'gbp' });

    // Assess
    expect(contacted.status).toBe(303);
    expect(contacted.location).toBe(`/referrals/${id}?done=contacted`);
    expect(note.status).toBe(303);
    expect(won.status).toBe(303);
    const mine = await paul.get(`/referrals/${id}?done=won`);
    expect(mine.text).toContain('Recorded: won.');
    expect(mine.text).toContain('class="badge won"');
    expect(mine.text).toContain('£4,500.00');
    expect(mine.text).toContain('Private: Her budget is tight');
    expect(mine.text).toContain('provider: has made contact');
    const json = await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey });
    expect(json.body.status).toBe('won');
    expect(json.body.closedValue).toEqual({ amount: 4500, currency: 'GBP' });
    expect(json.body.timeline.filter((e: { type: string; via: string }) => e.type === 'status').map((e: { via: string }) => e.via)).toEqual(['web', 'web']);

    const theirs = await rita.get(`/referrals/${id}`);
    expect(theirs.text).toContain('class="badge won"');
    expect(theirs.text).not.toContain('4,500');
    expect(theirs.text).not.toContain('Her budget is tight');
    expect(theirs.text).not.toContain('value="contacted"');
    expect(theirs.text).toContain('value="ask"');

    expect((await paul.post(`/referrals/${id}/actions`, { action: 'share' })).status).toBe(303);
    expect((await rita.get(`/referrals/${id}`)).text).toContain('£4,500.00');
  });

  it('shows domain errors on the page with their status', async () => {
    const { g, rita, paul, paulId } = await twoMembers();
    const id = await referViaForm(rita, paulId, { email: `err-${g.tag}@prospect.example` });

    const otherSide = await rita.post(`/referrals/${id}/actions`, { action: 'won' });
    const noReason = await paul.post(`/referrals/${id}/actions`, { action: 'lost', text: '' });
    const badDays = await paul.post(`/referrals/${id}/actions`, { action: 'snooze', days: '0' });
    const notFinal = await paul.post(`/referrals/${id}/actions`, { action: 'reopen', text: 'oops' });
    const unknown = await paul.post(`/referrals/${id}/actions`, { action: 'explode' });

    expect(otherSide.status).toBe(403);
    expect(otherSide.text).toContain('As referrer you cannot use');
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('the reason it was lost');
    expect(badDays.status).toBe(422);
    expect(badDays.text).toContain('Snooze for a whole number of days');
    expect(notFinal.status).toBe(409);
    expect(notFinal.text).toContain('Only a closed referral can be reopened');
    expect(unknown.status).toBe(422);
    expect((await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey })).body.status).toBe('logged');
  });

  it('lets the referrer withdraw and the admin reassign or reopen', async () => {
    const g = await freshGroup([{ name: 'Rita Referrer' }, { name: 'Paul Provider' }, { name: 'Tom Other' }]);
    const rita = await new WebClient().signIn(g.members['Rita Referrer']!.email);
    const admin = await new WebClient().signIn(g.admin.email);
    const paulId = g.members['Paul Provider']!.id;
    const tomId = g.members['Tom Other']!.id;
    const one = await referViaForm(rita, paulId, { email: `one-${g.tag}@prospect.example` });
    const two = await referViaForm(rita, paulId, { email: `two-${g.tag}@prospect.example` });

    const adminPage = await admin.get(`/referrals/${one}`);
    expect(adminPage.text).toContain('name="provider"');
    expect(adminPage.text).toContain(`<option value="${tomId}">Tom Other</option>`);
    expect((await admin.post(`/referrals/${one}/actions`, { action: 'reassign', provider: tomId })).status).toBe(303);
    expect((await rita.post(`/referrals/${two}/actions`, { action: 'withdraw', text: 'they found someone' })).status).toBe(303);
    expect((await admin.post(`/referrals/${two}/actions`, { action: 'reopen', text: 'they came back' })).status).toBe(303);

    expect((await api('GET', `/api/referrals/${one}`, { key: g.admin.apiKey })).body.provider.id).toBe(tomId);
    const reopened = await api('GET', `/api/referrals/${two}`, { key: g.admin.apiKey });
    expect(reopened.body.status).toBe('logged');
    expect(reopened.body.timeline.map((e: { text: string }) => e.text)).toContain('cancelled by the referrer: they found someone');
    expect((await admin.get('/referrals?tab=all')).text).toContain(`/referrals/${two}`);
  });

  it('is not found for members outside the referral, and filters the list by status', async () => {
    const { g, rita, paulId } = await twoMembers();
    const id = await referViaForm(rita, paulId, { email: `nf-${g.tag}@prospect.example` });
    const other = await freshGroup([{ name: 'Olga Outsider' }]);
    const olga = await new WebClient().signIn(other.members['Olga Outsider']!.email);

    const res = await olga.get(`/referrals/${id}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Nadia');
    expect((await olga.post(`/referrals/${id}/actions`, { action: 'note', text: 'hi' })).status).toBe(404);
    expect((await rita.get('/referrals?tab=given&status=won')).text).not.toContain(`/referrals/${id}`);
    expect((await rita.get('/referrals?tab=given&status=logged')).text).toContain(`/referrals/${id}`);
  });

  it('can be read by a script with a Bearer key, but forms need the browser session', async () => {
    const { g, rita, paulId } = await twoMembers();
    const id = await referViaForm(rita, paulId, { email: `bearer-${g.tag}@prospect.example` });
    const key = g.members['Rita Referrer']!.apiKey;

    const page = await fetch(`${baseUrl}/referrals/${id}`, { headers: { authorization: `Bearer ${key}` } });
    const post = await fetch(`${baseUrl}/referrals/${id}/actions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=note&text=hi' });

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Nadia Prospect');
    expect(post.status).toBe(403);
  });
});

describe('members and profile', () => {
  it('shows the directory and a member page with this month’s counts', async () => {
    const { g, rita, paul, paulId, ritaId } = await twoMembers();
    await referViaForm(rita, paulId, { email: `m1-${g.tag}@prospect.example` });
    await referViaForm(rita, paulId, { email: `m2-${g.tag}@prospect.example` });

    const dir = await rita.get('/members');
    expect(dir.text).toContain('Paul Provider');
    expect(dir.text).toContain('Paul Books · Bookkeeper');
    expect(dir.text).toContain(PROFILE.tellPeople);
    expect(dir.text).toContain(PROFILE.setsApart);
    const ritaPage = await paul.get(`/members/${ritaId}`);
    expect(ritaPage.text).toContain('<span id="given-count">2</span>');
    expect(ritaPage.text).toContain('<dd id="received-count">0</dd>');
    const paulPage = await paul.get(`/members/${paulId}`);
    expect(paulPage.text).toContain('<dd id="received-count">2</dd>');
    expect((await paul.get('/members/zzzzzzzzzzzzzzzz')).status).toBe(404);
  });

  it('saves the profile and confirms an added address by its emailed link', async () => {
    // Prepare
    const g = await freshGroup([{ name: 'Pia Profile' }]);
    const pia = await new WebClient().signIn(g.members['Pia Profile']!.email);
    const extra = `pia-home-${g.tag}@example.net`;
    const form = await pia.get('/profile');
    for (const q of ['What do you want me to tell people about you?', 'What is a good referral for you?', 'What sets you apart?']) expect(form.text).toContain(q);

    // Act
    const saved = await pia.post('/profile', { name: 'Pia P. Profile', business: 'Pia Plants', category: 'Florist', tellPeople: 'Flowers for offices', goodReferral: 'A new restaurant', setsApart: 'Same-day', goalPerMonth: '3', extraAddresses: `${extra}\n` });

    // Assess
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/profile?done=profile_confirm');
    const after = await pia.get('/profile');
    expect(after.text).toContain('Pia P. Profile');
    expect(after.text).toContain('awaiting confirmation');
    const member = await deps().store.getMember(g.members['Pia Profile']!.id);
    expect(member).toMatchObject({ name: 'Pia P. Profile', business: 'Pia Plants', goalPerMonth: 3, profile: { goodReferral: 'A new restaurant' }, extraAddresses: [], pendingExtraAddresses: [extra] });

    const mail = await eventually(async () => (await emailsTo(extra))[0], 'the confirmation email');
    const link = linkIn(mail.body.text ?? '', '/confirm-address/');
    // A mail scanner opening the link (GET, even twice) confirms nothing: it only shows a button.
    const scanner = new WebClient();
    for (let i = 0; i < 2; i++) {
      const opened = await scanner.get(link);
      expect(opened.status).toBe(200);
      expect(opened.text).toContain('Confirm the address');
      expect(opened.text).toContain(`action="${new URL(link).pathname}"`);
    }
    expect((await deps().store.getMember(g.members['Pia Profile']!.id))?.extraAddresses).toEqual([]);
    const confirmed = await new WebClient().post(link, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Address confirmed');
    expect((await deps().store.getMember(g.members['Pia Profile']!.id))?.extraAddresses).toEqual([extra]);
    expect((await new WebClient().post(link, {})).status).toBe(400);
    // …and a cross-site page cannot press the button for someone.
    expect((await new WebClient().post(link, {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await pia.get('/profile')).text).toContain(`${extra} <span class="muted">(confirmed)</span>`);
  });

  it('explains bad profile input', async () => {
    const g = await freshGroup([{ name: 'Bo Bad' }]);
    const bo = await new WebClient().signIn(g.members['Bo Bad']!.email);

    const res = await bo.post('/profile', { name: '', goalPerMonth: 'lots', extraAddresses: 'ok@example.com\nnot-an-address' });

    expect(res.status).toBe(422);
    expect(res.text).toContain('Your name cannot be empty');
    expect(res.text).toContain('The goal is a whole number');
    expect(res.text).toContain('&quot;not-an-address&quot; is not an email address');
  });
});

describe('admin', () => {
  it('is only for admins', async () => {
    const { rita } = await twoMembers();
    const page = await rita.get('/admin');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Only an admin');
    expect((await rita.post('/admin/settings', { start: '09:00', end: '17:00', days: ['1'] })).status).toBe(403);
    expect((await rita.post('/admin/members', { name: 'X', email: 'x@example.com' })).status).toBe(403);
  });

  it('adds a member and shows the API key once', async () => {
    const g = await freshGroup([]);
    const admin = await new WebClient().signIn(g.admin.email);

    const res = await admin.post('/admin/members', { name: 'Nina New', email: `nina-${g.tag}@example.com`, business: 'Nina Co', category: 'Coach' });

    expect(res.status).toBe(200);
    const key = /<code class="key">(rr_[A-Za-z0-9_-]+)<\/code>/.exec(res.text)?.[1];
    expect(key).toBeTruthy();
    const members = await api('GET', '/api/members', { key });
    expect(members.status).toBe(200);
    expect((await admin.get('/admin')).text).not.toContain(key!);
    const dup = await admin.post('/admin/members', { name: 'Nina Again', email: `nina-${g.tag}@example.com` });
    expect(dup.status).toBe(409);
    expect((await admin.post('/admin/members', { name: '', email: 'nope' })).status).toBe(422);
  });

  it('shows the settings with defaults and saves a valid change', async () => {
    const g = await freshGroup([]);
    const admin = await new WebClient().signIn(g.admin.email);
    const page = await admin.get('/admin');
    expect(page.text).toContain('name="introMinutes"');
    expect(page.text).toContain('Default: 120');
    expect(page.text).toContain('value="08:00"');
    expect(page.text).toContain('name="days" value="5" checked=""');
    expect(page.text).not.toContain('name="days" value="6" checked=""');

    const res = await admin.post('/admin/settings', { start: '09:00', end: '17:30', days: ['1', '2', '3', '4', '5', '6'], introMinutes: '90', contactReminderHours: '24', escalationHours: '48', digestDay: '5', digestHour: '7' });

    expect(res.status).toBe(303);
    const settings = await api('GET', '/api/settings', { key: g.admin.apiKey });
    expect(settings.body).toMatchObject({ introMinutes: 90, digestDay: 5, digestHour: 7, thankYouPromptMinutes: 60, businessHours: { start: '09:00', end: '17:30', days: [1, 2, 3, 4, 5, 6] } });
    expect((await admin.get('/admin?done=settings')).text).toContain('Settings saved.');
    // The anniversary switch: on by default, and unticking it turns the group's asks off
    expect(page.text).toContain('name="anniversaryAsks" value="on" checked=""');
    expect(settings.body.anniversaryAsks).toBe(true);
    expect((await admin.post('/admin/settings', { start: '09:00', end: '17:30', days: ['1'], anniversaryAsksShown: '1' })).status).toBe(303);
    expect((await api('GET', '/api/settings', { key: g.admin.apiKey })).body.anniversaryAsks).toBe(false);
    expect((await admin.get('/admin')).text).not.toContain('name="anniversaryAsks" value="on" checked=""');
  });

  const badSettings: [string, Record<string, string | string[]>, string, string][] = [
    ['a bad time', { start: '25:00', end: '18:00', days: ['1'] }, 'start', 'Business hours start must be a time'],
    ['start after end', { start: '18:00', end: '08:00', days: ['1'] }, 'end', 'Business hours must start before they end'],
    ['start equal to end', { start: '09:00', end: '09:00', days: ['1'] }, 'end', 'Business hours must start before they end'],
    ['no business days', { start: '08:00', end: '18:00' }, 'days', 'Pick at least one business day'],
    ['a day out of range', { start: '08:00', end: '18:00', days: ['8'] }, 'days', 'Days are numbered 1 (Monday) to 7 (Sunday)'],
    ['an intro too soon to stop', { start: '08:00', end: '18:00', days: ['1'], introMinutes: '5' }, 'introMinutes', 'Introduction delay must be a whole number'],
    ['escalation before the reminder', { start: '08:00', end: '18:00', days: ['1'], contactReminderHours: '48', escalationHours: '24' }, 'escalationHours', 'must be longer than the contact reminder'],
    ['not a number', { start: '08:00', end: '18:00', days: ['1'], digestHour: 'eight' }, 'digestHour', 'Digest hour must be a whole number'],
  ];
  it.each(badSettings)('refuses %s with a message on the field', async (_what, fields, field, message) => {
    const g = await freshGroup([]);
    const admin = await new WebClient().signIn(g.admin.email);

    const res = await admin.post('/admin/settings', fields);

    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain(message);
    expect((await api('GET', '/api/settings', { key: g.admin.apiKey })).body.businessHours).toEqual({ start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] });
  });
});

describe('settings API', () => {
  it('reads for members, changes for admins only, and validates', async () => {
    const g = await freshGroup([{ name: 'Mo Member' }]);
    const memberKey = g.members['Mo Member']!.apiKey;

    const read = await api('GET', '/api/settings', { key: memberKey });
    const forbidden = await api('PATCH', '/api/settings', { key: memberKey, body: { introMinutes: 60 } });
    const invalid = await api('PATCH', '/api/settings', { key: g.admin.apiKey, body: { businessHours: { start: '18:00', end: '08:00', days: [] } } });
    const unknown = await api('PATCH', '/api/settings', { key: g.admin.apiKey, body: { introMinuets: 60 } });
    const crossField = await api('PATCH', '/api/settings', { key: g.admin.apiKey, body: { escalationHours: 12 } });
    const ok = await api('PATCH', '/api/settings', { key: g.admin.apiKey, body: { introMinutes: 30, businessHours: { start: '07:30', end: '19:00', days: [1, 2, 3, 4, 5, 6] } } });

    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ introMinutes: 120, businessHours: { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] }, digestDay: 1 });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.message).toContain('Pick at least one business day');
    expect(unknown.status).toBe(422);
    expect(crossField.status).toBe(422);
    expect(crossField.body.error.details[0].path).toBe('escalationHours');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ introMinutes: 30, escalationHours: 48, businessHours: { start: '07:30', end: '19:00' } });
    expect((await deps().store.getGroup(g.group.id))?.settings.introMinutes).toBe(30);
    expect((await api('GET', '/api/openapi.json')).body.paths['/settings']).toHaveProperty('patch');
  });
});

describe('links in emails', () => {
  async function referralWithProspect() {
    const g = await freshGroup([{ name: 'Rita Referrer' }, { name: 'Paul Provider' }]);
    const prospect = `stop-${g.tag}@prospect.example`;
    const res = await api('POST', '/api/referrals', { key: g.members['Rita Referrer']!.apiKey, body: { provider: g.members['Paul Provider']!.id, prospect: { name: 'Sam Stop', email: prospect }, need: 'Needs a plumber', consent: true } });
    expect(res.status).toBe(201);
    return { g, id: res.body.id as string, prospect };
  }

  it('stops all email to a prospect only after the button is pressed', async () => {
    // Prepare
    const { g, id, prospect } = await referralWithProspect();
    const signed = signValue('stop', id, deps().config.sessionSecret);
    const browser = new WebClient();

    // Act: a link scanner (GET) changes nothing
    const ask = await browser.get(`/stop/${signed}`);
    expect(ask.status).toBe(200);
    expect(ask.text).toContain(`action="/stop/${signed}"`);
    expect((await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey })).body.status).toBe('logged');
    expect(await deps().store.isSuppressed(prospect, g.group.id)).toBe(false);

    const press = await browser.post(`/stop/${signed}`, {});
    const done = await browser.get(press.location!);
    const twice = await browser.post(`/stop/${signed}`, {});

    // Assess
    expect(press.status).toBe(303);
    expect(done.text).toContain('You will get no more emails');
    expect(twice.status).toBe(303);
    const after = await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey });
    expect(after.body.status).toBe('withdrawn');
    expect(after.body.timeline.filter((e: { kind?: string }) => e.kind === 'stop')).toHaveLength(1);
    expect(after.body.pending).toEqual([]);
    expect(await deps().store.isSuppressed(prospect, g.group.id)).toBe(true);
    expect(await deps().store.isSuppressed(prospect)).toBe(false); // only from this group
    await eventually(async () => (await emailsTo(g.members['Paul Provider']!.email)).some((e) => e.subject.includes('Sam Stop') && /no more e-?mails/i.test(`${e.subject} ${e.body.text ?? ''}`)), 'the provider told');
  });

  it("a member's own stop (optional emails off) leaves the prospect's stop link working", async () => {
    // Prepare: the provider replied `stop` (today's event, and the kind older versions wrote for it)
    const { g, id, prospect } = await referralWithProspect();
    const provider = g.members['Paul Provider']!.id;
    const at = (await clockNow()).toISOString();
    await recordEvents(deps(), id, [
      { at, via: 'reply', actor: provider, type: 'action', kind: 'optional_emails_off', text: 'turned off optional emails' },
      { at, via: 'reply', actor: provider, type: 'action', kind: 'stop', text: 'turned off optional emails' },
    ], 'reply');
    const signed = signValue('stop', id, deps().config.sessionSecret);
    const browser = new WebClient();

    // Act
    const ask = await browser.get(`/stop/${signed}`);
    await browser.post(`/stop/${signed}`, {});

    // Assess: the question was asked (not "already stopped"), and the press withdrew the referral
    expect(ask.text).toContain(`action="/stop/${signed}"`);
    expect((await api('GET', `/api/referrals/${id}`, { key: g.admin.apiKey })).body.status).toBe('withdrawn');
    expect(await deps().store.isSuppressed(prospect, g.group.id)).toBe(true);
  });

  it('refuses a tampered stop link', async () => {
    const { id } = await referralWithProspect();
    const forged = `${id}.${'A'.repeat(27)}`;
    expect((await new WebClient().get(`/stop/${forged}`)).status).toBe(400);
    expect((await new WebClient().post(`/stop/${forged}`, {})).status).toBe(400);
    expect((await new WebClient().get(`/stop/${signValue('unsubscribe', id, deps().config.sessionSecret)}`)).status).toBe(400);
  });

  it('unsubscribes a member from optional emails after the button', async () => {
    const g = await freshGroup([{ name: 'Uma Unsub' }]);
    const id = g.members['Uma Unsub']!.id;
    const signed = signValue('unsubscribe', id, deps().config.sessionSecret);
    const browser = new WebClient();

    const ask = await browser.get(`/unsubscribe/${signed}`);
    expect(ask.status).toBe(200);
    expect((await deps().store.getMember(id))?.optionalEmailsOff).toBeFalsy();
    const press = await browser.post(`/unsubscribe/${signed}`, {});

    expect(press.status).toBe(303);
    expect((await browser.get(press.location!)).text).toContain('You are unsubscribed');
    expect((await deps().store.getMember(id))?.optionalEmailsOff).toBe(true);
    expect((await new WebClient().get(`/unsubscribe/${id}.bad`)).status).toBe(400);
  });
});
