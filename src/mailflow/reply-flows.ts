import { DomainError, ValidationError } from '../domain/errors.js';
import type { Member, Referral } from '../domain/types.js';
import { matchMembers } from '../inbound/roster-match.js';
import { readProspectLine } from '../inbound/note-directives.js';
import { membersNamed } from '../members/members-named.js';
import type { RelayDeps } from '../referrals/deps.js';
import { isFinal } from '../referrals/decide-action.js';
import { stepsWhenLogged } from '../referrals/decide-step.js';
import type { EmailIntent, StepPlan } from '../referrals/effects.js';
import { commitReferralChange } from '../referrals/engine.js';
import { assertReferralAllowed, duplicateGuard, duplicateRefusal, logReferral } from '../referrals/log-referral.js';
import { GuardTakenError, type Guard } from '../store/referral-store.js';

/** The referral is open and its provider has been removed from the group (see members/removal.ts). */
async function heldByRemovedProvider(deps: RelayDeps, referral: Referral): Promise<boolean> {
  if (!referral.providerId || referral.status === 'needs_info' || isFinal(referral.status)) return false;
  return (await deps.store.getMember(referral.providerId))?.status === 'removed';
}

/**
 * The referrer's `provider: …` / `prospect: …`: completes a needs-info draft, or re-plans a referral
 * whose introduction has not gone yet (a replaced provider is told). After the intro only an admin
 * can reassign — except when the provider was removed from the group: then the referrer may always
 * name a new provider, who gets the notice and fresh reminders.
 */
export async function completeOrReplan(deps: RelayDeps, referral: Referral, what: 'provider' | 'prospect', value: string, guards: Guard[] = []): Promise<void> {
  const providerRemoved = what === 'provider' && (await heldByRemovedProvider(deps, referral));
  if (!providerRemoved && referral.status !== 'needs_info' && (referral.introAt || referral.status !== 'logged')) {
    throw new DomainError('The introduction has gone out already; ask an admin of your group to reassign it', 'intro_sent', 409);
  }
  let providerId = referral.providerId;
  let prospect = referral.prospect;
  if (what === 'provider') {
    const found = await membersNamed(deps.store, referral.groupId, value);
    if (found.length !== 1) {
      throw new ValidationError(
        found.length === 0 ? `No member matches "${value}"` : `"${value}" could be ${found.map((m) => `${m.name} (${m.email})`).join(' or ')}; reply with the email address`,
      );
    }
    providerId = found[0]!.id;
  } else {
    const line = readProspectLine(value);
    if (!line.name && !line.email) throw new ValidationError('Write the prospect as: prospect: Name <email> (phone)');
    prospect = { ...prospect, ...Object.fromEntries(Object.entries(line).filter(([, v]) => v)), name: line.name ?? prospect.name ?? line.email ?? '' };
  }
  const { members } = await deps.store.getGroupAndMembers(referral.groupId, [referral.referrerId, ...(providerId ? [providerId] : [])]);
  assertReferralAllowed({ groupId: referral.groupId, referrerId: referral.referrerId, providerId }, members.get(referral.referrerId), providerId ? members.get(providerId) : undefined);
  // A new provider / prospect pair claims its duplicate key with the change (the old pair's is released).
  const email = prospect.email?.toLowerCase();
  const samePair = providerId === referral.providerId && email === referral.prospect.email?.toLowerCase() && referral.status !== 'needs_info';
  const dup = samePair ? [] : duplicateGuard(referral.id, providerId, email, deps.clock.now());
  try {
    await replan(deps, referral, what, providerId, prospect, providerRemoved, [...guards, ...dup]);
  } catch (err) {
    if (err instanceof GuardTakenError && err.key === dup[0]?.key) throw await duplicateRefusal(deps, err.key, providerId ? members.get(providerId) : undefined, email!);
    throw err;
  }
}

async function replan(deps: RelayDeps, referral: Referral, what: 'provider' | 'prospect', providerId: string | undefined, prospect: Referral['prospect'], providerRemoved: boolean, guards: Guard[]) {
  await commitReferralChange(
    deps,
    referral.id,
    (current) => {
      const now = deps.clock.now();
      const at = now.toISOString();
      const r: Referral = { ...current, providerId, prospect, timeline: [], updatedAt: at };
      const emails: EmailIntent[] = [];
      const missing = [...(!providerId ? ['provider'] : []), ...(!prospect.name ? ['prospect'] : [])];
      if (current.status === 'needs_info') {
        if (missing.length > 0) {
          r.needsInfo = { ...current.needsInfo, missing };
          r.timeline.push({ at, via: 'reply', actor: current.referrerId, type: 'info', text: `${what} added; still missing: ${missing.join(', ')}` });
          return { referral: r, effects: { emails: [{ kind: 'needs_info', to: 'referrer' }], schedule: [], cancel: [] } };
        }
        r.status = 'logged';
        r.needsInfo = undefined;
        r.timeline.push({ at, via: 'reply', actor: current.referrerId, type: 'status', status: 'logged', text: `logged: ${what} given by the referrer` });
        return {
          referral: r,
          effects: {
            emails: [{ kind: 'receipt', to: 'referrer' }, { kind: 'provider_notice', to: 'provider' }],
            schedule: stepsWhenLogged(r, now),
            cancel: ['needs_info_reminder', 'needs_info_expiry'],
          },
        };
      }
      if (providerRemoved) {
        // Re-checked on the freshest copy: an admin may have reassigned it in the meantime.
        if (current.providerId !== referral.providerId || isFinal(current.status)) return undefined;
        r.timeline.push({ at, via: 'reply', actor: current.referrerId, type: 'action', kind: 'replan', text: 'provider changed by the referrer after the previous provider was removed' });
        const schedule: StepPlan[] = [
          { kind: 'thank_you_prompt', anchor: now },
          { kind: 'progress_request', anchor: now },
        ];
        if (!r.introAt && r.consent && r.prospect.email) schedule.push({ kind: 'intro', anchor: now });
        // Introduced already: the new provider is chased from now, as the old one was from the intro.
        if (r.introAt && !r.firstContactAt) schedule.push({ kind: 'contact_reminder', anchor: now }, { kind: 'escalation', anchor: now });
        return { referral: r, effects: { emails: [{ kind: 'provider_notice', to: 'provider' }, { kind: 'receipt', to: 'referrer' }], schedule, cancel: [] } };
      }
      r.timeline.push({ at, via: 'reply', actor: current.referrerId, type: 'action', kind: 'replan', text: `${what} changed by the referrer before the introduction` });
      if (what === 'provider' && current.providerId !== providerId) {
        if (current.providerId) emails.push({ kind: 'notice', to: 'provider', memberId: current.providerId, notice: 'provider_replaced' });
        emails.push({ kind: 'provider_notice', to: 'provider' });
      }
      emails.push({ kind: 'receipt', to: 'referrer' });
      // The intro and its follow-ups are re-planned for the new parties.
      return { referral: r, effects: { emails, schedule: stepsWhenLogged(r, now).filter((p) => p.kind === 'intro'), cancel: ['intro'] } };
    },
    'reply',
    { guards },
  );
}

/**
 * The referrer's answer to "Did you mean Sam Ortiz or Sam Lee?" in one word ("Lee", "photographer",
 * "Ortiz Plumbing"): the one candidate it names, else undefined (the reply is then not understood).
 */
export async function providerFromOneWord(deps: RelayDeps, referral: Referral, text: string): Promise<Member | undefined> {
  if (referral.status !== 'needs_info' || !referral.needsInfo?.missing.includes('provider')) return undefined;
  const answer = text.split('\n').map((line) => line.trim()).find((line) => line !== '');
  if (!answer || answer.length > 60 || answer.split(/\s+/).length > 4) return undefined;
  const active = (await deps.store.listMembers(referral.groupId)).filter((m) => m.status === 'active' && m.id !== referral.referrerId);
  const asked = new Set((referral.needsInfo.candidates ?? []).map((c) => c.id));
  const pool = asked.size > 0 ? active.filter((m) => asked.has(m.id)) : active;
  const found = matchMembers(answer.replace(/[.!?]+$/, ''), pool);
  return found.length === 1 ? found[0] : undefined;
}

/** The referrer's `ok` after a pass that named a member: re-refer the same prospect to them. */
export async function confirmRereferral(deps: RelayDeps, referral: Referral, guards: Guard[] = []): Promise<Referral> {
  if (referral.status !== 'passed' || !referral.passSuggestionId) {
    throw new DomainError('There is no re-referral waiting for your ok on this referral', 'nothing_to_confirm', 409);
  }
  const { referral: next } = await logReferral(
    deps,
    {
      groupId: referral.groupId,
      referrerId: referral.referrerId,
      providerId: referral.passSuggestionId,
      prospect: referral.prospect,
      need: referral.need,
      temperature: referral.temperature,
      consent: referral.consent,
      note: referral.note,
      source: 'reply',
    },
    { via: 'reply', actorId: referral.referrerId, idempotency: { key: `rerefer:${referral.id}` }, guards },
  );
  return next;
}

/** The provider's `refer Name <email> <need>` (give-back): a new referral to this referral's referrer. */
export async function giveBack(deps: RelayDeps, referral: Referral, refer: { name: string; email: string; need: string }, providerId: string, guards: Guard[] = []): Promise<Referral> {
  const { referral: next } = await logReferral(
    deps,
    {
      groupId: referral.groupId,
      referrerId: providerId,
      providerId: referral.referrerId,
      prospect: { name: refer.name, email: refer.email },
      need: refer.need,
      // Consent is stated by the provider, as in logging by email.
      consent: true,
      source: 'reply',
    },
    { via: 'reply', actorId: providerId, guards },
  );
  return next;
}
