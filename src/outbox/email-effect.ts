/**
 * Carries out one email effect from the outbox, idempotently by its id: claim (a conditional update
 * with a lease), send, then mark it sent with SES's message id together with its `type: "email"`
 * timeline event (one transaction). A redelivered stream record finds it sent and sends nothing; a
 * failed send is marked failing and retried later through the scheduler, or parked after a day.
 */
import type { Group, Member, Referral, TimelineEvent } from '../domain/types.js';
import type { OutgoingEmail } from '../mail/mail-sender.js';
import { signReplyAddress } from '../mail/reply-token.js';
import { renderEmail } from '../mail/render.js';
import { composeEmailData } from '../referrals/compose-email.js';
import { partiesOf } from '../referrals/effects.js';
import type { RelayDeps } from '../referrals/deps.js';
import { helpWords } from '../replies/valid-commands.js';
import { ProspectChangedError, type OutboxEmail } from '../store/referral-store.js';
import { eraseProspectFrom } from '../referrals/erase.js';
import { AddressHints } from './address-hints.js';
import { isThrottling, nextAttempt } from './retry-policy.js';

/** This process's guesses of members' addresses: one read fewer per email when right. */
const addressHints = new AddressHints();

/** Long enough for one render and one SES call; a sender that dies mid-way loses the claim after it. */
const LEASE_MS = 120_000;

export type EmailEffectOutcome = 'sent' | 'skipped' | 'failing' | 'parked' | 'done' | 'leased';

/** What sending one effect amounts to: a message, or a reason not to send it. */
type Prepared = ({ skip: string; suppressed?: true } | { email: OutgoingEmail; to: string; cc?: string[] }) & { referral?: Referral };

export async function deliverEmailEffect(deps: RelayDeps, referralId: string, effectId: string): Promise<EmailEffectOutcome> {
  const realNow = new Date();
  deps.log.appendKeys?.({ referralId });
  const effect = await deps.store.claimEmailEffect(referralId, effectId, new Date(realNow.getTime() + LEASE_MS), realNow);
  if (!effect) {
    const seen = await deps.store.getEmailEffect(referralId, effectId);
    if (seen?.status !== 'sending') return 'done';
    // Another sender holds it (or died holding it): look again when its lease is over.
    const leaseLeft = Math.max(0, Number((seen as { leaseUntil?: number }).leaseUntil ?? 0) - realNow.getTime());
    await deps.scheduler.scheduleEffectRetry({ effectId, referralId, attempt: seen.attempts, reason: 'leased', due: new Date(deps.clock.now().getTime() + leaseLeft + 1000) });
    return 'leased';
  }
  const at = deps.clock.now().toISOString();
  const event = (e: Omit<TimelineEvent, 'at' | 'via' | 'actor' | 'kind'>): TimelineEvent => ({ at, via: effect.via, actor: 'system', kind: effect.intent.kind, ...e });
  try {
    const prepared = await prepare(deps, effect);
    if ('skip' in prepared) {
      await deps.store.finishEmailEffect(effect, { status: 'skipped', event: event({ type: 'skipped', text: `${effect.intent.kind.replace(/_/g, ' ')} not sent: ${prepared.skip}` }) });
      if (prepared.suppressed) deps.metrics?.count('EmailSuppressed', { kind: effect.intent.kind });
      return 'skipped';
    }
    const { messageId } = await deps.mail.send(prepared.email);
    const sent = event({ type: 'email', to: prepared.to, ...(prepared.cc ? { cc: prepared.cc } : {}), messageId, text: prepared.email.subject });
    const prospect = prepared.referral?.prospect;
    try {
      await deps.store.finishEmailEffect(effect, { status: 'sent', messageId, event: sent }, prospect?.name);
    } catch (err) {
      if (!(err instanceof ProspectChangedError) || !prepared.referral) throw err;
      // The prospect was erased while this email was on its way: its event keeps no trace of them.
      await deps.store.finishEmailEffect(effect, { status: 'sent', messageId, event: eraseProspectFrom({ ...prepared.referral, timeline: [sent] }).timeline[0]! });
    }
    deps.metrics?.count('EmailSent', { kind: effect.intent.kind });
    return 'sent';
  } catch (err) {
    return fail(deps, effect, err);
  }
}

async function fail(deps: RelayDeps, effect: OutboxEmail, err: unknown): Promise<'failing' | 'parked'> {
  const now = deps.clock.now();
  const since = effect.failingSince ? new Date(effect.failingSince) : now;
  const { nextAttemptAt } = nextAttempt(effect.attempts, since, now, isThrottling(err));
  deps.metrics?.count('EmailFailed', { kind: effect.intent.kind });
  deps.log.error('email failed', { referralId: effect.referralId, effectId: effect.effectId, kind: effect.intent.kind, attempts: effect.attempts, err: String(err), retryAt: nextAttemptAt?.toISOString() });
  await deps.store.failEmailEffect(effect, { at: now, error: String((err as Error)?.message ?? err), nextAttemptAt });
  if (!nextAttemptAt) return 'parked';
  await deps.scheduler.scheduleEffectRetry({ effectId: effect.effectId, referralId: effect.referralId, attempt: effect.attempts, due: nextAttemptAt });
  return 'failing';
}

/** Addresses, checks and renders the email from the referral as it is now. */
async function prepare(deps: RelayDeps, effect: OutboxEmail): Promise<Prepared> {
  const { intent } = effect;
  // The referral, its group and everyone the email may name, in one read: the effect says who they
  // were when it was asked for. Read again only if the referral has moved on since (a new provider).
  // Whether the address it last went to is suppressed comes with them (see address-hints.ts).
  const asked = effect.people ?? [];
  const read = await deps.store.getReferralAndParties(effect.referralId, effect.groupId, asked, effect.recipientId && addressHints.get(effect.recipientId));
  const r = read.referral;
  if (!r) return { skip: 'the referral no longer exists' };
  const ids = partiesOf(r, intent);
  const sameParties = r.groupId === effect.groupId && ids.every((id) => asked.includes(id));
  const { group, members } = sameParties ? read : await deps.store.getGroupAndMembers(r.groupId, ids);
  if (!group) return { skip: 'the group no longer exists' };
  const referrer = members.get(r.referrerId);
  if (!referrer) return { skip: 'the referrer no longer exists' };
  const provider = r.providerId ? members.get(r.providerId) : undefined;
  const target = intent.memberId ? members.get(intent.memberId) : undefined;
  const member = intent.to === 'prospect' ? undefined : (target ?? (intent.to === 'provider' ? provider : referrer));
  const to = intent.to === 'prospect' ? r.prospect.email : member?.email;
  if (!to) return { skip: `no address for the ${intent.to}` };
  if (member) addressHints.set(member.id, to);
  const suppressed = sameParties && read.suppression?.address === to.toLowerCase() ? read.suppression.suppressed : await deps.store.isSuppressed(to, r.groupId);
  if (suppressed) return { skip: `${intent.to === 'prospect' ? "the prospect's" : 'the'} address is suppressed`, suppressed: true };
  if (intent.kind === 'give_back' && member?.optionalEmailsOff) return { skip: 'the provider turned off optional emails' };
  return { ...compose(deps, r, group, { referrer, provider, member, suggested: intent.suggestedMemberId ? members.get(intent.suggestedMemberId) : undefined }, effect, to), to, referral: r };
}

function compose(deps: RelayDeps, r: Referral, group: Group, people: { referrer: Member; provider?: Member; member?: Member; suggested?: Member }, effect: OutboxEmail, to: string) {
  const { intent } = effect;
  const data = composeEmailData(intent, {
    group,
    referral: r,
    referrer: people.referrer,
    provider: people.provider,
    suggested: people.suggested,
    recipientName: intent.to === 'prospect' ? r.prospect.name : (people.member?.name ?? ''),
    webBaseUrl: deps.config.webBaseUrl,
    sessionSecret: deps.config.sessionSecret,
  });
  // An answer to a reply (help, unknown sender) is about the email being answered: its words and its Reply-To.
  if (intent.answering && intent.kind === 'help') {
    data.replyWords = helpWords(intent.to, intent.answering, r);
    data.answer = intent.answer;
  }
  if (intent.notice === 'unknown_sender' && intent.address) data.notice = { reason: 'unknown_sender', address: intent.address };
  const email = renderEmail(intent.kind, data);
  const cc = intent.kind === 'intro' ? [people.provider?.email, people.referrer.email].filter((a): a is string => !!a) : undefined;
  // The introduction's replies go to the provider, so the conversation leaves the system.
  const replyTo =
    intent.kind === 'intro'
      ? people.provider
        ? [people.provider.email]
        : undefined
      : [signReplyAddress({ referralId: r.id, kind: intent.answering ?? intent.kind, recipient: intent.to }, deps.config.replyKeys, deps.config.inboundDomain)];
  return {
    email: {
      to: [to], cc, replyTo, subject: email.subject, html: email.html, text: email.text, tags: { referral: r.id, kind: intent.kind },
      // The referrer is the reason the prospect and the provider hear from us; the referrer hears from the group.
      fromName: intent.to === 'referrer' ? group.name : `${people.referrer.name} via ${group.name}`,
      // RFC 8058 one-click unsubscribe on optional emails (give-back nudges).
      ...(data.links?.unsubscribe ? { headers: { 'List-Unsubscribe': `<${data.links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
    } satisfies OutgoingEmail,
    ...(cc ? { cc } : {}),
  };
}
