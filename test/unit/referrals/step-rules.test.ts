/**
 * "A step is sent only while it still makes sense" (issue 15 item 10), as a table: every step kind ×
 * every status, written out by hand so a change to the rule book has to change this table too.
 * The decision (decide-step.ts) must agree with the rule book (core/rules.ts STEP_RULES) in every cell.
 */
import { describe, expect, it } from 'vitest';
import { STATUSES, STEP_KINDS, type Status, type StepKind } from '../../../src/domain/types.js';
import { STEP_RULES, stepVerdict } from '../../../src/referrals/core/rules.js';
import { decideStep } from '../../../src/referrals/decide-step.js';
import { decide } from '../../../src/referrals/core/decide.js';
import { applyPlanning } from '../../../src/referrals/planning.js';
import { decideAction } from '../../../src/referrals/decide-action.js';
import { group, monday10, referral } from './fixtures.js';

const S = 'send';
const _ = 'skip';
type Cell = typeof S | typeof _;

// Columns: needs_info, logged, contacted, met, proposal, won, lost, passed, withdrawn, dormant
const TABLE: Record<StepKind, Cell[]> = {
  thank_you_prompt: [_, S, S, S, S, S, S, _, _, S],
  intro: [_, S, _, _, _, _, _, _, _, _],
  contact_reminder: [_, S, _, _, _, _, _, _, _, S],
  escalation: [_, S, _, _, _, _, _, _, _, S],
  connection_check: [_, S, S, S, S, _, _, _, _, S],
  progress_request: [_, S, S, S, S, _, _, _, _, _],
  experience_check: [_, _, _, _, _, S, S, _, _, _],
  needs_info_reminder: [S, _, _, _, _, _, _, _, _, _],
  needs_info_expiry: [S, _, _, _, _, _, _, _, _, _],
  anniversary: [_, _, _, _, _, S, _, _, _, _],
};

const world = { prospectSuppressed: false };
const ctx = { now: monday10, settings: group.settings, prospectSuppressed: false };
/** A referral in `status` in which nothing but its status could make a step pointless. */
const inStatus = (status: Status) => referral({ status, reopenTo: 'logged' });

describe('every step kind × every status (the rule book)', () => {
  it('the table covers every step kind and every status', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...STEP_KINDS].sort());
    for (const row of Object.values(TABLE)) expect(row).toHaveLength(STATUSES.length);
  });

  for (const kind of STEP_KINDS) {
    it(kind, () => {
      STATUSES.forEach((status, i) => {
        const verdict = stepVerdict(kind, inStatus(status), world);
        expect(verdict.send ? S : _, `${kind} in ${status}`).toBe(TABLE[kind][i]);
        // The decision does exactly what the rule book says, and a skip always says why.
        const decided = decideStep(inStatus(status), kind, ctx);
        expect(decided.run, `${kind} in ${status}`).toBe(verdict.send);
        if (!decided.run) {
          expect(decided.reason).toMatch(/\w/);
          expect(decided.effects.emails).toEqual([]);
        }
      });
    });
  }
});

describe('the cases people notice', () => {
  it('no intro saying "Priya will be in touch shortly" once Priya replied contacted, and the timeline says so', () => {
    // Prepare: logged with consent, the intro pending; the provider replies contacted.
    const planned = applyPlanning(referral(), { cancel: [], schedule: [{ kind: 'intro', anchor: monday10 }] }, group);
    const contacted = decideAction(planned.referral, { action: 'contacted' }, { role: 'provider', actorId: 'provider00000000', via: 'reply', now: monday10, settings: group.settings, groupCurrency: 'GBP' });
    const state = applyPlanning(contacted.referral, contacted.effects, group).referral;
    const intro = state.pending.find((p) => p.kind === 'intro')!;

    // Act: the intro's time comes
    const change = decide(state, { type: 'run_step', stepId: intro.id }, { now: new Date(intro.due), group })!;

    // Assess
    expect(change.effects.emails).toEqual([]);
    expect(change.events).toEqual([expect.objectContaining({ type: 'skipped', kind: 'intro', text: 'intro not sent: the provider has already made contact' })]);
    expect(change.state.introAt).toBeUndefined();
    expect(change.state.pending.map((p) => p.kind)).not.toContain('intro');
  });

  it('a contact made another way (firstContactAt) also stops the intro, even while still logged', () => {
    expect(stepVerdict('intro', referral({ firstContactAt: monday10.toISOString() }), world)).toEqual({ send: false, reason: 'the provider has already made contact' });
  });

  it('no "did Priya reach out?" after won or lost: the outcome cancels it, and the rule book would skip it anyway', () => {
    const withCheck = applyPlanning(referral({ status: 'contacted', introAt: monday10.toISOString(), firstContactAt: monday10.toISOString() }), { cancel: [], schedule: [{ kind: 'connection_check', anchor: monday10 }] }, group).referral;
    for (const outcome of [{ action: 'won' as const }, { action: 'lost' as const, text: 'went with a cheaper quote' }]) {
      const d = decideAction(withCheck, outcome, { role: 'provider', actorId: 'provider00000000', via: 'reply', now: monday10, settings: group.settings, groupCurrency: 'GBP' });
      const after = applyPlanning(d.referral, d.effects, group).referral;
      expect(after.pending.map((p) => p.kind).sort()).toEqual(outcome.action === 'won' ? ['anniversary', 'experience_check'] : ['experience_check']);
      expect(stepVerdict('connection_check', after, world)).toEqual({ send: false, reason: `the outcome is known (${outcome.action})` });
    }
  });

  it('the prospect who cannot be emailed gets no question, whatever the status', () => {
    for (const kind of ['connection_check', 'experience_check', 'intro'] as const) {
      const status = kind === 'experience_check' ? 'won' : 'logged';
      expect(stepVerdict(kind, referral({ status }), { prospectSuppressed: true }).send).toBe(false);
      expect(stepVerdict(kind, referral({ status, prospectBounced: true }), world).send).toBe(false);
      expect(stepVerdict(kind, referral({ status, consent: false }), world).send).toBe(false);
    }
  });

  it('an experience check and a connection check never share a day (so never the same minute)', () => {
    // Prepare: the connection check is pending for Thursday 10:00; the deal is won on Tuesday 10:00,
    // whose "+ 2 days" is that same Thursday 10:00. (A reopened referral can hold both.)
    const tuesday10 = new Date('2026-03-03T10:00:00.000Z');
    const thursday10 = '2026-03-05T10:00:00.000Z';
    const base = applyPlanning(referral({ status: 'won' }), { cancel: [], schedule: [{ kind: 'connection_check', anchor: monday10 }] }, group).referral;
    expect(base.pending[0]).toMatchObject({ kind: 'connection_check', due: thursday10 });

    // Act
    const planned = applyPlanning(base, { cancel: [], schedule: [{ kind: 'experience_check', anchor: tuesday10 }] }, group).referral;

    // Assess: the experience check moves to the next business day's start
    const experience = planned.pending.find((p) => p.kind === 'experience_check')!;
    expect(experience.due).toBe('2026-03-06T08:00:00.000Z');
    expect(STEP_RULES.connection_check.asksProspect && STEP_RULES.experience_check.asksProspect).toBe(true);
  });
});
