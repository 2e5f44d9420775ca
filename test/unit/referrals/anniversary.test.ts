/**
 * Anniversary asks (issue 14 item 3), pure: planned at won, sent on the anniversary while the
 * referral stands as won, answered by `done` / `skip` (the rule book's words), and the referrer
 * hears about it only on the provider's `done`.
 */
import { describe, expect, it } from 'vitest';
import type { Member } from '../../../src/domain/types.js';
import { DomainError } from '../../../src/domain/errors.js';
import { decideAction, type ActionInput } from '../../../src/referrals/decide-action.js';
import { anniversaryNumber, decideStep } from '../../../src/referrals/decide-step.js';
import { applyPlanning } from '../../../src/referrals/planning.js';
import { composeEmailData } from '../../../src/referrals/compose-email.js';
import { renderEmail } from '../../../src/mail/render.js';
import { parseCommand } from '../../../src/replies/parse-command.js';
import { validCommands } from '../../../src/replies/valid-commands.js';
import { group, monday10, referral } from './fixtures.js';

const providerCtx = (now = monday10) => ({ role: 'provider' as const, actorId: 'provider00000000', via: 'reply' as const, now, settings: group.settings, groupCurrency: 'GBP' });
const stepCtx = (now: Date, over: Partial<Parameters<typeof decideStep>[2]> = {}) => ({ now, settings: group.settings, prospectSuppressed: false, ...over });

/** Won on Monday 2 March 2026 10:00 London, as stored after the provider's `won`. */
function wonReferral() {
  const d = decideAction(referral({ status: 'proposal', firstContactAt: monday10.toISOString() }), { action: 'won', amount: 4500 }, providerCtx());
  return applyPlanning(d.referral, d.effects, group).referral;
}

const act = (r: ReturnType<typeof wonReferral>, input: ActionInput, now: Date) => decideAction(r, input, providerCtx(now));

describe('anniversary asks', () => {
  it('won plans the first ask a year later, in business hours (2 March 2027 is a Tuesday)', () => {
    const r = wonReferral();
    expect(r.wonAt).toBe(monday10.toISOString());
    expect(r.pending.find((p) => p.kind === 'anniversary')?.due).toBe('2027-03-02T10:00:00.000Z');
  });

  it('the ask goes to the provider and plans the next one from the won date, not from today', () => {
    // Prepare: the ask fires a little late (business hours moved it)
    const r = wonReferral();
    const firedAt = new Date('2027-03-02T10:00:00.000Z');

    // Act
    const d = decideStep({ ...r, pending: r.pending.filter((p) => p.kind !== 'anniversary') }, 'anniversary', stepCtx(firedAt));

    // Assess
    expect(d.run).toBe(true);
    expect(d.effects.emails).toEqual([{ kind: 'anniversary', to: 'provider' }]);
    expect(d.referral).toMatchObject({ anniversaryAskedAt: firedAt.toISOString(), anniversaryYears: 1 });
    const next = applyPlanning(d.referral, d.effects, group).referral.pending.find((p) => p.kind === 'anniversary');
    expect(next?.due).toBe('2028-03-02T10:00:00.000Z');
  });

  it('counts which anniversary it is from the won date', () => {
    expect(anniversaryNumber('2026-03-02T10:00:00.000Z', new Date('2027-03-04T08:00:00.000Z'))).toBe(1);
    expect(anniversaryNumber('2026-03-02T10:00:00.000Z', new Date('2028-03-02T10:00:00.000Z'))).toBe(2);
  });

  it("the group's switch off: skipped with the reason, and next year's date kept in case it is turned on again", () => {
    const r = wonReferral();
    const d = decideStep(r, 'anniversary', stepCtx(new Date('2027-03-02T10:00:00.000Z'), { settings: { ...group.settings, anniversaryAsks: false } }));
    expect(d).toMatchObject({ run: false, reason: 'anniversary asks are off for this group' });
    expect(d.effects.emails).toEqual([]);
    expect(d.effects.schedule).toEqual([expect.objectContaining({ kind: 'anniversary', delay: { months: 24 } })]);
  });

  it("the provider's stop: skipped, and nothing more planned", () => {
    const d = decideStep(wonReferral(), 'anniversary', stepCtx(new Date('2027-03-02T10:00:00.000Z'), { providerAnniversaryOff: true }));
    expect(d).toMatchObject({ run: false, reason: 'the provider turned anniversary asks off' });
    expect(d.effects.schedule).toEqual([]);
  });

  it('done: recorded, and only now the referrer hears the customer stayed; skip tells nobody', () => {
    const asked = { ...wonReferral(), anniversaryAskedAt: '2027-03-02T10:00:00.000Z', anniversaryYears: 1 };
    const later = new Date('2027-03-03T09:00:00.000Z');

    const done = act(asked, { action: 'anniversary_done' }, later);
    expect(done.effects.emails).toEqual([{ kind: 'anniversary', to: 'referrer' }]);
    expect(done.referral.timeline.at(-1)).toMatchObject({ type: 'action', kind: 'anniversary_done' });

    const skipped = act(asked, { action: 'anniversary_skip' }, later);
    expect(skipped.effects.emails).toEqual([]);
    expect(skipped.referral.timeline.at(-1)).toMatchObject({ type: 'action', kind: 'anniversary_skip', text: 'no anniversary note this year' });

    // Answered once: a second `done` has nothing to answer
    expect(() => act(done.referral, { action: 'anniversary_done' }, later)).toThrow(DomainError);
  });

  it('no ask open, or not won: refused with a reason', () => {
    expect(() => act(wonReferral(), { action: 'anniversary_done' }, monday10)).toThrow(/no anniversary reminder/);
    expect(() => act(referral({ status: 'lost' }), { action: 'anniversary_skip' }, monday10)).toThrow(/Only a won referral/);
  });

  it('the words done, skip and stop are understood in a reply to the ask, and done/skip nowhere else', () => {
    const ctx = { role: 'provider' as const, currency: 'GBP', emailKind: 'anniversary' };
    expect(parseCommand('Done - sent Bob a card this morning', ctx).verb).toBe('done');
    expect(parseCommand('sent it', ctx).verb).toBe('done');
    expect(parseCommand('skip this year', ctx).verb).toBe('skip');
    expect(parseCommand('stop', ctx).verb).toBe('stop');
    expect(parseCommand('done', { ...ctx, emailKind: 'progress_request' }).verb).toBe('unknown');
    expect(validCommands('provider', 'anniversary').map((c) => c.word)).toEqual(['done', 'skip', 'stop']);
    expect(validCommands('provider', 'anniversary').at(-1)?.meaning).toBe('no more anniversary reminders');
    expect(validCommands('provider', 'progress_request').map((c) => c.word)).not.toContain('done');
  });

  it("renders the provider's ask with a note to copy (never addressed by us to the customer) and the referrer's confirmation", () => {
    const r = { ...wonReferral(), anniversaryAskedAt: '2027-03-02T10:00:00.000Z', anniversaryYears: 1, prospect: { name: 'Bob Stone', email: 'bob@stonebakery.example', company: 'Stone Bakery' } };
    const member = (id: string, name: string, email: string): Member => ({ id, groupId: group.id, name, email, extraAddresses: [], pendingExtraAddresses: [], profile: {}, status: 'active', role: 'member', createdAt: '', version: 1 });
    const ctx = { group, referral: r, referrer: member('referrer00000000', 'Tom Becker', 'tom@example.com'), provider: member('provider00000000', 'Priya Shah', 'priya@example.com'), webBaseUrl: 'https://relay.example', sessionSecret: 's'.repeat(32) };

    const ask = renderEmail('anniversary', composeEmailData({ kind: 'anniversary', to: 'provider' }, { ...ctx, recipientName: 'Priya Shah' }));
    expect(ask.subject).toContain('Bob Stone');
    expect(ask.text).toContain('Hi Bob,');
    expect(ask.text).toMatch(/since we started working together/);
    expect(ask.text).toMatch(/We never write to Bob ourselves/);
    expect(ask.text).toMatch(/Mon 2 Mar 2026/);
    expect(ask.text).not.toContain('4,500');

    const told = renderEmail('anniversary', composeEmailData({ kind: 'anniversary', to: 'referrer' }, { ...ctx, recipientName: 'Tom Becker' }));
    expect(told.text).toMatch(/A year ago you introduced Bob Stone to Priya Shah; Bob is still Priya's customer/);
    expect(told.subject).toMatch(/Bob is still Priya's customer, a year after your introduction/);
  });
});

describe("the group's switch on /admin", () => {
  const form = (fields: Record<string, string>) => ({ get: (n: string) => fields[n] ?? '', all: (n: string) => (n === 'days' ? ['1', '2', '3', '4', '5'] : []) });
  const base = { start: '08:00', end: '18:00', anniversaryAsksShown: '1' };

  it('a ticked box is on, an unticked one off, and a form without the switch leaves it alone', async () => {
    const { settingsPatchFromForm } = await import('../../../src/web/pages/forms.js');
    expect(settingsPatchFromForm(form({ ...base, anniversaryAsks: 'on' })).anniversaryAsks).toBe(true);
    expect(settingsPatchFromForm(form(base)).anniversaryAsks).toBe(false);
    expect(settingsPatchFromForm(form({ start: '08:00', end: '18:00' }))).not.toHaveProperty('anniversaryAsks');
  });
});
