import { DomainError } from '../domain/errors.js';
import { turnOffAnniversaryAsks, turnOffOptionalEmails } from '../members/optional-emails.js';
import type { Group, Member, Referral } from '../domain/types.js';
import type { ParsedMail } from '../inbound/parse-mail.js';
import type { ReplyTokenPayload } from '../mail/reply-token.js';
import { renderEmail } from '../mail/render.js';
import { signReplyAddress } from '../mail/reply-token.js';
import { extractReplyText } from '../replies/extract-reply-text.js';
import { parseCommand, type Command } from '../replies/parse-command.js';
import { helpWords } from '../replies/valid-commands.js';
import type { EmailData } from '../mail/render.js';
import { isFinal, type ActionInput, type ActorRole } from '../referrals/decide-action.js';
import { actionForReply } from '../referrals/core/rules.js';
import type { Verb } from '../replies/types.js';
import { ANSWERS_PER_DAY, claimAnswer } from './answer-allowance.js';
import type { RelayDeps } from '../referrals/deps.js';
import { appendTimeline, performAction } from '../referrals/engine.js';
import { composeEmailData } from '../referrals/compose-email.js';
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
 */
export async function actOnReply(deps: RelayDeps, mail: ParsedMail, token: ReplyTokenPayload): Promise<void> {
  const referral = await deps.store.getReferral(token.referralId);
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
  const dedupeKey = `reply:${referral.id}:${mail.messageId ?? mail.contentHash}`;
  if (!(await deps.store.claimOnce(dedupeKey))) return;

  const provider = referral.providerId ? await deps.store.getMember(referral.providerId) : undefined;
  const referrer = await deps.store.getMember(referral.referrerId);
  const intended = token.recipient === 'provider' ? provider : token.recipient === 'referrer' ? referrer : undefined;
  const from = mail.from?.email ?? '';
  const fromIntended = token.recipient === 'prospect' ? sameAddress(referral.prospect.email, from) : memberOwns(intended, from);
  // An HTML-only reply is read from its HTML, where the quoted history is still marked as such
  // (the text made from it has lost the blockquote markers).
  const text = extractReplyText({ text: mail.hasTextPart ? mail.text : undefined, html: mail.html });

  if (!fromIntended) {
    await appendTimeline(deps, referral.id, [
      { at: now.toISOString(), via: 'reply', actor: 'system', type: 'note', text: `a reply came from an unknown address; not acted on`, privateText: `From ${from}: ${text.slice(0, 2000)}`, privateTo: token.recipient === 'referrer' ? 'referrer' : 'provider' },
    ]);
    const day = now.toISOString().slice(0, 10);
    const to = token.recipient === 'prospect' ? referral.prospect.email : intended?.email;
    if (to && (await deps.store.claimOnce(`unknown-sender:${referral.id}:${to}:${day}`, new Date(now.getTime() + 2 * 86_400_000), now))) {
      await sendAbout(deps, referral, group, token, { kind: 'notice', notice: 'unknown_sender', address: from });
    }
    return;
  }

  const role = token.recipient;
  const cmd = parseCommand(text, { role, currency: group.currency, emailKind: token.kind });
  try {
    await runCommand(deps, referral, group, token, cmd, text);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // Say what we read and why nothing changed, in our words; the member's reply is quoted as theirs.
    await answerHelp(deps, referral, group, token, text, { understood: cmd.verb.replace('_', ' '), why: err.message.replace(/\.$/, '') });
  }
}

async function runCommand(deps: RelayDeps, referral: Referral, group: Group, token: ReplyTokenPayload, cmd: Command, text: string) {
  const role = token.recipient;
  const actorId = role === 'prospect' ? 'prospect' : role === 'provider' ? referral.providerId! : referral.referrerId;
  const now = deps.clock.now();
  switch (cmd.verb) {
    case 'unknown':
    case 'ambiguous': {
      // "Did you mean Sam Ortiz or Sam Lee?" answered with "Lee".
      const oneWord = role === 'referrer' ? await providerFromOneWord(deps, referral, text) : undefined;
      if (oneWord) {
        await completeOrReplan(deps, referral, 'provider', oneWord.email);
        return;
      }
      await appendTimeline(deps, referral.id, [
        { at: now.toISOString(), via: 'reply', actor: actorId, type: 'note', text: 'a reply that was not understood', privateText: text.slice(0, 4000), privateTo: role === 'referrer' ? 'referrer' : 'provider' },
      ]);
      const why =
        cmd.verb === 'ambiguous'
          ? `Your reply could mean ${cmd.options.map((o) => `"${o}"`).join(' or ')}. Reply with just the one you mean.`
          : undefined;
      await answerHelp(deps, referral, group, token, text, why ? { why } : {});
      return;
    }
    case 'help':
      await answerHelp(deps, referral, group, token, text, { asked: true });
      return;
    case 'stop':
      if (role === 'prospect') {
        if (referral.prospect.email) await deps.store.suppress(referral.prospect.email, 'stop', now, referral.groupId);
        await performAction(deps, referral.id, { action: 'prospect_stop' }, { role: 'prospect', actorId, via: 'reply' });
      } else if (role === 'provider' && token.kind === 'anniversary') {
        // A stop to an anniversary ask ends those asks only; the referral's other emails are not optional anyway.
        await turnOffAnniversaryAsks(deps.store, referral.providerId!);
        await appendTimeline(deps, referral.id, [{ at: now.toISOString(), via: 'reply', actor: actorId, type: 'action', kind: 'anniversary_asks_off', text: 'the provider turned anniversary asks off' }]);
      } else {
        await turnOffOptionalEmails(deps.store, role === 'provider' ? referral.providerId! : referral.referrerId);
        await appendTimeline(deps, referral.id, [{ at: now.toISOString(), via: 'reply', actor: actorId, type: 'action', kind: 'optional_emails_off', text: 'turned off optional emails (digest, give-back nudges, campaigns)' }]);
      }
      return;
    case 'refer':
      await giveBack(deps, referral, cmd.refer!, actorId);
      return;
    case 'provider':
    case 'prospect':
      await completeOrReplan(deps, referral, cmd.verb, cmd.text ?? '');
      return;
    case 'ok':
      await confirmRereferral(deps, referral);
      return;
    default: {
      const input = toAction(cmd);
      if (!input) return answerHelp(deps, referral, group, token, text, {});
      await performAction(deps, referral.id, input, { role: role satisfies ActorRole, actorId, via: 'reply' });
    }
  }
}

/**
 * Answers with the valid commands for that email: a reply we could not read at most once per person
 * per referral per day, an explicit `help` up to ANSWERS_PER_DAY times (never unlimited: an
 * auto-responder that quotes "help" would otherwise loop with us).
 */
async function answerHelp(deps: RelayDeps, referral: Referral, group: Group, token: ReplyTokenPayload, text: string, answer: NonNullable<EmailData['answer']>) {
  if (!(await claimAnswer(deps, `help:${referral.id}:${token.recipient}`, answer.asked ? ANSWERS_PER_DAY : 1))) {
    deps.log.info('help answer skipped: daily allowance used', { referralId: referral.id, recipient: token.recipient });
    return;
  }
  await sendAbout(deps, referral, group, token, { kind: 'help', text, answer });
}

/** Sends a help or notice email about this referral to the token's recipient and records it. */
async function sendAbout(
  deps: RelayDeps,
  referral: Referral,
  group: Group,
  token: ReplyTokenPayload,
  what: { kind: 'help'; text: string; answer: NonNullable<EmailData['answer']> } | { kind: 'notice'; notice: 'unknown_sender'; address: string },
) {
  const provider = referral.providerId ? await deps.store.getMember(referral.providerId) : undefined;
  const referrer = (await deps.store.getMember(referral.referrerId))!;
  const recipient = token.recipient;
  const to = recipient === 'prospect' ? referral.prospect.email : recipient === 'provider' ? provider?.email : referrer.email;
  if (!to || (await deps.store.isSuppressed(to, referral.groupId))) return;
  const data = composeEmailData(
    { kind: what.kind, to: recipient, text: what.kind === 'help' ? what.text : undefined, notice: what.kind === 'notice' ? what.notice : undefined },
    { group, referral, referrer, provider, recipientName: recipient === 'prospect' ? referral.prospect.name : recipient === 'provider' ? (provider?.name ?? '') : referrer.name, webBaseUrl: deps.config.webBaseUrl, sessionSecret: deps.config.sessionSecret },
  );
  if (what.kind === 'notice') data.notice = { reason: 'unknown_sender', address: what.address };
  // Help lists the commands of the email being answered, not of the help email itself.
  if (what.kind === 'help') {
    data.replyWords = helpWords(recipient, token.kind, referral);
    data.answer = what.answer;
  }
  const email = renderEmail(what.kind, data);
  const replyTo = signReplyAddress({ referralId: referral.id, kind: token.kind, recipient }, deps.config.replyKeys, deps.config.inboundDomain);
  const { messageId } = await deps.mail.send({ to: [to], replyTo: [replyTo], subject: email.subject, html: email.html, text: email.text });
  await appendTimeline(deps, referral.id, [{ at: deps.clock.now().toISOString(), via: 'reply', actor: 'system', type: 'email', kind: what.kind, to, messageId, text: email.subject }]);
}
