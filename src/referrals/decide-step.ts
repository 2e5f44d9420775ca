import type { CadenceSettings, Referral, StepKind } from '../domain/types.js';
import { mergeCancel } from './decide-action.js';
import { stepVerdict } from './core/rules.js';
import { noEffects, type Effects, type StepPlan } from './effects.js';

export interface StepContext {
  now: Date;
  settings: CadenceSettings;
  /** The prospect's address is on the suppression list (bounce, complaint, stop). */
  prospectSuppressed: boolean;
}

export type StepDecision =
  | { run: false; reason: string; referral: Referral; effects: Effects }
  | { run: true; referral: Referral; effects: Effects };

/** The steps planned when a referral becomes `logged` (at creation, or when a needs-info draft completes). */
export function stepsWhenLogged(r: Referral, now: Date): StepPlan[] {
  const plans: StepPlan[] = [
    { kind: 'thank_you_prompt', anchor: now },
    { kind: 'progress_request', anchor: now },
  ];
  if (r.introducedByReferrer) {
    // The referrer's own email was the introduction: "intro + …" counts from when it was received.
    plans.push(...stepsAfterIntro(r, now));
  } else if (r.consent && r.prospect.email) {
    plans.push({ kind: 'intro', anchor: now });
  }
  return plans;
}

export function stepsWhenNeedsInfo(now: Date): StepPlan[] {
  return [
    { kind: 'needs_info_reminder', anchor: now },
    { kind: 'needs_info_expiry', anchor: now },
  ];
}

function stepsAfterIntro(r: Referral, introAt: Date): StepPlan[] {
  const plans: StepPlan[] = [];
  if (!r.firstContactAt) plans.push({ kind: 'contact_reminder', anchor: introAt }, { kind: 'escalation', anchor: introAt });
  if (r.consent && r.prospect.email) plans.push({ kind: 'connection_check', anchor: introAt });
  return plans;
}

const skip = (r: Referral, reason: string): StepDecision => ({ run: false, reason, referral: r, effects: noEffects() });

/**
 * A timed step fires: re-check the world and decide what to send. Pure; the dispatcher has already
 * claimed the step by removing it from `pending` in the same conditional write that stores the result.
 * Whether the step still makes sense is the rule book's (core/rules.ts `STEP_RULES`); this function
 * only says what a step that goes out does.
 */
export function decideStep(current: Referral, kind: StepKind, ctx: StepContext): StepDecision {
  const r: Referral = { ...current, timeline: [...current.timeline] };
  const verdict = stepVerdict(kind, r, { prospectSuppressed: ctx.prospectSuppressed });
  if (!verdict.send) return skip(r, verdict.reason);
  const at = ctx.now.toISOString();
  const fx = noEffects();

  switch (kind) {
    case 'thank_you_prompt':
      fx.emails.push({ kind: 'thank_you_prompt', to: 'provider' });
      break;
    case 'intro':
      r.introAt = at;
      fx.emails.push({ kind: 'intro', to: 'prospect' });
      fx.schedule.push(...stepsAfterIntro(r, ctx.now));
      break;
    case 'contact_reminder':
      fx.emails.push({ kind: 'contact_reminder', to: 'provider' });
      break;
    case 'escalation':
      fx.emails.push({ kind: 'escalation', to: 'provider' }, { kind: 'escalation_notice', to: 'referrer' });
      break;
    case 'connection_check':
      fx.emails.push({ kind: 'connection_check', to: 'prospect' });
      break;
    case 'progress_request':
      if (r.unansweredProgressRequests >= ctx.settings.maxProgressRequests) {
        r.reopenTo = r.status;
        r.status = 'dormant';
        r.timeline.push({ at, via: 'schedule', actor: 'system', type: 'status', status: 'dormant', text: `dormant: no update after ${r.unansweredProgressRequests} progress requests` });
        fx.emails.push({ kind: 'dormant_notice', to: 'referrer' });
        break;
      }
      r.unansweredProgressRequests += 1;
      fx.emails.push({ kind: 'progress_request', to: 'provider' });
      // After the last allowed request, one more firing (dormantAfterDays later) turns it dormant.
      fx.schedule.push({
        kind: 'progress_request',
        anchor: ctx.now,
        ...(r.unansweredProgressRequests >= ctx.settings.maxProgressRequests ? { delay: { days: ctx.settings.dormantAfterDays } } : {}),
      });
      break;
    case 'experience_check':
      fx.emails.push({ kind: 'experience_check', to: 'prospect' });
      break;
    case 'needs_info_reminder':
      fx.emails.push({ kind: 'needs_info_reminder', to: 'referrer' });
      break;
    case 'needs_info_expiry':
      r.status = 'withdrawn';
      r.timeline.push({ at, via: 'schedule', actor: 'system', type: 'status', status: 'withdrawn', text: `withdrawn: still missing details after ${ctx.settings.needsInfoExpiryDays} days` });
      fx.cancel = mergeCancel(fx.cancel, 'all');
      fx.emails.push({ kind: 'notice', to: 'referrer', notice: 'needs_info_expired' });
      break;
  }
  r.updatedAt = at;
  return { run: true, referral: r, effects: fx };
}
