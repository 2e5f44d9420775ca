import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS, type EmailKind } from '../../../src/domain/types.js';
import { renderEmail, type EmailData, type ReferralSummary } from '../../../src/mail/render.js';
import { formatMoney, headerValue, oneLine, truncate } from '../../../templates/lib/format.js';
import { SAMPLE_REFERRAL, sampleEmailData } from '../../../templates/samples.js';
import { referBackWhy } from '../../../src/digest/digest-content.js';

/** Kinds that are not about one referral. */
const NON_REFERRAL_KINDS: readonly EmailKind[] = ['refusal', 'digest', 'magic_link', 'campaign_ask', 'admin_summary', 'welcome'];
const REFERRAL_KINDS = EMAIL_KINDS.filter((k) => !NON_REFERRAL_KINDS.includes(k));

const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><img src=x onerror=alert(1)>';
const RTL = '\u202Egnp.exe';
const HOSTILE_NAME = `Bob ${SCRIPT} O'Brien ${BREAKOUT} ${RTL}\r\nBcc: victim@example.com`;
const HOSTILE_PROVIDER = `Jane "The Fixer" <b>Smith</b>\u2028X-Header: injected`;
const HUGE = 'Bartholomew'.repeat(1000); // 11 KB, one unbreakable word

function withReferral(kind: EmailKind, referral: Partial<ReferralSummary>, extra: Partial<EmailData> = {}): EmailData {
  const data = sampleEmailData(kind);
  return {
    ...data,
    ...extra,
    referral: data.referral ? { ...data.referral, ...referral } : undefined,
  };
}

/** Sample data for `kind` with every user-supplied string replaced by something hostile. */
function hostileData(kind: EmailKind, name: string, provider: string): EmailData {
  const data = sampleEmailData(kind);
  const hostile = `${SCRIPT} ${BREAKOUT} ${RTL}\r\nline two`;
  return {
    ...data,
    groupName: `Group ${SCRIPT}\r\nSubject: spoof`,
    recipientName: name,
    text: data.text !== undefined || ['help', 'relay', 'alert', 'thanks_relay', 'milestone', 'notice'].includes(kind) ? hostile : undefined,
    referral: data.referral
      ? {
          ...data.referral,
          prospectName: name,
          prospectCompany: hostile,
          prospectEmail: `x@y.z${SCRIPT}`,
          prospectPhone: hostile,
          need: hostile,
          note: hostile,
          providerName: provider,
          providerBusiness: hostile,
          providerEmail: hostile,
          referrerName: name,
          lostReason: hostile,
          introAt: hostile,
        }
      : undefined,
    profile: data.profile ? { ...data.profile, name, profile: { tellPeople: hostile, goodReferral: hostile } } : undefined,
    candidates: data.candidates?.map(() => ({ name, email: hostile, business: hostile })),
    missing: data.missing ? [...data.missing, hostile] : undefined,
    refusal: data.refusal ? { ...data.refusal, address: hostile } : undefined,
    notice: data.notice ? { ...data.notice, address: hostile } : undefined,
    relay: data.relay?.type === 'pass_suggestion' ? { type: 'pass_suggestion', suggested: { name, business: hostile, profile: { tellPeople: hostile } } } : data.relay,
    digest: data.digest
      ? {
          ...data.digest,
          periodLabel: hostile,
          waitingOnYou: data.digest.waitingOnYou.map((item) => ({ ...item, prospectName: name, providerName: provider, need: hostile, link: `javascript:alert(1)` })),
          referBack: { name, business: hostile, why: hostile, profile: { goodReferral: hostile } },
        }
      : undefined,
    replyWords: data.replyWords.map((w) => ({ word: `${w.word}\r\n`, meaning: `${w.meaning} ${SCRIPT}` })),
  };
}

function expectSafeSubject(subject: string) {
  expect(subject).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
  expect(subject).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  expect(subject.length).toBeLessThanOrEqual(150);
  expect(subject.trim()).not.toBe('');
}

function expectNoRawMarkup(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<b>Smith/);
  expect(html).not.toMatch(/<[^>]*\sonerror=/i);
  expect(html).not.toMatch(/href="javascript:/i);
}

function expectPlainText(text: string) {
  expect(text).not.toMatch(/&(lt|gt|amp|quot|#39|#x27);/);
  expect(text).not.toMatch(/<(p|br|div|span|table|a)\b/);
  expect(text).not.toMatch(/\r/);
  expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
}

describe('renderEmail', () => {
  it.each(EMAIL_KINDS)('renders %s with realistic data', (kind) => {
    // Prepare
    const data = sampleEmailData(kind);

    // Act
    const email = renderEmail(kind, data);

    // Assess
    expectSafeSubject(email.subject);
    expect(email.html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(email.html).toContain('max-width:600px');
    expect(email.html).toContain('Sent by Referral Relay for');
    expect(email.html.match(/<table/g)?.length).toBe(email.html.match(/<\/table>/g)?.length);
    expect(email.text.length).toBeGreaterThan(50);
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toMatch(/undefined|\bnull\b|\[object Object\]|NaN/);
    }
    expectPlainText(email.text);
  });

  it.each(REFERRAL_KINDS)('%s names the prospect and the provider in subject and text', (kind) => {
    const data = withReferral(kind, { prospectName: 'Rosalind Quay', providerName: 'Marcus Ellery' });

    const email = renderEmail(kind, data);

    // The prospect is addressed by first name in the questions to them; everyone else reads the full name.
    const prospect = kind === 'connection_check' || kind === 'experience_check' ? 'Rosalind' : 'Rosalind Quay';
    expect(email.subject).toContain(prospect);
    expect(email.subject).toContain('Marcus Ellery');
    expect(email.text).toContain(prospect);
    expect(email.text).toContain('Marcus Ellery');
  });

  it.each(EMAIL_KINDS)('%s escapes hostile input and keeps subject and text clean', (kind) => {
    const data = hostileData(kind, HOSTILE_NAME, HOSTILE_PROVIDER);

    const email = renderEmail(kind, data);

    expectSafeSubject(email.subject);
    expectNoRawMarkup(email.html);
    expectPlainText(email.text);
    // Line breaks in names never start a line of their own (no fake headers or footers in the text part).
    expect(email.text).not.toMatch(/^Bcc:/m);
    expect(email.text).not.toMatch(/^X-Header:/m);
    expect(email.text).not.toMatch(/^Subject: spoof/m);
    if (data.referral) {
      // The text part shows the characters as typed, minus the bidi override.
      expect(email.text).toContain(`Bob ${SCRIPT} O'Brien ${BREAKOUT} gnp.exe Bcc: victim@example.com`);
      expect(email.html).toContain('Bob &lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it.each(EMAIL_KINDS)('%s copes with 10 KB names', (kind) => {
    const data = hostileData(kind, HUGE, `${HUGE} Smith`);

    const email = renderEmail(kind, data);

    expectSafeSubject(email.subject);
    expect(email.text).not.toContain(HUGE);
    expect(email.html).not.toContain(HUGE);
    expect(email.html.length).toBeLessThan(120_000);
    if (data.referral && kind !== 'refusal') expect(email.subject).toContain('Bartholomew');
  });

  it('keeps both names in a subject even when the prospect name is huge', () => {
    const email = renderEmail('progress_request', withReferral('progress_request', { prospectName: HUGE, providerName: 'Jane Smith' }));

    expect(email.subject).toContain('Jane Smith');
    expect(email.subject.length).toBeLessThanOrEqual(150);
  });

  describe('milestone', () => {
    it('never shows a closed value when none is given', () => {
      const data = withReferral('milestone', { status: 'won', closedValue: undefined });

      const email = renderEmail('milestone', data);

      expect(email.text).not.toMatch(/£|4,500|Value of the business/);
      expect(email.html).not.toMatch(/£|4,500|Value of the business/);
    });

    it('shows a shared closed value, formatted for the locale', () => {
      const data = withReferral('milestone', { status: 'won', closedValue: { amount: 4500, currency: 'GBP' } });

      const email = renderEmail('milestone', data);

      expect(email.text).toContain('Value of the business: £4,500');
    });

    it('always shows the reason of a lost referral', () => {
      const given = renderEmail('milestone', withReferral('milestone', { status: 'lost', lostReason: 'They went with a cheaper quote', closedValue: undefined }));
      const missing = renderEmail('milestone', { ...withReferral('milestone', { status: 'lost', lostReason: undefined, closedValue: undefined }), text: undefined });

      expect(given.subject).toMatch(/^Lost: /);
      expect(given.text).toContain("Jane didn't win the work with Bob this time — they went with a cheaper quote.");
      // The reason once: not also as "Reason:" or a quote.
      expect(given.text.match(/cheaper quote/g)).toHaveLength(1);
      expect(given.html.match(/cheaper quote/g)).toHaveLength(1);
      expect(missing.text).toContain('this time; no reason was given.');
    });

    it('shows the provider public text but not the referrer note', () => {
      const data = withReferral('milestone', { status: 'met', note: 'PRIVATE-NOTE' }, { text: 'Met on site today.' });

      const email = renderEmail('milestone', data);

      expect(email.text).toContain('Met on site today.');
      expect(email.text).not.toContain('PRIVATE-NOTE');
    });
  });

  describe('intro', () => {
    it('has no reply-word list even when words are passed, and carries the stop link', () => {
      const data: EmailData = {
        ...sampleEmailData('intro'),
        replyWords: [{ word: 'contacted', meaning: 'SENTINEL-MEANING' }],
        links: { stop: 'https://relay.example.com/stop/abc' },
      };

      const email = renderEmail('intro', data);

      expect(email.html).not.toContain('SENTINEL-MEANING');
      expect(email.text).not.toContain('SENTINEL-MEANING');
      expect(email.html).toContain('href="https://relay.example.com/stop/abc"');
      expect(email.text).toContain('https://relay.example.com/stop/abc');
      expect(email.text).toMatch(/Jane Smith.*in their own words:/);
    });

    it('is written for the prospect: first names, the provider from their profile, never the need or the note, signed by the relay', () => {
      const data = withReferral('intro', { need: 'NEED-SECRET shoebox books', note: 'PRIVATE-NOTE' });
      const email = renderEmail('intro', data);
      const r = data.referral!;
      expect(email.text).toContain(`Hi ${r.prospectName.split(' ')[0]} and ${r.providerName.split(' ')[0]},`);
      expect(email.text).not.toContain('NEED-SECRET');
      expect(email.html).not.toContain('NEED-SECRET');
      expect(email.text).toMatch(/Introduced on .*'s behalf by .*'s referral relay\./);
      expect(email.text).not.toMatch(/Warm wishes/);
      expect(email.text).not.toMatch(/\.\./);
    });

    it("shows the referrer's own line for the prospect when there is one", () => {
      const email = renderEmail('intro', withReferral('intro', { introLine: 'She sorted my VAT out in a week.' }));
      expect(email.text).toContain('She sorted my VAT out in a week.');
      expect(email.text).toMatch(/Priya on Jane:\n> She sorted/);
    });

    it('never shows the referrer note to the prospect', () => {
      const email = renderEmail('intro', withReferral('intro', { note: 'PRIVATE-NOTE' }));

      expect(email.text).not.toContain('PRIVATE-NOTE');
      expect(email.html).not.toContain('PRIVATE-NOTE');
    });
  });

  it('digest shows the unsubscribe link', () => {
    const data = sampleEmailData('digest');

    const email = renderEmail('digest', data);

    expect(email.html).toContain(`href="${data.links?.unsubscribe}"`);
    expect(email.text).toContain(`Unsubscribe from these optional emails (one click): ${data.links?.unsubscribe}`);
    expect(email.text).toContain('Waiting on you (2)');
    expect(email.text).toContain('Given: 1 of your goal of 2');
    expect(email.text).toContain('A good referral for Tom Green');
  });

  it("digest: a member's good referral is stated once, in the sentence that says why", () => {
    const data = sampleEmailData('digest');
    const good = 'a café opening in the next three months';
    const profile = { goodReferral: 'A café opening in the next three months' };
    const back = { name: 'Bob Stone', email: 'bob@example.com', profile };
    const email = renderEmail('digest', { ...data, digest: { ...data.digest!, referBack: { ...back, why: referBackWhy({ received: 3, given: 0 }, back) } } });
    expect(email.text.toLowerCase().match(new RegExp(good, 'g'))).toHaveLength(1);
    expect(email.text).toContain("you have received 3 from Bob and given none back — Bob's good referral is a café opening");
  });

  it("provider notice: the referrer's note once, not also inside the need", () => {
    const note = 'For Priya - Bob runs the bakery on Quay Street and his books are a mess.';
    const email = renderEmail('provider_notice', withReferral('provider_notice', { need: 'Help with the books\n\nBob runs the bakery on Quay Street and his books are a mess.', note }));
    expect(email.text.match(/books are a mess/g)).toHaveLength(1);
    expect(email.text).toMatch(/^Need: Help with the books$/m);
  });

  it('lists the reply words in the footer with their meaning', () => {
    const email = renderEmail('receipt', sampleEmailData('receipt'));

    expect(email.text).toMatch(/^ {2}no intro +send no introduction: the prospect will not be emailed$/m);
    expect(email.html).toContain('send no introduction: the prospect will not be emailed');
    expect(email.text).toContain('Reply to this email to act on this referral');
  });

  it('provider notice without consent says the prospect will get in touch and hides contact details', () => {
    const data = withReferral('provider_notice', { consent: false });

    const email = renderEmail('provider_notice', data);

    expect(email.text).toContain('the prospect will get in touch with you');
    expect(email.text).not.toContain('within 24 hours');
    expect(email.text).not.toContain(SAMPLE_REFERRAL.prospectEmail!);
  });

  it('needs_info asks exactly what is missing and names the candidates', () => {
    const data: EmailData = { ...sampleEmailData('needs_info'), missing: ['provider', 'need'] };

    const email = renderEmail('needs_info', data);

    expect(email.text).toContain('Who should receive it? Reply "provider: Name".');
    expect(email.text).toContain('What do they need?');
    expect(email.text).not.toContain('Who is the prospect?');
    expect(email.text).toContain('Jane Okafor (Okafor Law) <jane@okaforlaw.example>');
  });

  it('help repeats what was not understood and lists the valid commands', () => {
    const email = renderEmail('help', sampleEmailData('help'));

    expect(email.text).toContain('> Will do once I am back from holiday');
    expect(email.text).toContain('- "won 4500" – you won the business; the amount is optional and the referrer sees it only if you reply share');
  });

  it('help asked for: "Here is what you can reply about Bob Brown:", the reply itself not quoted back', () => {
    const email = renderEmail('help', { ...sampleEmailData('help'), text: 'help', answer: { asked: true } });

    expect(email.text).toContain('Here is what you can reply about Bob Brown:');
    expect(email.text).not.toMatch(/could not match|> help/);
  });

  it('a command that could not be done says what was understood and why, and quotes only what the member wrote', () => {
    const email = renderEmail('help', { ...sampleEmailData('help'), text: 'won it!', answer: { understood: 'won', why: 'This referral is already lost' } });

    expect(email.text).toContain('We understood "won", but nothing changed: This referral is already lost.');
    expect(email.text).toContain('> won it!');
    expect(email.text).not.toMatch(/could not match|> .*already lost|That could not be done/);
  });

  it('drops links that are not http(s)', () => {
    const data: EmailData = { ...sampleEmailData('digest'), links: { web: 'javascript:alert(1)', unsubscribe: 'data:text/html,x' } };

    const email = renderEmail('digest', data);

    expect(email.html).not.toMatch(/javascript:|data:text/);
    expect(email.text).not.toMatch(/javascript:|data:text/);
  });

  it('magic link shows the sign-in link and its lifetime', () => {
    const email = renderEmail('magic_link', sampleEmailData('magic_link'));

    expect(email.text).toContain('Sign in: https://relay.example.com/signin/Zm9vYmFyYmF6cXV4');
    expect(email.text).toContain('expires in 15 minutes');
  });

  it('alert tells the referrer and the provider what to do', () => {
    const toProvider = renderEmail('alert', sampleEmailData('alert'));
    const toReferrer = renderEmail('alert', { ...sampleEmailData('alert'), recipientName: 'Priya Patel', recipientRole: 'referrer' });

    expect(toProvider.text).toContain('What to do: call Bob Brown, apologise');
    expect(toProvider.text).toContain('> The work was fine');
    expect(toReferrer.text).toContain('What you can do:');
  });
});

describe('format helpers', () => {
  it('formats money with Intl.NumberFormat and survives unknown currencies', () => {
    expect(formatMoney({ amount: 4500, currency: 'GBP' })).toBe('£4,500');
    expect(formatMoney({ amount: 3200.5, currency: 'EUR' })).toBe('€3,200.50');
    expect(formatMoney({ amount: 4500, currency: 'not a code' })).toBe('4,500 not a code');
  });

  it('strips every kind of line break from header values', () => {
    expect(headerValue('a\r\nb\nc\rd\u2028e\u2029f\u0085g')).toBe('a b c d e f g');
  });

  it('truncates on grapheme boundaries with an ellipsis', () => {
    const family = '👨‍👩‍👧‍👦';
    const cut = truncate(family.repeat(50), 10);

    expect(cut.endsWith('…')).toBe(true);
    expect(cut.replace('…', '')).toBe(family.repeat(9));
  });

  it('keeps real right-to-left text while dropping bidi overrides', () => {
    expect(oneLine('\u202Eשלום עולם\u202C')).toBe('שלום עולם');
  });
});
