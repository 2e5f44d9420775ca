import type { Group, PendingStep, Referral } from '../domain/types.js';
import { dueFor, isChaseStep } from '../schedule/business-hours.js';
import { buildStepId } from '../schedule/step-scheduler.js';
import type { Effects } from './effects.js';
import { PROSPECT_QUESTION_STEPS } from './core/rules.js';

export interface Planned {
  referral: Referral;
  added: PendingStep[];
  removed: PendingStep[];
}

/**
 * Applies a decision's cancellations and new steps to the referral's `pending` list. Pure.
 * New steps get a never-reused sequence number, their due time from the group's cadence, business
 * hours and timezone, and a different day from the referral's other chase emails (and, for a question
 * to the prospect, from the other questions to the prospect).
 */
export function applyPlanning(referral: Referral, effects: Pick<Effects, 'cancel' | 'schedule'>, group: Group): Planned {
  const cancelKinds = effects.cancel;
  const removed = referral.pending.filter((p) => cancelKinds === 'all' || cancelKinds.includes(p.kind));
  let pending = referral.pending.filter((p) => !removed.includes(p));
  let seq = referral.stepSeq ?? 0;
  const added: PendingStep[] = [];
  for (const plan of effects.schedule) {
    // One pending step per kind: a re-plan (e.g. the next progress request) replaces the old one.
    const replaced = pending.filter((p) => p.kind === plan.kind);
    removed.push(...replaced);
    pending = pending.filter((p) => p.kind !== plan.kind);
    const otherChaseDues = pending.filter((p) => isChaseStep(p.kind)).map((p) => new Date(p.due));
    // Two questions to the prospect never arrive together (core/rules.ts: `asksProspect`).
    const keepApartFrom = PROSPECT_QUESTION_STEPS.includes(plan.kind) ? pending.filter((p) => PROSPECT_QUESTION_STEPS.includes(p.kind)).map((p) => new Date(p.due)) : [];
    const due = dueFor(plan.kind, plan.anchor, group.settings, group.timezone, { delay: plan.delay, otherChaseDues, keepApartFrom });
    seq += 1;
    const step: PendingStep = { id: buildStepId(referral.id, plan.kind, seq), kind: plan.kind, due: due.toISOString(), seq };
    added.push(step);
    pending.push(step);
  }
  pending.sort((a, b) => a.due.localeCompare(b.due));
  return { referral: { ...referral, pending, stepSeq: seq }, added, removed };
}
