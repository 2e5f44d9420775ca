/**
 * The pure core: one typed `Command` in, one `ReferralChange` out (CORE-PLAN.md's interface with the
 * storage side). No I/O: the caller loads the state, stores the change in one transaction and lets
 * the outbox deliver `effects.emails`; steps to run are `state.pending` (the consumer schedules and
 * cancels the difference). A command the rule book does not allow throws a named refusal
 * (ForbiddenError → 403, DomainError → 409, ValidationError → 422: src/domain/errors.ts).
 */
import type { Group, Member, Referral, TimelineEvent, Via } from '../../domain/types.js';
import type { NewReferral } from '../log-referral.js';
import { decideAction, mergeCancel, type ActionInput } from '../decide-action.js';
import { decideStep, stepsWhenLogged, stepsWhenNeedsInfo } from '../decide-step.js';
import type { EmailIntent, Effects } from '../effects.js';
import { applyPlanning } from '../planning.js';
import { isFinal } from '../decide-action.js';
import type { ActorRole } from './rules.js';

/** What one command does to one referral: the new state, the new timeline events, the emails. */
export interface ReferralChange {
  /** New state; steps to run are state.pending. */
  state: Referral;
  /** NEW events only, in order. */
  events: TimelineEvent[];
  effects: { emails: EmailIntent[] };
}

/** Every way in that changes an existing referral, typed. */
export type Command =
  /** A web button, an API call or a reply word (already mapped by the rule book), by someone in a role. */
  | { type: 'act'; input: ActionInput; by: { role: ActorRole; actorId: string; via: Via } }
  /** A timed step fires (EventBridge Scheduler, or the local scheduler). */
  | { type: 'run_step'; stepId: string }
  /** An admin removed the member who holds this referral as provider. */
  | { type: 'provider_removed'; member: Pick<Member, 'id' | 'name'>; adminId: string }
  /** A member replied `stop`: their optional emails end; the referral itself is not touched. */
  | { type: 'member_stop'; role: 'provider' | 'referrer'; actorId: string }
  /** SES says the prospect's address bounced for good, or the prospect marked our email as spam. */
  | { type: 'prospect_bounced'; feedback: 'bounce' | 'complaint' };

/** A new referral from the form, the API or an email (the rules that need reads, such as the 30-day duplicate, are checked before). */
export interface CreateCommand {
  type: 'create';
  id: string;
  input: NewReferral;
  by: { via: Via; actorId: string };
}

/** What a create does: the first state (with its first steps pending), the `created` event, the receipt and notice. */
export function decideCreate(command: CreateCommand, ctx: DecideContext): ReferralChange {
  const { input, by } = command;
  const at = ctx.now.toISOString();
  const needsInfo = !input.providerId || !!input.needsInfo;
  const created: TimelineEvent = {
    at,
    via: by.via,
    actor: by.actorId,
    type: 'created',
    status: needsInfo ? 'needs_info' : 'logged',
    text: needsInfo
      ? `logged by email; still missing: ${(input.needsInfo?.missing ?? ['provider']).join(', ')}`
      : `logged${input.introducedByReferrer ? ' (the referrer introduced them by email)' : ''}${input.consent ? '' : ' without consent to contact the prospect'}`,
  };
  const draft: Referral = {
    id: command.id,
    groupId: input.groupId,
    status: needsInfo ? 'needs_info' : 'logged',
    source: input.source,
    referrerId: input.referrerId,
    providerId: input.providerId,
    prospect: { ...input.prospect, email: input.prospect.email?.toLowerCase() },
    need: input.need,
    temperature: input.temperature,
    consent: input.consent,
    note: input.note,
    ...(input.introLine ? { introLine: input.introLine } : {}),
    introducedByReferrer: input.introducedByReferrer || undefined,
    introAt: input.introducedByReferrer ? at : undefined,
    needsInfo: input.needsInfo,
    messageId: input.messageId,
    unansweredProgressRequests: 0,
    pending: [],
    stepSeq: 0,
    timeline: [created],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const plans = needsInfo ? stepsWhenNeedsInfo(ctx.now) : stepsWhenLogged(draft, ctx.now);
  const planned = applyPlanning(draft, { cancel: [], schedule: plans }, ctx.group);
  const emails: EmailIntent[] = needsInfo
    ? [{ kind: 'needs_info', to: 'referrer' }]
    : [
        { kind: 'receipt', to: 'referrer' },
        { kind: 'provider_notice', to: 'provider' },
      ];
  return { state: planned.referral, events: [created], effects: { emails } };
}

export interface DecideContext {
  now: Date;
  group: Group;
  /** The prospect's address is on the suppression list (timed steps re-check it). */
  prospectSuppressed?: boolean;
  /** The provider turned anniversary asks off (the anniversary step re-checks it). */
  providerAnniversaryOff?: boolean;
}

/** The provider removed while holding this open referral; its referrer must re-plan. */
const heldOpenBy = (r: Referral, memberId: string) => r.providerId === memberId && !isFinal(r.status) && r.status !== 'needs_info';

/**
 * Decides what `command` does to `state`. Returns null when there is nothing to store (a step no
 * longer pending, a removal already handled): redelivered commands are harmless.
 */
export function decide(state: Referral, command: Command, ctx: DecideContext): ReferralChange | null {
  const decided = decideEffects(state, command, ctx);
  if (!decided) return null;
  const planned = applyPlanning(decided.referral, decided.effects, ctx.group);
  return {
    state: planned.referral,
    events: planned.referral.timeline.slice(state.timeline.length),
    effects: { emails: decided.effects.emails },
  };
}

/** The decision before planning: the referral with its new events appended, and the effects. */
export function decideEffects(state: Referral, command: Command, ctx: DecideContext): { referral: Referral; effects: Effects } | null {
  const at = ctx.now.toISOString();
  switch (command.type) {
    case 'act':
      return decideAction(state, command.input, { ...command.by, now: ctx.now, settings: ctx.group.settings, groupCurrency: ctx.group.currency });
    case 'run_step': {
      const step = state.pending.find((p) => p.id === command.stepId);
      if (!step) return null;
      const withoutStep = { ...state, pending: state.pending.filter((p) => p.id !== step.id) };
      const decision = decideStep(withoutStep, step.kind, { now: ctx.now, settings: ctx.group.settings, prospectSuppressed: ctx.prospectSuppressed ?? false, providerAnniversaryOff: ctx.providerAnniversaryOff });
      if (!decision.run) {
        decision.referral.timeline.push({ at, via: 'schedule', actor: 'system', type: 'skipped', kind: step.kind, text: `${step.kind.replace(/_/g, ' ')} not sent: ${decision.reason}` });
      }
      return { referral: decision.referral, effects: decision.effects };
    }
    case 'provider_removed': {
      if (!heldOpenBy(state, command.member.id) || state.removedProviderId === command.member.id) return null;
      return {
        referral: {
          ...state,
          removedProviderId: command.member.id,
          updatedAt: at,
          timeline: [
            ...state.timeline,
            { at, via: 'web', actor: `admin:${command.adminId}`, type: 'info', kind: 'member_removed', text: `${command.member.name} was removed from the group; the referrer can choose another provider` },
          ],
        },
        effects: {
          emails: [{ kind: 'notice', to: 'referrer', notice: 'member_removed', text: `Reply "provider: <name>" to pass this referral to another member, or ask an admin to reassign it.` }],
          schedule: [],
          // The intro would introduce the prospect to someone who left; the chasers would chase them.
          cancel: mergeCancel([], ['intro', 'thank_you_prompt', 'contact_reminder', 'escalation']),
        },
      };
    }
    case 'prospect_bounced':
      if (state.prospectBounced) return null;
      return {
        referral: {
          ...state,
          prospectBounced: true,
          timeline: [...state.timeline, { at, via: 'system', actor: 'system', type: 'info', kind: 'bounce', text: command.feedback === 'bounce' ? 'email to prospect bounced' : 'the prospect marked our email as spam' }],
        },
        effects: {
          emails: [
            { kind: 'notice', to: 'referrer', notice: 'bounced' },
            { kind: 'notice', to: 'provider', notice: 'bounced' },
          ],
          schedule: [],
          cancel: ['intro', 'connection_check', 'experience_check'],
        },
      };
    case 'member_stop':
      return {
        referral: {
          ...state,
          timeline: [...state.timeline, { at, via: 'reply', actor: command.actorId, type: 'action', kind: 'optional_emails_off', text: 'turned off optional emails (digest, give-back nudges, campaigns)' }],
        },
        effects: { emails: [], schedule: [], cancel: [] },
      };
  }
}
