import { describe, expect, it } from 'vitest';
import { decideStep, stepsWhenLogged } from '../../../src/referrals/decide-step.js';
import { applyPlanning } from '../../../src/referrals/planning.js';
import { group, monday10, referral } from './fixtures.js';

const ctx = { now: monday10, settings: group.settings, prospectSuppressed: false };

describe('steps', () => {
  it('plans thank-you (+1 h), intro (+2 h, b.h.) and the first progress request (+7 d, b.h.) at logging', () => {
    const planned = applyPlanning(referral(), { cancel: [], schedule: stepsWhenLogged(referral(), monday10) }, group);
    const due = Object.fromEntries(planned.referral.pending.map((p) => [p.kind, p.due]));
    expect(due).toEqual({
      thank_you_prompt: '2026-03-02T11:00:00.000Z',
      intro: '2026-03-02T12:00:00.000Z',
      progress_request: '2026-03-09T10:00:00.000Z',
    });
    expect(new Set(planned.referral.pending.map((p) => p.id)).size).toBe(3);
  });

  it('no consent: no intro is planned, progress requests still run', () => {
    const kinds = stepsWhenLogged(referral({ consent: false }), monday10).map((p) => p.kind);
    expect(kinds).toEqual(['thank_you_prompt', 'progress_request']);
  });

  it("Bcc mode: the referrer's mail was the intro, so the contact chain counts from now", () => {
    const kinds = stepsWhenLogged(referral({ introducedByReferrer: true }), monday10).map((p) => p.kind);
    expect(kinds).toEqual(['thank_you_prompt', 'progress_request', 'contact_reminder', 'escalation', 'connection_check']);
  });

  it('intro fires: sends the intro and plans reminder, escalation and connection check on separate days', () => {
    const d = decideStep(referral(), 'intro', ctx);
    expect(d.run).toBe(true);
    expect(d.effects.emails).toEqual([{ kind: 'intro', to: 'prospect' }]);
    const planned = applyPlanning(d.referral, d.effects, group);
    const days = planned.added.map((p) => p.due.slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
  });

  it('re-checks the world: no reminder after contact, no intro without consent or when suppressed', () => {
    expect(decideStep(referral({ firstContactAt: monday10.toISOString(), status: 'contacted' }), 'contact_reminder', ctx)).toMatchObject({ run: false, reason: expect.stringMatching(/contact/) });
    expect(decideStep(referral({ consent: false }), 'intro', ctx).run).toBe(false);
    expect(decideStep(referral(), 'intro', { ...ctx, prospectSuppressed: true }).run).toBe(false);
    expect(decideStep(referral({ status: 'withdrawn' }), 'progress_request', ctx).run).toBe(false);
  });

  it('escalation goes to the provider with a notice to the referrer', () => {
    expect(decideStep(referral(), 'escalation', ctx).effects.emails).toEqual([
      { kind: 'escalation', to: 'provider' },
      { kind: 'escalation_notice', to: 'referrer' },
    ]);
  });

  it('after the last allowed progress request the next firing makes it dormant with a note to the referrer', () => {
    const d = decideStep(referral({ unansweredProgressRequests: 6 }), 'progress_request', ctx);
    expect(d.referral.status).toBe('dormant');
    expect(d.effects.emails).toEqual([{ kind: 'dormant_notice', to: 'referrer' }]);
    const sixth = decideStep(referral({ unansweredProgressRequests: 5 }), 'progress_request', ctx);
    expect(sixth.referral.unansweredProgressRequests).toBe(6);
    expect(sixth.effects.schedule[0]).toMatchObject({ kind: 'progress_request', delay: { days: 7 } });
  });

  it('step ids are never reused after a step is consumed', () => {
    const first = applyPlanning(referral(), { cancel: [], schedule: [{ kind: 'progress_request', anchor: monday10 }] }, group);
    const consumed = { ...first.referral, pending: [] };
    const second = applyPlanning(consumed, { cancel: [], schedule: [{ kind: 'progress_request', anchor: monday10 }] }, group);
    expect(second.added[0]!.id).not.toBe(first.added[0]!.id);
  });
});
