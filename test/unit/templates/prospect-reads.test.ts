/**
 * Issue 15 items 1–2: what the prospect reads is written for the prospect. Every email a prospect
 * gets, composed through the real composition code and rendered, with hostile and ugly inputs: the
 * referrer's need and note (which describe the prospect to the provider) never appear, greetings use
 * first names, the sentences stay sentences, and the introduction is signed by the relay for the referrer.
 */
import { describe, expect, it } from 'vitest';
import type { Member, Referral } from '../../../src/domain/types.js';
import { renderEmail } from '../../../src/mail/render.js';
import { composeEmailData, type ComposeContext } from '../../../src/referrals/compose-email.js';
import type { EmailIntent } from '../../../src/referrals/effects.js';
import { group, referral } from '../referrals/fixtures.js';

const member = (id: string, name: string, over: Partial<Member> = {}): Member => ({
  id, groupId: group.id, name, email: `${id}@example.com`, extraAddresses: [], pendingExtraAddresses: [], profile: {}, status: 'active', role: 'member', createdAt: '', version: 1, ...over,
});

// Words only the referrer wrote about the prospect: none may reach the prospect.
const NEEDS = [
  'Needs a bookkeeper before the January tax deadline; her books are a shoebox.',
  'NEEDS A BOOKKEEPER URGENTLY!!!',
  `shoebox ${'overdue-ledgers '.repeat(125)}`.trim(),
  'cash-flow trouble 🧾💸 …',
  '',
];
const NOTE = 'Private: he owes HMRC money, cash-flow trouble, be gentle.';
const MARKERS = ['shoebox', 'bookkeeper', 'BOOKKEEPER', 'overdue-ledgers', 'cash-flow', 'HMRC', 'January tax', '🧾', 'be gentle'];

const PROVIDERS: Member[] = [
  member('provider00000000', 'Priya Shah', { business: 'Ledger Lane', category: 'Bookkeeping', profile: { tellPeople: 'I keep the books of trades and food businesses, VAT returns included.' } }),
  member('provider00000000', 'PRIYA SHAH.', { business: 'LEDGER LANE!!', profile: {} }),
  member('provider00000000', 'Priya 🌟 Shah', { profile: { tellPeople: '' } }),
];
const PROSPECTS: Referral['prospect'][] = [
  { name: 'Bob Stone', email: 'bob@stonebakery.example', company: 'Stone Bakery' },
  { name: 'BOB STONE', email: 'bob@stonebakery.example' },
  { name: 'bob', email: 'bob@stonebakery.example' },
];
const PROSPECT_KINDS: EmailIntent[] = [
  { kind: 'intro', to: 'prospect' },
  { kind: 'connection_check', to: 'prospect' },
  { kind: 'experience_check', to: 'prospect' },
];

const referrer = member('referrer00000000', 'Alice Morgan');

function cases() {
  const out: { intent: EmailIntent; ctx: ComposeContext; need: string }[] = [];
  for (const intent of PROSPECT_KINDS)
    for (const need of NEEDS)
      for (const provider of PROVIDERS)
        for (const prospect of PROSPECTS) {
          const r = referral({ status: intent.kind === 'experience_check' ? 'won' : 'logged', need, note: NOTE, prospect, consent: true });
          out.push({ intent, need, ctx: { group, referral: r, referrer, provider, recipientName: prospect.name, webBaseUrl: 'https://relay.example', sessionSecret: 's' } });
        }
  return out;
}

describe('every email a prospect reads', () => {
  const all = cases();

  it(`never carries the referrer's need or note (${all.length} renderings)`, () => {
    for (const { intent, ctx } of all) {
      const email = renderEmail(intent.kind, composeEmailData(intent, ctx));
      for (const part of [email.subject, email.text, email.html]) {
        for (const marker of MARKERS) expect(part, `${intent.kind}: ${marker}`).not.toContain(marker);
      }
    }
  });

  it('reads as sentences: no doubled full stops, no empty phrases, no leftovers', () => {
    for (const { intent, ctx } of all) {
      const email = renderEmail(intent.kind, composeEmailData(intent, ctx));
      expect(email.text, intent.kind).not.toMatch(/(?<!\.)\.\.(?!\.)|\s[.,]|\bfor\s*\.|\bundefined\b|\bnull\b/);
      expect(email.subject, intent.kind).not.toMatch(/\.\.|undefined/);
    }
  });

  it('greets by first name', () => {
    for (const { intent, ctx } of all.filter((c) => c.ctx.referral.prospect.name === 'Bob Stone' && c.ctx.provider?.name === 'Priya Shah')) {
      const email = renderEmail(intent.kind, composeEmailData(intent, ctx));
      expect(email.text, intent.kind).toMatch(intent.kind === 'intro' ? /^Hi Bob and Priya,$/m : /^Hi Bob,$/m);
    }
  });
});

describe('the introduction', () => {
  const intro = (r: Partial<Referral>, provider = PROVIDERS[0]!) =>
    renderEmail('intro', composeEmailData({ kind: 'intro', to: 'prospect' }, { group, referral: referral({ status: 'logged', consent: true, prospect: PROSPECTS[0]!, need: NEEDS[0]!, note: NOTE, ...r }), referrer, provider, recipientName: 'Bob Stone', webBaseUrl: 'https://relay.example', sessionSecret: 's' }));

  it("presents the provider from their profile, in their own words, when the referrer wrote no line", () => {
    const email = intro({});
    expect(email.text).toContain('Priya Shah of Ledger Lane (bookkeeping), in their own words:');
    expect(email.text).toContain('I keep the books of trades and food businesses, VAT returns included.');
  });

  it("shows the referrer's own line for the prospect when there is one", () => {
    const email = intro({ introLine: 'Priya did our books for six years and never missed a deadline.' });
    expect(email.text).toContain('Priya did our books for six years and never missed a deadline.');
    expect(email.text).toMatch(/Alice on Priya:/);
  });

  it('without a profile, says who the provider is in a plain sentence', () => {
    expect(intro({}, member('provider00000000', 'Priya Shah', { business: 'Ledger Lane' })).text).toContain('Priya Shah of Ledger Lane is a member of');
  });

  it("is signed honestly: sent by the group's relay on the referrer's behalf, not as if she wrote it", () => {
    const email = intro({});
    expect(email.text).toContain("Introduced on Alice Morgan's behalf by");
    expect(email.text).not.toMatch(/Warm wishes/);
    // Both parties' contact details (the prospect's only with consent: the intro only goes with consent).
    expect(email.text).toContain('provider00000000@example.com');
    expect(email.text).toContain('bob@stonebakery.example');
  });
});
