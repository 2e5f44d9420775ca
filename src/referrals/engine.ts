import { ConflictError, NotFoundError, StaleWriteError } from '../domain/errors.js';
import type { Group, PendingStep, Referral, StepKind, TimelineEvent, Via } from '../domain/types.js';
import { membersNamed } from '../members/members-named.js';
import type { Guard } from '../store/referral-store.js';
import type { RelayDeps } from './deps.js';
import { isFinal, type ActionInput, type ActorRole } from './decide-action.js';
import { decideEffects, type ReferralChange } from './core/decide.js';
import type { EmailIntent, Effects } from './effects.js';
import { duplicateKey } from './guards.js';
import { eraseProspectFrom } from './erase.js';
import { applyPlanning } from './planning.js';
import { jitteredBackoff, sleep, type Backoff } from '../domain/backoff.js';

/** Between tries of a write that lost a version race: 15 ms doubling, at most a second. */
const CONFLICT_BACKOFF: Backoff = { baseMs: 15, capMs: 1000 };

export type { ReferralChange };

/** Today's decisions push onto `referral.timeline`; decided on a state loaded with none, those are the new events. */
export type LegacyDecision = { referral: Referral; effects: Effects };

/** How long a change keeps retrying lost races before answering "busy" (never a 500). */
const CONFLICT_BUDGET_MS = 30_000;

export async function loadGroup(deps: RelayDeps, id: string): Promise<Group> {
  const group = await deps.store.getGroup(id);
  if (!group) throw new NotFoundError('group');
  return group;
}

/** Full-jitter exponential backoff: concurrent writers on one referral spread out instead of colliding again. */
export function conflictBackoff(attempt: number): Promise<void> {
  return sleep(jitteredBackoff(attempt, CONFLICT_BACKOFF));
}

/** Adapts a legacy decision to a {@link ReferralChange}: plans its steps onto `pending`, splits off the new events. */
export function toChange(decision: LegacyDecision, group: Group): ReferralChange {
  const planned = applyPlanning(decision.referral, decision.effects, group);
  return { state: { ...planned.referral, timeline: [] }, events: decision.referral.timeline, effects: { emails: decision.effects.emails } };
}

/** Duplicate keys a change gives back: the referral closed, or its provider or prospect changed. */
function releasedKeys(before: Referral, after: Referral): string[] {
  const held = (r: Referral) => (r.providerId && r.prospect.email && !isFinal(r.status) && r.status !== 'needs_info' ? duplicateKey(r.providerId, r.prospect.email) : undefined);
  const was = held(before);
  return was && was !== held(after) ? [was] : [];
}

export interface CommitOptions {
  /** Written in the same transaction (a reply's dedupe key, a new duplicate key). */
  guards?: Guard[];
}

/**
 * Runs `decide` against the freshest state and stores the whole change in one transaction: state
 * (version-checked), new events, one outbox item per email, guards. A lost race re-reads and decides
 * again after a jittered backoff. Emails and step schedules follow from the stored change (the
 * stream consumer), never inline. Returns the new state with the new events as its `timeline`.
 */
export async function commitReferralChange(
  deps: RelayDeps,
  referralId: string,
  decide: (current: Referral, group: Group) => Promise<LegacyDecision | undefined> | LegacyDecision | undefined,
  via: Via,
  opts: CommitOptions = {},
): Promise<Referral | undefined> {
  const started = Date.now();
  // Read once: the group is not part of the version-checked state, so a retry needs only the referral again.
  let group: Group | undefined;
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getReferralState(referralId);
    if (!current) throw new NotFoundError('referral');
    group ??= await loadGroup(deps, current.groupId);
    const decision = await decide(current, group);
    if (!decision) {
      for (const g of opts.guards ?? []) await deps.store.claimOnce(g.key, g.expiresAt, deps.clock.now());
      return undefined;
    }
    const change = toChange(decision, group);
    try {
      const saved = await deps.store.commitReferral({
        expectedVersion: current.version,
        state: change.state,
        events: change.events,
        emails: change.effects.emails.map((intent) => ({ intent, via })),
        guards: opts.guards ?? [],
        releases: releasedKeys(current, change.state),
        now: deps.clock.now(),
      });
      const stored = { ...saved, timeline: change.events };
      return stored;
    } catch (err) {
      if (!(err instanceof StaleWriteError)) throw err;
      if (Date.now() - started > CONFLICT_BUDGET_MS) throw new ConflictError('This referral is busy with other changes; try again in a moment');
      await conflictBackoff(attempt);
    }
  }
}

/** Stores timeline events (and optionally emails) that change nothing else on the referral. */
export async function recordEvents(deps: RelayDeps, referralId: string, events: TimelineEvent[], via: Via, opts: CommitOptions & { emails?: EmailIntent[] } = {}): Promise<Referral> {
  const saved = await commitReferralChange(
    deps,
    referralId,
    (current) => ({ referral: { ...current, timeline: events }, effects: { emails: opts.emails ?? [], schedule: [], cancel: [] } }),
    via,
    opts,
  );
  return saved!;
}

/** An action from the web, the API or a reply: one code path for all three. */
export async function performAction(
  deps: RelayDeps,
  referralId: string,
  input: ActionInput,
  actor: { role: ActorRole; actorId: string; via: Via },
  opts: CommitOptions = {},
): Promise<Referral> {
  if (input.action === 'pass' && input.text && !input.suggestedMemberId) input = { ...input, suggestedMemberId: await suggestedByPass(deps, referralId, input.text) };
  const erasing = input.action === 'erase_prospect' && actor.role === 'admin' ? await deps.store.getReferralState(referralId) : undefined;
  if (erasing) await eraseFromTimeline(deps, erasing);
  const saved = await commitReferralChange(
    deps,
    referralId,
    (current, group) => decideEffects(current, { type: 'act', input, by: actor }, { now: deps.clock.now(), group }) ?? undefined,
    actor.via,
    opts,
  );
  // Once more after the state is erased: an email's event written while the first pass ran is caught
  // here, and one written from now on finds the prospect changed and is scrubbed (email-effect.ts).
  if (erasing) await eraseFromTimeline(deps, erasing);
  return saved!;
}

/**
 * Erasing a prospect scrubs the stored events too (they are items of their own, not part of the
 * state the decision sees), with the same scrubber as the state (erase.ts): names and each part,
 * address, phone and company in every text and private text, the address in `to` / `cc` of any
 * email event. Done before the state change, so a crash in between leaves the prospect on the state
 * and a repeated erase finishes the job, and again after it (see performAction).
 */
async function eraseFromTimeline(deps: RelayDeps, r: Referral) {
  if (r.prospect.name === 'erased') return;
  await deps.store.rewriteTimeline(r.id, (e) => eraseProspectFrom({ ...r, timeline: [e] }).timeline[0]!);
}

/** The one other active member a `pass` names ("Tom is better for this"), if exactly one. */
async function suggestedByPass(deps: RelayDeps, referralId: string, text: string): Promise<string | undefined> {
  const r = await deps.store.getReferralState(referralId);
  if (!r) return undefined;
  const found = (await membersNamed(deps.store, r.groupId, text)).filter((m) => m.id !== r.providerId && m.id !== r.referrerId);
  return found.length === 1 ? found[0]!.id : undefined;
}

/**
 * A timed step fires (EventBridge Scheduler in AWS, the local scheduler here): the same code path.
 * The step is claimed by removing it from `pending` in the conditional write that stores the outcome,
 * so a second delivery finds nothing pending and sends nothing.
 */
/** `onPending` hears the step as planned (its due time) when it is still pending: the handler measures lateness. */
export async function dispatchStep(deps: RelayDeps, step: { stepId: string; referralId: string; kind: StepKind }, onPending?: (pending: PendingStep, groupId: string) => void): Promise<'sent' | 'skipped' | 'not_pending'> {
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
        onPending?.(pending, current.groupId);
        const prospectSuppressed = current.prospect.email ? await deps.store.isSuppressed(current.prospect.email, current.groupId) : false;
        // Only the anniversary ask depends on the provider's own choice (`stop` to it, or to optional emails).
        const provider = pending.kind === 'anniversary' && current.providerId ? await deps.store.getMember(current.providerId) : undefined;
        const providerAnniversaryOff = !!(provider?.anniversaryAsksOff || provider?.optionalEmailsOff);
        // The pure core (core/decide.ts) runs the step; the state has no timeline loaded, so its events are the new ones.
        const decision = decideEffects(current, { type: 'run_step', stepId: step.stepId }, { now: deps.clock.now(), group, prospectSuppressed, providerAnniversaryOff });
        if (!decision) {
          outcome = 'not_pending';
          return undefined;
        }
        outcome = decision.referral.timeline.some((e) => e.type === 'skipped' && e.kind === pending.kind) ? 'skipped' : 'sent';
        return decision;
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
