import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../src/domain/errors.js';
import { decideAction, type ActionContext } from '../../../src/referrals/decide-action.js';
import { group, monday10, referral } from './fixtures.js';

const as = (role: ActionContext['role'], over: Partial<ActionContext> = {}): ActionContext => ({ role, actorId: role === 'referrer' ? 'referrer00000000' : 'provider00000000', via: 'api', now: monday10, settings: group.settings, groupCurrency: 'GBP', ...over });

describe('decideAction', () => {
  it('contacted: moves forward, records first contact, cancels the contact chain, tells the referrer', () => {
    const { referral: r, effects } = decideAction(referral(), { action: 'contacted' }, as('provider'));
    expect(r.status).toBe('contacted');
    expect(r.firstContactAt).toBe(monday10.toISOString());
    expect(effects.cancel).toEqual(expect.arrayContaining(['contact_reminder', 'escalation', 'progress_request']));
    expect(effects.schedule.map((p) => p.kind)).toEqual(['progress_request']);
    expect(effects.emails).toEqual([expect.objectContaining({ kind: 'milestone', to: 'referrer', status: 'contacted' })]);
  });

  it('a move backwards is kept on the timeline but changes nothing', () => {
    const { referral: r, effects } = decideAction(referral({ status: 'met' }), { action: 'contacted' }, as('provider'));
    expect(r.status).toBe('met');
    expect(r.timeline.at(-1)?.text).toMatch(/status stays met/);
    expect(effects.emails).toEqual([]);
  });

  it('forward moves may skip steps: logged → won with an amount in the group currency', () => {
    const { referral: r, effects } = decideAction(referral(), { action: 'won', amount: 4500 }, as('provider'));
    expect(r.status).toBe('won');
    expect(r.closedValue).toEqual({ amount: 4500, currency: 'GBP' });
    const kinds = effects.emails.map((e) => e.kind);
    expect(kinds).toEqual(['milestone', 'quality_question', 'give_back']);
    // the referrer's milestone carries no amount unless shared
    expect(effects.emails[0]?.closedValue).toBeUndefined();
    expect(effects.schedule.map((p) => p.kind)).toContain('experience_check');
    expect(effects.cancel).toEqual(expect.arrayContaining(['progress_request']));
  });

  it('won after share: the milestone shows the value', () => {
    const { effects } = decideAction(referral({ shareClosedValue: true }), { action: 'won', amount: 10, currency: 'eur' }, as('provider'));
    expect(effects.emails[0]?.closedValue).toEqual({ amount: 10, currency: 'EUR' });
  });

  it('lost needs a reason, and the milestone carries it', () => {
    expect(() => decideAction(referral(), { action: 'lost' }, as('provider'))).toThrow(ValidationError);
    const { referral: r, effects } = decideAction(referral(), { action: 'lost', text: 'went with her brother-in-law' }, as('provider'));
    expect(r.lostReason).toBe('went with her brother-in-law');
    expect(effects.emails[0]).toMatchObject({ kind: 'milestone', status: 'lost', text: 'went with her brother-in-law' });
    expect(effects.emails.map((e) => e.kind)).not.toContain('give_back');
  });

  it("another role's verb is forbidden", () => {
    expect(() => decideAction(referral(), { action: 'won' }, as('referrer'))).toThrow(ForbiddenError);
    expect(() => decideAction(referral(), { action: 'withdraw' }, as('provider'))).toThrow(ForbiddenError);
  });

  it('withdraw cancels every step and tells the provider', () => {
    const { referral: r, effects } = decideAction(referral(), { action: 'withdraw' }, as('referrer'));
    expect(r.status).toBe('withdrawn');
    expect(effects.cancel).toBe('all');
    expect(effects.emails).toEqual([expect.objectContaining({ kind: 'notice', to: 'provider', notice: 'cancelled' })]);
  });

  it('no_intro before the intro removes consent and every prospect step; after it, refused', () => {
    const { referral: r, effects } = decideAction(referral(), { action: 'no_intro' }, as('referrer'));
    expect(r.consent).toBe(false);
    expect(effects.cancel).toEqual(expect.arrayContaining(['intro', 'connection_check']));
    expect(() => decideAction(referral({ introAt: monday10.toISOString() }), { action: 'no_intro' }, as('referrer'))).toThrow(/gone out/);
  });

  it('intro_line stores the referrer\'s one line for the prospect until the intro goes; too long or empty is refused', () => {
    const { referral: r, effects } = decideAction(referral(), { action: 'intro_line', text: '  Priya did our books\n for six years. ' }, as('referrer'));
    expect(r.introLine).toBe('Priya did our books for six years.');
    expect(r.timeline.at(-1)).toMatchObject({ type: 'action', kind: 'intro_line' });
    expect(effects.emails).toEqual([]);
    expect(() => decideAction(referral(), { action: 'intro_line', text: 'x'.repeat(301) }, as('referrer'))).toThrow(/keep it to 300/);
    expect(() => decideAction(referral(), { action: 'intro_line', text: ' ' }, as('referrer'))).toThrow(/one line for the prospect/);
    expect(() => decideAction(referral({ introAt: monday10.toISOString() }), { action: 'intro_line', text: 'hello' }, as('referrer'))).toThrow(/gone out/);
    expect(() => decideAction(referral(), { action: 'intro_line', text: 'hello' }, as('provider'))).toThrow(/cannot use/);
  });

  it('pass naming a member sends the referrer one email (the suggestion), not a milestone as well', () => {
    const named = decideAction(referral(), { action: 'pass', text: 'Tom is better placed', suggestedMemberId: 'tom' }, as('provider'));
    expect(named.effects.emails.filter((e) => e.to === 'referrer').map((e) => e.kind)).toEqual(['relay']);
    const unnamed = decideAction(referral(), { action: 'pass', text: 'not my field' }, as('provider'));
    expect(unnamed.effects.emails.filter((e) => e.to === 'referrer').map((e) => e.kind)).toEqual(['milestone']);
  });

  it('a private note is kept for the author side only', () => {
    const { referral: r } = decideAction(referral(), { action: 'note', text: 'prefers calls after 5' }, as('provider'));
    expect(r.timeline.at(-1)).toMatchObject({ type: 'note', privateText: 'prefers calls after 5', privateTo: 'provider' });
  });

  it('snooze re-plans the progress request without counting it', () => {
    const { referral: r, effects } = decideAction(referral({ unansweredProgressRequests: 2 }), { action: 'snooze', days: 14 }, as('provider'));
    expect(r.unansweredProgressRequests).toBe(2);
    expect(effects.schedule).toEqual([{ kind: 'progress_request', anchor: monday10, delay: { days: 14 } }]);
  });

  it('dormant reopens on any provider update', () => {
    const { referral: r } = decideAction(referral({ status: 'dormant', reopenTo: 'met' }), { action: 'proposal' }, as('provider'));
    expect(r.status).toBe('proposal');
    const back = decideAction(referral({ status: 'dormant', reopenTo: 'met' }), { action: 'contacted' }, as('provider'));
    expect(back.referral.status).toBe('met');
  });

  it('reopen moves a final referral back to its last open status', () => {
    const { referral: won } = decideAction(referral({ status: 'met' }), { action: 'won' }, as('provider'));
    const { referral: r } = decideAction(won, { action: 'reopen', text: 'client came back' }, as('provider'));
    expect(r.status).toBe('met');
  });

  it('prospect rating 1–2 alerts both sides; 3–5 is relayed', () => {
    const low = decideAction(referral({ status: 'won' }), { action: 'rating', rating: 2, text: 'late' }, as('prospect', { actorId: 'prospect' }));
    expect(low.effects.emails.map((e) => [e.kind, e.to])).toEqual([['alert', 'provider'], ['alert', 'referrer']]);
    const high = decideAction(referral({ status: 'won' }), { action: 'rating', rating: 5 }, as('prospect', { actorId: 'prospect' }));
    expect(high.effects.emails.map((e) => e.kind)).toEqual(['relay', 'relay']);
  });

  it('connection yes moves logged to contacted', () => {
    const { referral: r } = decideAction(referral(), { action: 'connection_yes' }, as('prospect', { actorId: 'prospect' }));
    expect(r.status).toBe('contacted');
  });
});
