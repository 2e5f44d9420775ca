import { describe, expect, it } from 'vitest';
import type { Member } from '../../../src/domain/types.js';
import { composeEmailData, summarise, type ComposeContext } from '../../../src/referrals/compose-email.js';
import { referralView } from '../../../src/referrals/view.js';
import { group, referral } from './fixtures.js';

const member = (id: string, name: string): Member => ({ id, groupId: group.id, name, email: `${id}@example.com`, extraAddresses: [], pendingExtraAddresses: [], profile: { goodReferral: 'cafes' }, status: 'active', role: 'member', createdAt: '', version: 1 });
const referrer = member('referrer00000000', 'Alice Morgan');
const provider = member('provider00000000', 'Priya Shah');
const ctx = (over: Partial<ComposeContext> = {}): ComposeContext => ({ group, referral: referral({ status: 'won', closedValue: { amount: 4500, currency: 'GBP' } }), referrer, provider, recipientName: 'x', webBaseUrl: 'https://relay.example', sessionSecret: 's', ...over });

describe('what each reader may see', () => {
  it('the closed value: provider yes, referrer only when shared', () => {
    expect(summarise(ctx(), 'provider').closedValue).toEqual({ amount: 4500, currency: 'GBP' });
    expect(summarise(ctx(), 'referrer').closedValue).toBeUndefined();
    expect(summarise(ctx({ referral: referral({ status: 'won', closedValue: { amount: 1, currency: 'GBP' }, shareClosedValue: true }) }), 'referrer').closedValue).toEqual({ amount: 1, currency: 'GBP' });
  });

  it("the prospect never sees the referrer's note or their own contact details echoed", () => {
    const s = summarise(ctx({ referral: referral({ note: 'cash-flow trouble', prospect: { name: 'Bob', email: 'bob@x.example', phone: '0770' } }) }), 'prospect');
    expect(s.note).toBeUndefined();
    expect(s.prospectPhone).toBeUndefined();
  });

  it('emails to the prospect carry a signed stop link; member emails a link to the referral', () => {
    expect(composeEmailData({ kind: 'connection_check', to: 'prospect' }, ctx()).links?.stop).toMatch(/^https:\/\/relay\.example\/stop\/rrrrrrrrrrrrrrrr\./);
    expect(composeEmailData({ kind: 'progress_request', to: 'provider' }, ctx()).links?.web).toBe('https://relay.example/referrals/rrrrrrrrrrrrrrrr');
  });

  it('an optional email (the give-back nudge) carries the signed unsubscribe link; chase emails do not', () => {
    expect(composeEmailData({ kind: 'give_back', to: 'provider' }, ctx()).links?.unsubscribe).toMatch(/^https:\/\/relay\.example\/unsubscribe\/provider00000000\./);
    expect(composeEmailData({ kind: 'progress_request', to: 'provider' }, ctx()).links?.unsubscribe).toBeUndefined();
  });

  it('the intro lists no reply words (its Reply-To is the provider); others list their commands', () => {
    expect(composeEmailData({ kind: 'intro', to: 'prospect' }, ctx()).replyWords).toEqual([]);
    const open = ctx({ referral: referral({ status: 'met' }) });
    expect(composeEmailData({ kind: 'progress_request', to: 'provider' }, open).replyWords.map((w) => w.word).join(' ')).toMatch(/won/);
  });

  it('the footer invites only what the rule book offers now: no "won" or "lost" under a closed referral', () => {
    const words = composeEmailData({ kind: 'progress_request', to: 'provider' }, ctx()).replyWords.map((w) => w.word);
    expect(words.join(' ')).not.toMatch(/won|lost|snooze/);
    expect(words).toEqual(['share', 'note <text>', 'ask <question>']);
  });

  it('the referrer view of a referral hides private notes of the provider and the unshared value', () => {
    const r = referral({ status: 'won', closedValue: { amount: 9, currency: 'GBP' }, timeline: [{ at: '', via: 'api', actor: 'p', type: 'note', text: 'private note', privateText: 'secret', privateTo: 'provider' }] });
    const members = new Map([referrer, provider].map((m) => [m.id, m]));
    const asReferrer = referralView(r, 'referrer', members);
    expect(asReferrer.closedValue).toBeUndefined();
    expect(asReferrer.timeline[0]?.privateText).toBeUndefined();
    const asProvider = referralView(r, 'provider', members);
    expect(asProvider.timeline[0]?.privateText).toBe('secret');
    expect(referralView(r, 'admin', members).closedValue).toEqual({ amount: 9, currency: 'GBP' });
  });
});
