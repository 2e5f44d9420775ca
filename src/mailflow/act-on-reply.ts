import { DomainError } from '../domain/errors.js';
import type { EmailIntent } from '../referrals/effects.js';
import { turnOffAnniversaryAsks, turnOffOptionalEmails } from '../members/optional-emails.js';
import type { Group, Member, Referral, TimelineEvent } from '../domain/types.js';
import type { ParsedMail } from '../inbound/parse-mail.js';
import type { ReplyTokenPayload } from '../mail/reply-token.js';
import { extractReplyText } from '../replies/extract-reply-text.js';
import { parseCommand, type Command } from '../replies/parse-command.js';
import { isFinal, type ActionInput, type ActorRole } from '../referrals/decide-action.js';
import { actionForReply } from '../referrals/core/rules.js';
import type { Verb } from '../replies/types.js';
import { ANSWERS_PER_DAY, claimAnswer } from './answer-allowance.js';
import type { RelayDeps } from '../referrals/deps.js';
import { performAction, recordEvents } from '../referrals/engine.js';
import { replyKey } from '../referrals/guards.js';
import { GuardTakenError, type Guard } from '../store/referral-store.js';
import { completeOrReplan, confirmRereferral, giveBack, providerFromOneWord } from './reply-flows.js';

const TOKEN_GRACE_MS = 90 * 86_400_000;

const sameAddress = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

function memberOwns(member: Member | undefined, address: string): boolean {
  return !!member && (sameAddress(member.email, address) || member.extraAddresses.some((x) => sameAddress(x, address)));
}

/** Maps a parsed command onto the shared domain action (the rule book says which word means which), or says it is handled elsewhere. */
function toAction(cmd: Command & { verb: string }): ActionInput | undefined {
  const c = cmd as { verb: Verb; text?: string; amount?: { amount: number; currency: string }; days?: number; rating?: number };
  const action = actionForReply(c.verb);
  if (!action) return undefined;
  return { action, text: c.text, amount: c.amount?.amount, currency: c.amount?.currency, days: c.days, rating: c.rating };
}

/**
 * A reply to one of our emails. The signed Reply-To has been verified by the caller; here: is it
 * really from the intended recipient, what does it say, and the same domain action as the web.
 * Its dedupe key is written in the transaction of whatever the reply changes, so a reply whose
 * handling fails leaves no claim behind (the sending server's retry is processed), and a repeated
 * delivery of a handled one changes nothing.
 */
export async function actOnReply(deps: RelayDeps, mail: ParsedMail, token: ReplyTokenPayload): Promise<void> {
  const referral = await deps.store.getReferralState(token.referralId);
  if (!referral) {
    deps.log.warn('reply for an unknown referral dropped', { referralId: token.referralId });
    return;
  }
  const group = (await deps.store.getGroup(referral.groupId))!;
  const now = deps.clock.now();
  if (isFinal(referral.status) && Date.parse(referral.updatedAt) + TOKEN_GRACE_MS < now.getTime()) {
    deps.log.warn('reply token expired (90 days after the referral closed)', { referralId: referral.id });
    return;
  }
  const guard: Guard = { key: replyKey(referral.id, mail.messageId ?? mail.contentHash), expiresAt: new Date(now.getTime() + 365 * 86_400_000), data: { referralId: referral.id } };
  if (await deps.store.getGuard(guard.key, now)) return;
  try {
    await handleReply(deps, referral, group, mail, token, guard);
  } catch (err) {
    if (err instanceof GuardTakenError && err.key === guard.key) {
      deps.log.info('reply handled already (a repeated delivery)', { referralId: referral.id, messageId: mail.messageId });
      return;
    }
    throw err;
  }
}

async function handleReply(deps: RelayDeps, referral: Referral, group: Group, mail: ParsedMail, token: ReplyTokenPayload, guard: Guard): Promise<void> {
  const now = deps.clock.now();
  const provider = referral.providerId ? await deps.store.getMember(referral.providerId) : undefined;
  const referrer = await deps.store.getMember(referral.referrerId);
  const intended = token.recipient === 'provider' ? provider : token.recipient === 'referrer' ? referrer : undefined;
  const from = mail.from?.email ?? '';
  const fromIntended = token.recipient === 'prospect' ? sameAddress(referral.prospect.email, from) : memberOwns(intended, from);
  // An HTML-only reply is read from its HTML, where the quoted history is still marked as such
  // (the text made from it has lost the blockquote markers).
  const text = extractReplyText({ text: mail.hasTextPart ? mail.text : undefined, html: mail.html });

  if (!fromIntended) {
    const day = now.toISOString().slice(0, 10);
    const to = token.recipient === 'prospect' ? referral.prospect.email : intended?.email;
    const tell = !!to && (await deps.store.claimOnce(`unknown-sender:${referral.id}:${to}:${day}`, new Date(now.getTime() + 2 * 86_400_000), now));
    await recordEvents(
      deps,
      referral.id,
      [{ at: now.toISOString(), via: 'reply', actor: 'system', type: 'note', text: `a reply came from an unknown address; not acted on`, privateText: `From ${from}: ${text.slice(0, 2000)}`, privateTo: token.recipient === 'referrer' ? 'referrer' : 'provider' }],
      'reply',
      { guards: [guard], emails: tell ? [{ kind: 'notice', to: token.recipient, notice: 'unknown_sender', address: from, answering: token.kind }] : [] },
    );
    return;
  }

  const role = token.recipient;
  const cmd = parseCommand(text, { role, currency: group.currency, emailKind: token.kind });
  // By the kind of email replied to: which emails draw replies the parser cannot read.
  deps.metrics?.count(cmd.verb === 'unknown' || cmd.verb === 'ambiguous' ? 'ReplyNotUnderstood' : 'ReplyUnderstood', { kind: token.kind });
  try {
    await runCommand(deps, referral, token, cmd, text, guard);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // Say what we read and why nothing changed, in our words; the member's reply is quoted as theirs.
    await answerHelp(deps, referral, token, text, guard, [], { understood: cmd.verb.replace('_', ' '), why: err.message.replace(/\.$/, '') });
  }
}

async function runCommand(deps: RelayDeps, referral: Referral, token: ReplyTokenPayload, cmd: Command, text: string, guard: Guard) {
  const role = token.recipient;
  const actorId = role === 'prospect' ? 'prospect' : role === 'provider' ? referral.providerId! : referral.referrerId;
  const now = deps.clock.now();
  const guards = [guard];
  switch (cmd.verb) {
    case 'unknown':
    case 'ambiguous': {
      // "Did you mean Sam Ortiz or Sam Lee?" answered with "Lee".
      const oneWord = role === 'referrer' ? await providerFromOneWord(deps, referral, text) : undefined;
      if (oneWord) {
        await completeOrReplan(deps, referral, 'provider', oneWord.email, guards);
        return;
      }
      const why =
        cmd.verb === 'ambiguous'
          ? `Your reply could mean ${cmd.options.map((o) => `"${o}"`).join(' or ')}. Reply with just the one you mean.`
          : undefined;
      const note = { at: now.toISOString(), via: 'reply' as const, actor: actorId, type: 'note' as const, text: 'a reply that was not understood', privateText: text.slice(0, 4000), privateTo: role === 'referrer' ? ('referrer' as const) : ('provider' as const) };
      await answerHelp(deps, referral, token, text, guard, [note], why ? { why } : {});
      return;
    }
    case 'help':
      await answerHelp(deps, referral, token, text, guard, [], { asked: true });
      return;
    case 'stop':
      if (role === 'prospect') {
        if (referral.prospect.email) await deps.store.suppress(referral.prospect.email, 'stop', now, referral.groupId);
        await performAction(deps, referral.id, { action: 'prospect_stop' }, { role: 'prospect', actorId, via: 'reply' }, { guards });
      } else if (role === 'provider' && token.kind === 'anniversary') {
        // A stop to an anniversary ask ends those asks only; the referral's other emails are not optional anyway.
        await turnOffAnniversaryAsks(deps.store, referral.providerId!);
        await recordEvents(deps, referral.id, [{ at: now.toISOString(), via: 'reply', actor: actorId, type: 'action', kind: 'anniversary_asks_off', text: 'the provider turned anniversary asks off' }], 'reply', { guards });
      } else {
        await turnOffOptionalEmails(deps.store, role === 'provider' ? referral.providerId! : referral.referrerId);
        await recordEvents(deps, referral.id, [{ at: now.toISOString(), via: 'reply', actor: actorId, type: 'action', kind: 'optional_emails_off', text: 'turned off optional emails (digest, give-back nudges, campaigns)' }], 'reply', { guards });
      }
      return;
    case 'refer':
      await giveBack(deps, referral, cmd.refer!, actorId, guards);
      return;
    case 'provider':
    case 'prospect':
      await completeOrReplan(deps, referral, cmd.verb, cmd.text ?? '', guards);
      return;
    case 'ok':
      await confirmRereferral(deps, referral, guards);
      return;
    default: {
      const input = toAction(cmd);
      if (!input) return answerHelp(deps, referral, token, text, guard, [], {});
      await performAction(deps, referral.id, input, { role: role satisfies ActorRole, actorId, via: 'reply' }, { guards });
    }
  }
}

/**
 * Answers with the valid commands for that email: a reply we could not read at most once per person
 * per referral per day, an explicit `help` up to ANSWERS_PER_DAY times (never unlimited: an
 * auto-responder that quotes "help" would otherwise loop with us). The answer is stored with the
 * reply's events and dedupe key in one change.
 */
async function answerHelp(deps: RelayDeps, referral: Referral, token: ReplyTokenPayload, text: string, guard: Guard, events: TimelineEvent[], answer: NonNullable<EmailIntent['answer']>) {
  const send = await claimAnswer(deps, `help:${referral.id}:${token.recipient}`, answer.asked ? ANSWERS_PER_DAY : 1);
  if (!send) deps.log.info('help answer skipped: daily allowance used', { referralId: referral.id, recipient: token.recipient });
  await recordEvents(deps, referral.id, events, 'reply', {
    guards: [guard],
    emails: send ? [{ kind: 'help', to: token.recipient, text, answer, answering: token.kind }] : [],
  });
}
