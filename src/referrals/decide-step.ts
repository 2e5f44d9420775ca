import type { CadenceSettings, Referral, StepKind } from '../domain/types.js';
import { mergeCancel } from './decide-action.js';
import { stepVerdict } from './core/rules.js';
import { noEffects, type Effects, type StepPlan } from './effects.js';

export interface StepContext {
  now: Date;
  settings: CadenceSettings;
  /** The prospect's address is on the suppression list (bounce, complaint, stop). */
  prospectSuppressed: boolean;
  /** The provider replied `stop` to an anniversary ask (or to optional emails). */
  providerAnniversaryOff?: boolean;
}

const YEAR_MS = 365.25 * 86_400_000;

/** Which anniversary of the won date `now` is (1 on the first). */
export function anniversaryNumber(wonAt: string | undefined, now: Date): number {
  const since = wonAt ? now.getTime() - Date.parse(wonAt) : YEAR_MS;
  return Math.max(1, Math.round(since / YEAR_MS));
}

/** The anniversary after this one, counted in calendar months from the won date (no drift). */
function nextAnniversary(r: Referral, now: Date): StepPlan {
  const wonAt = r.wonAt ? new Date(r.wonAt) : now;
  return { kind: 'anniversary', anchor: wonAt, delay: { months: 12 * (anniversaryNumber(r.wonAt, now) + 1) } };
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
  const anniversaryAsksOff = ctx.settings.anniversaryAsks === false ? 'group' : ctx.providerAnniversaryOff ? 'provider' : undefined;
  const verdict = stepVerdict(kind, r, { prospectSuppressed: ctx.prospectSuppressed, anniversaryAsksOff });
  if (!verdict.send) {
    const skipped = skip(r, verdict.reason);
    // The group's switch may be turned on again: keep next year's date (the provider's `stop` is for good).
    if (kind === 'anniversary' && anniversaryAsksOff === 'group' && r.status === 'won') skipped.effects.schedule.push(nextAnniversary(r, ctx.now));
    return skipped;
  }
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
    case 'anniversary':
      r.anniversaryAskedAt = at;
      r.anniversaryYears = anniversaryNumber(r.wonAt, ctx.now);
      fx.emails.push({ kind: 'anniversary', to: 'provider' });
      fx.schedule.push(nextAnniversary(r, ctx.now));
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
