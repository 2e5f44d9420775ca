import { NotFoundError, StaleWriteError } from '../domain/errors.js';
import type { Group, Member, Referral, StepKind, TimelineEvent, Via } from '../domain/types.js';
import { signReplyAddress } from '../mail/reply-token.js';
import { renderEmail } from '../mail/render.js';
import { membersNamed } from '../members/members-named.js';
import type { RelayDeps } from './deps.js';
import { composeEmailData } from './compose-email.js';
import { decideAction, type ActionContext, type ActionInput, type ActorRole } from './decide-action.js';
import { decideStep } from './decide-step.js';
import type { EmailIntent, Effects } from './effects.js';
import { applyPlanning, type Planned } from './planning.js';
import { raiseReferralWebhooks } from '../webhooks/raise.js';

const MAX_ATTEMPTS = 6;

export async function loadGroup(deps: RelayDeps, id: string): Promise<Group> {
  const group = await deps.store.getGroup(id);
  if (!group) throw new NotFoundError('group');
  return group;
}

/**
 * Runs `decide` against the freshest referral and stores the result conditionally; on a lost race
 * it re-reads and decides again, so no update is ever lost or applied to stale state.
 * New steps are scheduled before the write (their ids are deterministic and dispatch re-checks
 * `pending`, so a failed write leaves only harmless orphans); cancelled steps after it.
 */
export async function commitReferralChange(
  deps: RelayDeps,
  referralId: string,
  decide: (current: Referral, group: Group) => Promise<{ referral: Referral; effects: Effects } | undefined> | { referral: Referral; effects: Effects } | undefined,
  via: Via,
): Promise<Referral | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getReferral(referralId);
    if (!current) throw new NotFoundError('referral');
    const group = await loadGroup(deps, current.groupId);
    const decision = await decide(current, group);
    if (!decision) return undefined;
    const planned = applyPlanning(decision.referral, decision.effects, group);
    await scheduleAdded(deps, planned);
    let saved: Referral;
    try {
      saved = await deps.store.updateReferral(planned.referral);
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
    await cancelRemoved(deps, planned);
    const delivered = await deliver(deps, saved, group, decision.effects.emails, via);
    await raiseReferralWebhooks(deps, current, saved);
    return delivered;
  }
}

export async function scheduleAdded(deps: RelayDeps, planned: Planned) {
  for (const step of planned.added) {
    await deps.scheduler.schedule({ stepId: step.id, referralId: planned.referral.id, kind: step.kind, due: new Date(step.due) });
  }
}

export async function cancelRemoved(deps: RelayDeps, planned: Planned) {
  for (const step of planned.removed) {
    await deps.scheduler.cancel(step.id).catch((err: unknown) => deps.log.warn('cancel failed; dispatch will skip it', { stepId: step.id, err: String(err) }));
  }
}

/** An action from the web, the API or a reply: one code path for all three. */
export async function performAction(
  deps: RelayDeps,
  referralId: string,
  input: ActionInput,
  actor: { role: ActorRole; actorId: string; via: Via },
): Promise<Referral> {
  if (input.action === 'pass' && input.text && !input.suggestedMemberId) input = { ...input, suggestedMemberId: await suggestedByPass(deps, referralId, input.text) };
  const saved = await commitReferralChange(
    deps,
    referralId,
    (current, group) => {
      const ctx: ActionContext = { ...actor, now: deps.clock.now(), settings: group.settings, groupCurrency: group.currency };
      return decideAction(current, input, ctx);
    },
    actor.via,
  );
  return saved!;
}

/** The one other active member a `pass` names ("Tom is better for this"), if exactly one. */
async function suggestedByPass(deps: RelayDeps, referralId: string, text: string): Promise<string | undefined> {
  const r = await deps.store.getReferral(referralId);
  if (!r) return undefined;
  const found = (await membersNamed(deps.store, r.groupId, text)).filter((m) => m.id !== r.providerId && m.id !== r.referrerId);
  return found.length === 1 ? found[0]!.id : undefined;
}

/**
 * A timed step fires (EventBridge Scheduler in AWS, the local scheduler here): the same code path.
 * The step is claimed by removing it from `pending` in the conditional write that stores the outcome,
 * so a second delivery finds nothing pending and sends nothing.
 */
export async function dispatchStep(deps: RelayDeps, step: { stepId: string; referralId: string; kind: StepKind }): Promise<'sent' | 'skipped' | 'not_pending'> {
  let outcome: 'sent' | 'skipped' | 'not_pending' = 'not_pending';
  try {
    await commitReferralChange(
    deps,
    step.referralId,
    async (current, group) => {
      const pending = current.pending.find((p) => p.id === step.stepId);
      if (!pending) {
        outcome = 'not_pending';
        return undefined;
      }
      const withoutStep = { ...current, pending: current.pending.filter((p) => p.id !== step.stepId) };
      const now = deps.clock.now();
      const prospectSuppressed = current.prospect.email ? await deps.store.isSuppressed(current.prospect.email, current.groupId) : false;
      // Only the anniversary ask depends on the provider's own choice (`stop` to it, or to optional emails).
      const provider = pending.kind === 'anniversary' && current.providerId ? await deps.store.getMember(current.providerId) : undefined;
      const providerAnniversaryOff = !!(provider?.anniversaryAsksOff || provider?.optionalEmailsOff);
      const decision = decideStep(withoutStep, pending.kind, { now, settings: group.settings, prospectSuppressed, providerAnniversaryOff });
      if (!decision.run) {
        outcome = 'skipped';
        decision.referral.timeline.push({ at: now.toISOString(), via: 'schedule', actor: 'system', type: 'skipped', kind: pending.kind, text: `${pending.kind.replace(/_/g, ' ')} not sent: ${decision.reason}` });
        return { referral: decision.referral, effects: decision.effects };
      }
      outcome = 'sent';
      return { referral: decision.referral, effects: decision.effects };
    },
    'schedule',
    );
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    // An erased or never-stored referral: nothing to do, and nothing a retry could fix.
    deps.log.warn('step for an unknown referral', step);
  }
  return outcome;
}

interface Parties {
  referrer: Member;
  provider?: Member;
}

async function loadParties(deps: RelayDeps, r: Referral): Promise<Parties> {
  const referrer = await deps.store.getMember(r.referrerId);
  if (!referrer) throw new NotFoundError('referrer');
  const provider = r.providerId ? await deps.store.getMember(r.providerId) : undefined;
  return { referrer, provider };
}

/**
 * Sends the emails a change asked for and records each as a timeline event with the SES message id.
 * A suppressed address (bounce, complaint, stop) is skipped and the skip recorded.
 */
export async function deliver(deps: RelayDeps, referral: Referral, group: Group, intents: EmailIntent[], via: Via): Promise<Referral> {
  if (intents.length === 0) return referral;
  const parties = await loadParties(deps, referral);
  const events: TimelineEvent[] = [];
  for (const intent of intents) {
    try {
      events.push(await sendOne(deps, referral, group, parties, intent, via));
    } catch (err) {
      deps.log.error('email failed', { referralId: referral.id, kind: intent.kind, err: String(err) });
      events.push({ at: deps.clock.now().toISOString(), via, actor: 'system', type: 'skipped', kind: intent.kind, text: `${intent.kind.replace(/_/g, ' ')} could not be sent` });
    }
  }
  return appendTimeline(deps, referral.id, events);
}

export async function appendTimeline(deps: RelayDeps, referralId: string, events: TimelineEvent[]): Promise<Referral> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getReferral(referralId);
    if (!current) throw new NotFoundError('referral');
    try {
      return await deps.store.updateReferral({ ...current, timeline: [...current.timeline, ...events] });
    } catch (err) {
      if (err instanceof StaleWriteError && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

async function sendOne(deps: RelayDeps, r: Referral, group: Group, parties: Parties, intent: EmailIntent, via: Via): Promise<TimelineEvent> {
  const at = deps.clock.now().toISOString();
  const target = intent.memberId ? await deps.store.getMember(intent.memberId) : undefined;
  const member = intent.to === 'prospect' ? undefined : (target ?? (intent.to === 'provider' ? parties.provider : parties.referrer));
  const to = intent.to === 'prospect' ? r.prospect.email : member?.email;
  const skipped = (why: string): TimelineEvent => ({ at, via, actor: 'system', type: 'skipped', kind: intent.kind, text: `${intent.kind.replace(/_/g, ' ')} not sent: ${why}` });
  if (!to) return skipped(`no address for the ${intent.to}`);
  if (await deps.store.isSuppressed(to, r.groupId)) return skipped(`${intent.to === 'prospect' ? "the prospect's" : 'the'} address is suppressed`);
  if (intent.kind === 'give_back' && member?.optionalEmailsOff) return skipped('the provider turned off optional emails');

  const suggested = intent.suggestedMemberId ? await deps.store.getMember(intent.suggestedMemberId) : undefined;
  const data = composeEmailData(intent, {
    group,
    referral: r,
    referrer: parties.referrer,
    provider: parties.provider,
    suggested,
    recipientName: intent.to === 'prospect' ? r.prospect.name : (member?.name ?? ''),
    webBaseUrl: deps.config.webBaseUrl,
    sessionSecret: deps.config.sessionSecret,
  });
  const email = renderEmail(intent.kind, data);
  const cc = intent.kind === 'intro' ? [parties.provider?.email, parties.referrer.email].filter((a): a is string => !!a) : undefined;
  // The introduction's replies go to the provider, so the conversation leaves the system.
  const replyTo =
    intent.kind === 'intro'
      ? parties.provider
        ? [parties.provider.email]
        : undefined
      : [signReplyAddress({ referralId: r.id, kind: intent.kind, recipient: intent.to }, deps.config.replyKeys, deps.config.inboundDomain)];
  // RFC 8058 one-click unsubscribe on optional emails (give-back nudges).
  const headers = data.links?.unsubscribe ? { 'List-Unsubscribe': `<${data.links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined;
  const { messageId } = await deps.mail.send({ to: [to], cc, replyTo, subject: email.subject, html: email.html, text: email.text, tags: { referral: r.id, kind: intent.kind }, ...(headers ? { headers } : {}) });
  return { at, via, actor: 'system', type: 'email', kind: intent.kind, to, ...(cc ? { cc } : {}), messageId, text: email.subject };
}
