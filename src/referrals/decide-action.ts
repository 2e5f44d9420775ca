import { DomainError, ForbiddenError, ValidationError } from '../domain/errors.js';
import {
  FINAL_STATUSES,
  STATUS_RANK,
  type CadenceSettings,
  type Money,
  type Referral,
  type Status,
  type TimelineEvent,
  type Via,
} from '../domain/types.js';
import { noEffects, type Effects } from './effects.js';
import { anniversaryAskOpen, refusalFor, type ActionName, type ActorRole } from './core/rules.js';
import { eraseProspectFrom } from './erase.js';

export { ACTIONS, ROLE_ACTIONS, type ActionName, type ActorRole } from './core/rules.js';

export interface ActionInput {
  action: ActionName;
  amount?: number;
  currency?: string;
  text?: string;
  days?: number;
  rating?: number;
  /** For `reassign`: the new provider's member id. */
  providerId?: string;
  /** For `pass`: the member the provider's words name, offered to the referrer. */
  suggestedMemberId?: string;
}

export interface ActionContext {
  role: ActorRole;
  actorId: string;
  via: Via;
  now: Date;
  settings: CadenceSettings;
  groupCurrency: string;
}

export interface Decision {
  referral: Referral;
  effects: Effects;
}

const MILESTONE_TEXT: Partial<Record<Status, string>> = {
  contacted: 'has made contact',
  met: 'has met them',
  proposal: 'has sent a proposal',
  won: 'won the business',
  lost: 'did not win this one',
  passed: 'passed the referral on',
  withdrawn: 'the referral was withdrawn',
  dormant: 'has gone quiet',
};

/** The longest line a referrer may write for the prospect (the form, the API, a reply, a forwarded note). */
export const INTRO_LINE_MAX = 300;

export const isFinal = (s: Status) => FINAL_STATUSES.includes(s);

function requireText(input: ActionInput, what: string): string {
  const text = input.text?.trim();
  if (!text) throw new ValidationError(`${input.action} needs ${what} in "text"`, { field: 'text' });
  return text;
}

/**
 * Given a referral and an action by someone in a role, what changes and what must follow.
 * Pure: the caller stores the result (conditionally) and then carries out the effects. The web, the
 * API and email replies all come through here, so they behave identically.
 */
export function decideAction(current: Referral, input: ActionInput, ctx: ActionContext): Decision {
  // Who may do what in which status: the rule book (core/rules.ts), the same for web, API and replies.
  const refused = refusalFor(input.action, ctx.role, current);
  if (refused?.status === 403) throw new ForbiddenError(refused.message);
  if (refused) throw new DomainError(refused.message, refused.code, 409);
  const at = ctx.now.toISOString();
  if (input.action === 'undo') return undoLastChange(current, ctx);
  const r: Referral = { ...current, timeline: [...current.timeline], pending: [...current.pending] };
  // Only the latest change by reply can be taken back: any other change ends the chance.
  delete r.lastChange;
  const fx = noEffects();
  const event = (e: Omit<TimelineEvent, 'at' | 'via' | 'actor'>) => r.timeline.push({ at, via: ctx.via, actor: ctx.actorId, ...e });
  const fromProvider = ctx.role === 'provider' || (ctx.role === 'admin' && ['contacted', 'met', 'proposal', 'won', 'lost', 'pass'].includes(input.action));
  const progressPlan = () => ({ kind: 'progress_request' as const, anchor: ctx.now });

  /** A provider update: resets the progress-request count and plans the next request. */
  const providerUpdated = () => {
    r.unansweredProgressRequests = 0;
    if (!isFinal(r.status) && r.status !== 'needs_info') {
      fx.cancel = mergeCancel(fx.cancel, ['progress_request']);
      fx.schedule.push(progressPlan());
    }
  };

  const moveTo = (status: Status, text: string, extra?: { privateText?: string; closedValue?: Money; reason?: string }) => {
    const wasDormant = r.status === 'dormant';
    const effectiveFrom: Status = wasDormant ? (r.reopenTo ?? 'logged') : r.status;
    if (isFinal(r.status) || STATUS_RANK[status] <= STATUS_RANK[effectiveFrom]) {
      // A move backwards is kept on the timeline but changes nothing.
      event({ type: 'note', text: `${text} (recorded; status stays ${r.status})`, privateText: extra?.privateText });
      if (wasDormant) {
        r.status = effectiveFrom;
        event({ type: 'status', status: r.status, text: `reopened from dormant as ${r.status}` });
        providerUpdated();
      }
      return false;
    }
    if (isFinal(status)) r.reopenTo = effectiveFrom;
    if (status === 'won') r.wonAt = at;
    r.status = status;
    event({ type: 'status', status, text, privateText: extra?.privateText });
    if (STATUS_RANK[status] >= STATUS_RANK.contacted && !r.firstContactAt && status !== 'withdrawn' && status !== 'passed') {
      r.firstContactAt = at;
      fx.cancel = mergeCancel(fx.cancel, ['contact_reminder', 'escalation']);
    }
    if (isFinal(status)) {
      // "Did Priya reach out?" means nothing once there is an outcome (core/rules.ts would skip it too).
      fx.cancel = mergeCancel(fx.cancel, ['progress_request', 'contact_reminder', 'escalation', 'thank_you_prompt', 'intro', 'connection_check']);
      if (status === 'withdrawn' || status === 'passed') fx.cancel = 'all';
    }
    if (ctx.role !== 'referrer') {
      fx.emails.push({ kind: 'milestone', to: 'referrer', status, text: extra?.reason, closedValue: r.shareClosedValue ? extra?.closedValue : undefined });
    }
    return true;
  };

  switch (input.action) {
    case 'contacted':
    case 'met':
    case 'proposal': {
      const who = ctx.role === 'admin' ? 'admin' : 'provider';
      moveTo(input.action, `${who}: ${MILESTONE_TEXT[input.action]}`, { privateText: input.text?.trim() || undefined });
      if (fromProvider) providerUpdated();
      break;
    }
    case 'won': {
      const closedValue =
        input.amount !== undefined ? { amount: input.amount, currency: (input.currency ?? ctx.groupCurrency).toUpperCase() } : undefined;
      if (closedValue && !(closedValue.amount >= 0 && Number.isFinite(closedValue.amount))) throw new ValidationError('amount must be a positive number');
      // The provider's own words may carry the amount: they stay private to the provider's side.
      const moved = moveTo('won', 'won', { closedValue, privateText: input.text?.trim() || undefined });
      if (moved) {
        if (closedValue) r.closedValue = closedValue;
        afterOutcome(r, fx, ctx, true);
      }
      break;
    }
    case 'lost': {
      const reason = requireText(input, 'the reason it was lost');
      if (moveTo('lost', `lost: ${reason}`, { reason })) {
        r.lostReason = reason;
        afterOutcome(r, fx, ctx, false);
      }
      break;
    }
    case 'pass': {
      const who = requireText(input, 'who would be better');
      if (moveTo('passed', `passed: ${who}`, { reason: who })) {
        r.passSuggestionId = input.suggestedMemberId;
        fx.emails = fx.emails.filter((e) => e.kind !== 'milestone');
        // One email to the referrer: the suggestion says Priya passed, with her reason; without one, the milestone.
        if (r.passSuggestionId) fx.emails.push({ kind: 'relay', to: 'referrer', relay: 'pass_suggestion', text: who, suggestedMemberId: r.passSuggestionId });
        else fx.emails.push({ kind: 'milestone', to: 'referrer', status: 'passed', text: who });
      }
      break;
    }
    case 'thanks': {
      const words = requireText(input, 'your words of thanks');
      r.thankedAt ??= at;
      event({ type: 'action', text: 'thanked the referrer', kind: 'thanks' });
      fx.cancel = mergeCancel(fx.cancel, ['thank_you_prompt']);
      fx.emails.push({ kind: 'thanks_relay', to: 'referrer', text: words });
      break;
    }
    case 'thanked':
      r.thankedAt ??= at;
      event({ type: 'action', text: 'thanked the referrer (elsewhere)', kind: 'thanked' });
      fx.cancel = mergeCancel(fx.cancel, ['thank_you_prompt']);
      break;
    case 'share':
      r.shareClosedValue = true;
      event({ type: 'action', text: 'shared the closed value with the referrer', kind: 'share' });
      if (r.status === 'won' && r.closedValue) fx.emails.push({ kind: 'milestone', to: 'referrer', status: 'won', closedValue: r.closedValue });
      break;
    case 'snooze': {
      const days = input.days;
      if (!days || !Number.isInteger(days) || days < 1 || days > 90) throw new ValidationError('snooze needs "days" between 1 and 90');
      event({ type: 'action', text: `snoozed progress requests for ${days} days`, kind: 'snooze' });
      fx.cancel = mergeCancel(fx.cancel, ['progress_request']);
      // snooze does not count as an unanswered request, and is not an answer either
      fx.schedule.push({ kind: 'progress_request', anchor: ctx.now, delay: { days } });
      break;
    }
    case 'note': {
      const text = requireText(input, 'the note');
      const side = ctx.role === 'referrer' ? 'referrer' : 'provider';
      event({ type: 'note', text: 'private note', privateText: text, privateTo: ctx.role === 'admin' ? undefined : side });
      break;
    }
    case 'good':
    case 'poor': {
      const text = input.action === 'poor' ? requireText(input, 'why it was a poor referral') : input.text?.trim();
      event({ type: 'action', kind: input.action, text: input.action === 'good' ? 'said it was a good referral' : `said it was a poor referral: ${text}` });
      fx.emails.push({ kind: 'relay', to: 'referrer', relay: input.action === 'good' ? 'quality_good' : 'quality_poor', text });
      break;
    }
    case 'ask': {
      const question = requireText(input, 'your question');
      event({ type: 'action', kind: 'ask', text: `asked: ${question}` });
      fx.emails.push({ kind: 'relay', to: ctx.role === 'referrer' ? 'provider' : 'referrer', relay: 'question', fromRole: ctx.role === 'referrer' ? 'referrer' : 'provider', text: question });
      break;
    }
    case 'reopen': {
      const reason = requireText(input, 'the reason to reopen');
      const to = r.reopenTo && !isFinal(r.reopenTo) ? r.reopenTo : 'logged';
      r.status = to;
      event({ type: 'status', status: to, text: `reopened: ${reason}` });
      providerUpdated();
      break;
    }
    case 'withdraw': {
      const wasNeedsInfo = r.status === 'needs_info';
      r.reopenTo = r.status;
      r.status = 'withdrawn';
      event({ type: 'status', status: 'withdrawn', text: `cancelled by the referrer${input.text ? `: ${input.text.trim()}` : ''}` });
      fx.cancel = 'all';
      if (!wasNeedsInfo && r.providerId) fx.emails.push({ kind: 'notice', to: 'provider', notice: 'cancelled', text: input.text?.trim() });
      break;
    }
    case 'no_intro': {
      if (r.introAt) throw new DomainError('The introduction has already gone out', 'intro_sent', 409);
      if (!r.consent) {
        event({ type: 'note', text: 'no intro (already without consent)' });
        break;
      }
      r.consent = false;
      event({ type: 'action', kind: 'no_intro', text: 'no introduction: the prospect will not be emailed' });
      fx.cancel = mergeCancel(fx.cancel, ['intro', 'contact_reminder', 'escalation', 'connection_check', 'experience_check']);
      break;
    }
    case 'intro_line': {
      if (r.introAt || r.introducedByReferrer) throw new DomainError('The introduction has already gone out', 'intro_sent', 409);
      const line = requireText(input, 'one line for the prospect').replace(/\s+/g, ' ');
      if (line.length > INTRO_LINE_MAX) throw new ValidationError(`The line for the prospect is ${line.length} characters; keep it to ${INTRO_LINE_MAX}`, { field: 'text' });
      r.introLine = line;
      event({ type: 'action', kind: 'intro_line', text: `wrote the line for the prospect's introduction: "${line}"` });
      break;
    }
    case 'reassign': {
      if (!input.providerId) throw new ValidationError('reassign needs "providerId"');
      if (input.providerId === r.referrerId) throw new ValidationError('A referral cannot go to its own referrer');
      const old = r.providerId;
      r.providerId = input.providerId;
      event({ type: 'action', kind: 'reassign', text: 'reassigned to a new provider' });
      if (old) fx.emails.push({ kind: 'notice', to: 'provider', memberId: old, notice: 'provider_replaced' });
      fx.emails.push({ kind: 'provider_notice', to: 'provider' });
      break;
    }
    case 'anniversary_done':
    case 'anniversary_skip': {
      if (!anniversaryAskOpen(r)) throw new DomainError('There is no anniversary reminder waiting for an answer', 'no_anniversary_ask', 409);
      r.anniversaryAnsweredAt = at;
      if (input.action === 'anniversary_done') {
        event({ type: 'action', kind: 'anniversary_done', text: 'the provider sent the customer an anniversary note of thanks: still a customer', privateText: input.text?.trim() || undefined });
        // Only the provider's confirmation tells the referrer that the customer stayed.
        fx.emails.push({ kind: 'anniversary', to: 'referrer' });
      } else {
        event({ type: 'action', kind: 'anniversary_skip', text: 'no anniversary note this year', privateText: input.text?.trim() || undefined });
      }
      break;
    }
    case 'erase_prospect': {
      Object.assign(r, eraseProspectFrom(r));
      event({ type: 'action', kind: 'erase_prospect', text: 'prospect details erased on request' });
      fx.cancel = mergeCancel(fx.cancel, ['intro', 'connection_check', 'experience_check']);
      break;
    }
    case 'connection_yes': {
      event({ type: 'action', kind: 'connection_confirmed', text: 'connection confirmed by the prospect', privateText: input.text });
      if (r.status === 'logged' || r.status === 'dormant') {
        r.status = 'contacted';
        r.firstContactAt ??= at;
        event({ type: 'status', status: 'contacted', text: 'contacted (confirmed by the prospect)' });
        fx.cancel = mergeCancel(fx.cancel, ['contact_reminder', 'escalation']);
        fx.emails.push({ kind: 'milestone', to: 'referrer', status: 'contacted' });
      }
      break;
    }
    case 'connection_no': {
      event({ type: 'action', kind: 'connection_denied', text: 'the prospect says no one has been in touch yet', privateText: input.text });
      fx.emails.push({ kind: 'alert', to: 'provider', alert: 'not_contacted', text: input.text });
      fx.emails.push({ kind: 'alert', to: 'referrer', alert: 'not_contacted', text: input.text });
      break;
    }
    case 'rating': {
      const rating = input.rating;
      if (!rating || !Number.isInteger(rating) || rating < 1 || rating > 5) throw new ValidationError('rating must be 1 to 5');
      event({ type: 'action', kind: 'rating', text: `the prospect rated the experience ${rating}/5`, privateText: input.text });
      for (const to of ['provider', 'referrer'] as const) {
        fx.emails.push(
          rating <= 2
            ? { kind: 'alert', to, rating, alert: 'low_rating', text: input.text }
            : { kind: 'relay', to, rating, relay: 'rating', text: input.text },
        );
      }
      break;
    }
    case 'prospect_stop': {
      event({ type: 'action', kind: 'stop', text: 'the prospect asked for no more email' });
      r.prospectStoppedAt ??= at;
      fx.cancel = 'all';
      if (!isFinal(r.status)) {
        r.reopenTo = r.status;
        r.status = 'withdrawn';
        event({ type: 'status', status: 'withdrawn', text: 'withdrawn: the prospect said stop' });
      }
      if (r.providerId) fx.emails.push({ kind: 'notice', to: 'provider', notice: 'prospect_stopped' });
      break;
    }
  }
  r.updatedAt = at;
  confirmByReply(current, r, fx, input, ctx);
  return { referral: r, effects: fx };
}

/** How long a member may take back a change made by reply. */
export const UNDO_WINDOW_MS = 15 * 60_000;

/** What the confirmation says was done, for the changes a member can make by reply. */
function confirmationLabel(input: ActionInput, r: Referral): string | undefined {
  switch (input.action) {
    case 'contacted':
    case 'met':
      return `Marked ${input.action}`;
    case 'proposal':
      return 'Marked proposal sent';
    case 'won':
      return 'Marked won';
    case 'lost':
      return 'Marked lost';
    case 'pass':
      return 'Passed on';
    case 'snooze':
      return `Snoozed for ${input.days} day${input.days === 1 ? '' : 's'}`;
    case 'share':
      return 'Shared the value with the referrer';
    case 'thanked':
      return 'Noted that you have thanked the referrer';
    case 'no_intro':
      return r.consent ? undefined : 'No introduction will be sent';
    case 'withdraw':
      return 'Referral withdrawn';
    case 'intro_line':
      return 'Your line for the introduction is saved';
    default:
      return undefined;
  }
}

/**
 * A member's reply that changed something is confirmed to them in one line, with `undo` for 15
 * minutes (issue 15 item 11); the state before it is kept for that undo. Only replies: the web and
 * the API show the result at once.
 */
function confirmByReply(current: Referral, r: Referral, fx: Effects, input: ActionInput, ctx: ActionContext) {
  if (ctx.via !== 'reply' || (ctx.role !== 'provider' && ctx.role !== 'referrer')) return;
  const label = confirmationLabel(input, r);
  // A milestone that changed nothing (recorded, status stays) is not a change to take back.
  if (!label || (r.status === current.status && ['contacted', 'met', 'proposal', 'won', 'lost', 'pass', 'withdraw'].includes(input.action))) return;
  const told = [...new Set(fx.emails.map((e) => e.to).filter((to) => to !== ctx.role))];
  const { timeline: _timeline, lastChange: _last, ...before } = current;
  r.lastChange = { actorId: ctx.actorId, role: ctx.role, at: ctx.now.toISOString(), action: input.action, label, version: current.version + 1, told, before };
  fx.emails.push({ kind: 'confirmation', to: ctx.role, text: `${label} — thanks. Reply undo within 15 minutes if that was a mistake.` });
}

/**
 * `undo`: the member's own last change by reply, within 15 minutes, and only while nothing else has
 * changed the referral since. The state before it comes back (its steps too: the stream consumer
 * schedules and cancels the difference); whoever was emailed about it is told, since an email cannot
 * be unsent.
 */
function undoLastChange(current: Referral, ctx: ActionContext): Decision {
  const last = current.lastChange;
  if (!last || last.actorId !== ctx.actorId) throw new DomainError('There is no change of yours to undo on this referral', 'nothing_to_undo', 409);
  if (ctx.now.getTime() - Date.parse(last.at) > UNDO_WINDOW_MS) throw new DomainError(`Undo works for 15 minutes after a change; "${last.label}" stays. Reply with the right word instead`, 'undo_too_late', 409);
  if (current.version !== last.version) throw new DomainError(`The referral has changed since "${last.label}", so it stays. Reply with the right word instead`, 'undo_changed', 409);
  const at = ctx.now.toISOString();
  const r: Referral = {
    ...last.before,
    // Counters only move forward: a step id or event number is never used twice.
    stepSeq: Math.max(last.before.stepSeq, current.stepSeq),
    eventSeq: current.eventSeq,
    version: current.version,
    updatedAt: at,
    timeline: [...current.timeline, { at, via: ctx.via, actor: ctx.actorId, type: 'action', kind: 'undo', text: `undid: ${last.label.toLowerCase()}` }],
  };
  if (r.status !== current.status) r.timeline.push({ at, via: ctx.via, actor: ctx.actorId, type: 'status', status: r.status, text: `back to ${r.status.replace(/_/g, ' ')} (undone)` });
  const fx = noEffects();
  for (const to of last.told.filter((p) => p !== 'prospect')) fx.emails.push({ kind: 'notice', to, notice: 'undone', text: last.label });
  fx.emails.push({ kind: 'confirmation', to: last.role, text: `Undone: ${last.label.toLowerCase()} is taken back${r.status !== current.status ? `, and the referral is back to ${r.status.replace(/_/g, ' ')}` : ''}.` });
  return { referral: r, effects: fx };
}

/** won or lost: experience check for the prospect, the quality question, and (won) the give-back nudge. */
function afterOutcome(r: Referral, fx: Effects, ctx: ActionContext, won: boolean) {
  if (r.consent && r.prospect.email && !r.prospectBounced) {
    fx.schedule.push({ kind: 'experience_check', anchor: ctx.now });
  }
  fx.emails.push({ kind: 'quality_question', to: 'provider' });
  if (won) {
    fx.emails.push({ kind: 'give_back', to: 'provider' });
    // A year on, the provider is reminded to thank the customer (core/rules.ts decides whether it still goes).
    fx.schedule.push({ kind: 'anniversary', anchor: ctx.now });
  }
}

export function mergeCancel(a: Effects['cancel'], b: Effects['cancel']): Effects['cancel'] {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...a, ...b])];
}
