/**
 * The rule book as given(state).when(command).then(events, emails) (STYLE.md 17): the pure core,
 * no I/O. Storage keeps the state (not a fold of events), so `given` takes a referral.
 */
import { describe, expect, it } from 'vitest';
import type { Referral, TimelineEvent } from '../../../src/domain/types.js';
import { DomainError, ForbiddenError } from '../../../src/domain/errors.js';
import { decide, type Command, type ReferralChange } from '../../../src/referrals/core/decide.js';
import { group, monday10, referral } from './fixtures.js';

const PROVIDER = { role: 'provider' as const, actorId: 'provider00000000', via: 'reply' as const };
const REFERRER = { role: 'referrer' as const, actorId: 'referrer00000000', via: 'web' as const };
const PROSPECT = { role: 'prospect' as const, actorId: 'prospect', via: 'web' as const };

function given(over: Partial<Referral> = {}) {
  const state = referral(over);
  return {
    when(command: Command) {
      const run = () => decide(state, command, { now: monday10, group });
      return {
        then(expected: { events?: Partial<TimelineEvent>[]; emails?: string[]; state?: Partial<Referral> }): ReferralChange {
          const change = run();
          expect(change).not.toBeNull();
          if (expected.events) expect(change!.events).toEqual(expected.events.map((e) => expect.objectContaining(e)));
          if (expected.emails) expect(change!.effects.emails.map((e) => `${e.kind}→${e.to}`)).toEqual(expected.emails);
          if (expected.state) expect(change!.state).toEqual(expect.objectContaining(expected.state));
          return change!;
        },
        thenNothing() {
          expect(run()).toBeNull();
        },
        thenRefused(error: new (...a: never[]) => Error, code?: string) {
          expect(run).toThrow(error);
          if (code) expect(() => run()).toThrow(expect.objectContaining({ code }));
        },
      };
    },
  };
}

describe('actions', () => {
  it('the provider reports contact: status event, the referrer hears, chasers cancelled and the next progress request planned', () => {
    const change = given({ pending: [{ id: 'r.contact_reminder.1', kind: 'contact_reminder', due: '2026-03-04T10:00:00.000Z', seq: 1 }], stepSeq: 1 })
      .when({ type: 'act', input: { action: 'contacted' }, by: PROVIDER })
      .then({ events: [{ type: 'status', status: 'contacted' }], emails: ['milestone→referrer', 'confirmation→provider'], state: { status: 'contacted', firstContactAt: monday10.toISOString() } });
    expect(change.state.pending.map((p) => p.kind)).toEqual(['progress_request']);
  });

  it('only NEW events come back, even on a referral with history', () => {
    const old: TimelineEvent = { at: '2026-03-01T00:00:00.000Z', via: 'web', actor: 'x', type: 'created', text: 'logged' };
    given({ timeline: [old] }).when({ type: 'act', input: { action: 'note', text: 'called twice' }, by: PROVIDER }).then({ events: [{ type: 'note', privateText: 'called twice', privateTo: 'provider' }], emails: [] });
  });

  it("another role's command is refused (403), a command its status does not allow too (409)", () => {
    given().when({ type: 'act', input: { action: 'won' }, by: REFERRER }).thenRefused(ForbiddenError);
    given({ status: 'won' }).when({ type: 'act', input: { action: 'withdraw' }, by: REFERRER }).thenRefused(DomainError, 'final');
    given({ status: 'needs_info' }).when({ type: 'act', input: { action: 'met' }, by: PROVIDER }).thenRefused(DomainError, 'needs_info');
    given().when({ type: 'act', input: { action: 'reopen', text: 'why' }, by: PROVIDER }).thenRefused(DomainError, 'not_final');
  });

  it('the prospect says stop: withdrawn, every step cancelled, the provider told, and the stop kept as state', () => {
    const change = given({ pending: [{ id: 'r.intro.1', kind: 'intro', due: '2026-03-02T11:00:00.000Z', seq: 1 }], stepSeq: 1 })
      .when({ type: 'act', input: { action: 'prospect_stop' }, by: PROSPECT })
      .then({ events: [{ type: 'action', kind: 'stop' }, { type: 'status', status: 'withdrawn' }], emails: ['notice→provider'], state: { status: 'withdrawn', prospectStoppedAt: monday10.toISOString() } });
    expect(change.state.pending).toEqual([]);
  });
});

describe("a member's stop is not the prospect's", () => {
  it('it records optional emails off and leaves the referral (and prospectStoppedAt) alone', () => {
    const change = given().when({ type: 'member_stop', role: 'provider', actorId: 'provider00000000' }).then({ events: [{ type: 'action', kind: 'optional_emails_off' }], emails: [], state: { status: 'logged' } });
    expect(change.state.prospectStoppedAt).toBeUndefined();
  });
});

describe('timed steps', () => {
  const intro = { id: 'rrrrrrrrrrrrrrrr.intro.1', kind: 'intro' as const, due: monday10.toISOString(), seq: 1 };

  it('the intro goes to the prospect and plans the reminder, escalation and connection check', () => {
    const change = given({ pending: [intro], stepSeq: 1 }).when({ type: 'run_step', stepId: intro.id }).then({ emails: ['intro→prospect'], state: { introAt: monday10.toISOString() } });
    expect(change.state.pending.map((p) => p.kind).sort()).toEqual(['connection_check', 'contact_reminder', 'escalation']);
  });

  it('a step that no longer applies is skipped with a typed event saying why, and nothing is sent', () => {
    given({ pending: [intro], stepSeq: 1, consent: false }).when({ type: 'run_step', stepId: intro.id }).then({ events: [{ type: 'skipped', kind: 'intro' }], emails: [], state: { pending: [] } });
  });

  it('a step delivered twice: the second finds nothing pending and decides nothing', () => {
    given({ pending: [], stepSeq: 1 }).when({ type: 'run_step', stepId: intro.id }).thenNothing();
  });
});

describe('a provider removed from the group', () => {
  const member = { id: 'provider00000000', name: 'Priya Shah' };

  it('the referrer is told, the chasers aimed at the provider cancelled, and the removal kept as state', () => {
    given({ pending: [{ id: 'r.intro.1', kind: 'intro', due: '2026-03-02T11:00:00.000Z', seq: 1 }], stepSeq: 1 })
      .when({ type: 'provider_removed', member, adminId: 'admin00000000000' })
      .then({ events: [{ type: 'info', kind: 'member_removed' }], emails: ['notice→referrer'], state: { removedProviderId: member.id, pending: [] } });
  });

  it('told once: a second removal command decides nothing (without scanning the timeline)', () => {
    given({ removedProviderId: member.id }).when({ type: 'provider_removed', member, adminId: 'admin00000000000' }).thenNothing();
  });

  it('nothing to do on a closed referral or one held by someone else', () => {
    given({ status: 'won' }).when({ type: 'provider_removed', member, adminId: 'a' }).thenNothing();
    given({ providerId: 'other00000000000' }).when({ type: 'provider_removed', member, adminId: 'a' }).thenNothing();
  });
});

describe('a change by reply is confirmed, and undo takes it back within 15 minutes (issue 15 item 11)', () => {
  const at = (minutes: number) => new Date(monday10.getTime() + minutes * 60_000);
  /** The provider replies `won` at monday10: the stored state after it (version bumped, as the store does). */
  function wonByReply() {
    const before = referral({ status: 'contacted', firstContactAt: '2026-03-01T10:00:00.000Z', pending: [{ id: 'r.progress_request.1', kind: 'progress_request', due: '2026-03-09T10:00:00.000Z', seq: 1 }], stepSeq: 1 });
    const change = decide(before, { type: 'act', input: { action: 'won', amount: 4500 }, by: PROVIDER }, { now: monday10, group })!;
    return { before, after: { ...change.state, version: before.version + 1, timeline: [] }, change };
  }
  const undo = (state: Referral, minutes: number, by: { role: 'provider' | 'referrer'; actorId: string } = PROVIDER) =>
    decide(state, { type: 'act', input: { action: 'undo' }, by: { ...by, via: 'reply' } }, { now: at(minutes), group });

  it('the reply that changed something gets one confirmation line, offering undo', () => {
    const { change } = wonByReply();
    const confirmation = change.effects.emails.find((e) => e.kind === 'confirmation');
    expect(confirmation).toMatchObject({ to: 'provider', text: 'Marked won — thanks. Reply undo within 15 minutes if that was a mistake.' });
    expect(change.state.lastChange).toMatchObject({ actorId: 'provider00000000', label: 'Marked won', told: ['referrer'] });
  });

  it('the web and the API get no confirmation email (they show the result), and a reply that changed nothing none either', () => {
    const web = decide(referral(), { type: 'act', input: { action: 'contacted' }, by: { ...PROVIDER, via: 'web' } }, { now: monday10, group })!;
    expect(web.effects.emails.map((e) => e.kind)).not.toContain('confirmation');
    const again = decide(referral({ status: 'met' }), { type: 'act', input: { action: 'contacted' }, by: PROVIDER }, { now: monday10, group })!;
    expect(again.effects.emails.map((e) => e.kind)).not.toContain('confirmation');
  });

  it('undo within 15 minutes restores the state and its steps, tells the referrer, and confirms', () => {
    const { before, after } = wonByReply();
    const undone = undo(after, 14)!;
    expect(undone.state).toMatchObject({ status: 'contacted', firstContactAt: before.firstContactAt, version: after.version });
    expect(undone.state.wonAt).toBeUndefined();
    expect(undone.state.closedValue).toBeUndefined();
    expect(undone.state.lastChange).toBeUndefined();
    expect(undone.state.pending).toEqual(before.pending);
    expect(undone.state.stepSeq).toBeGreaterThanOrEqual(after.stepSeq);
    expect(undone.events.map((e) => e.text)).toEqual(['undid: marked won', 'back to contacted (undone)']);
    expect(undone.effects.emails).toEqual([
      { kind: 'notice', to: 'referrer', notice: 'undone', text: 'Marked won' },
      { kind: 'confirmation', to: 'provider', text: 'Undone: marked won is taken back, and the referral is back to contacted.' },
    ]);
  });

  it('refused after 15 minutes, by anyone else, after another change, or twice', () => {
    const { after } = wonByReply();
    expect(() => undo(after, 16)).toThrow(expect.objectContaining({ code: 'undo_too_late' }));
    expect(() => undo(after, 1, { role: 'referrer', actorId: 'referrer00000000' })).toThrow(expect.objectContaining({ code: 'nothing_to_undo' }));
    expect(() => undo({ ...after, version: after.version + 1 }, 1)).toThrow(expect.objectContaining({ code: 'undo_changed' }));
    const undone = undo(after, 1)!;
    expect(() => undo({ ...undone.state, version: after.version + 1, timeline: [] }, 2)).toThrow(expect.objectContaining({ code: 'nothing_to_undo' }));
  });

  it('any later change ends the chance: the next action clears it', () => {
    const { after } = wonByReply();
    const noted = decide(after, { type: 'act', input: { action: 'note', text: 'invoice sent' }, by: { ...PROVIDER, via: 'web' } }, { now: at(1), group })!;
    expect(noted.state.lastChange).toBeUndefined();
  });
});
