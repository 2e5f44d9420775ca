/**
 * A reply to a campaign ask. Its signed Reply-To carries the MEMBER id where a referral id would be
 * (kind `campaign_ask`, recipient `referrer`), because the ask is about no referral yet.
 *
 * `refer Name <email> <need>` names the PROSPECT; the provider is chosen with `for <member>` at the
 * end of the line or a `for: <member>` line. When it is missing or ambiguous, the member gets a help
 * email listing the members of the ask (or the ones their words could mean), and nothing is logged.
 * `stop` ends optional emails; `help` answers with the ask again.
 */
import { turnOffOptionalEmails } from '../members/optional-emails.js';
import { DomainError } from '../domain/errors.js';
import type { Member } from '../domain/types.js';
import type { ParsedMail } from '../inbound/parse-mail.js';
import { matchMembers } from '../inbound/roster-match.js';
import type { ReplyTokenPayload } from '../mail/reply-token.js';
import type { RelayDeps } from '../referrals/deps.js';
import { claimAnswer } from '../mailflow/answer-allowance.js';
import { logReferral } from '../referrals/log-referral.js';
import { extractReplyText } from '../replies/extract-reply-text.js';
import { parseCommand } from '../replies/parse-command.js';
import { campaignPicks, campaignWeekIndex, sendCampaignEmail } from './campaign.js';

export type CampaignReplyReading =
  | { kind: 'refer'; prospect: { name: string; email: string }; need: string; provider: Member }
  /** A referral, but no member (or more than one) it could be for. */
  | { kind: 'needs_provider'; prospect: { name: string; email: string }; need: string; candidates: Member[]; written?: string }
  | { kind: 'stop' }
  | { kind: 'help' }
  | { kind: 'unreadable' };

const EXPLICIT_FOR = /^[ \t>]*(?:for|provider)[ \t]*:[ \t]*(.+?)[ \t]*$/im;
const TRAILING_FOR = /(?:^|[\s,;(–—-])for\b[ \t]*:?[ \t]*/gi;
const MAX_NAME_WORDS = 6;

function named(reference: string, roster: readonly Member[]): Member[] {
  const ids = new Set(matchMembers(reference, roster).map((m) => m.id));
  return roster.filter((m) => ids.has(m.id));
}

const tidy = (text: string) => text.replace(/\s+/g, ' ').replace(/^[\s,;:–—-]+|[\s,;:–—-]+$/g, '').trim();

/**
 * Reads a campaign reply. Pure. `roster`: the active members it may name (the replying member left
 * out); `asked`: the members the ask listed (one of them is taken when only one was listed).
 */
export function readCampaignReply(text: string, roster: readonly Member[], asked: readonly Member[], currency: string): CampaignReplyReading {
  const cmd = parseCommand(text, { role: 'provider', currency, emailKind: 'give_back' });
  if (cmd.verb === 'stop') return { kind: 'stop' };
  if (cmd.verb === 'help') return { kind: 'help' };
  const refer = cmd.verb === 'refer' && 'refer' in cmd ? cmd.refer : undefined;
  if (!refer) return { kind: 'unreadable' };

  let need = refer.need;
  let written: string | undefined;
  let candidates: Member[] = [];
  const explicit = EXPLICIT_FOR.exec(text);
  if (explicit) {
    written = tidy(explicit[1]!);
    candidates = named(written, roster);
    need = need.replace(explicit[0].trim(), '');
  }
  if (candidates.length === 0) {
    // The last "for <words>" that names a member: "needs a website for her café for Jane Smith".
    const starts = [...need.matchAll(TRAILING_FOR)];
    for (let i = starts.length - 1; i >= 0; i--) {
      const m = starts[i]!;
      const tail = tidy(need.slice(m.index! + m[0].length)).replace(/[.!?)]+$/, '');
      const words = tail.split(/\s+/).filter(Boolean).length;
      if (words === 0 || words > MAX_NAME_WORDS) continue;
      const found = named(tail, roster);
      if (found.length > 0) {
        written = tail;
        candidates = found;
        need = need.slice(0, m.index!);
        break;
      }
    }
  }
  need = tidy(need);
  const prospect = { name: refer.name, email: refer.email };
  if (candidates.length === 1) return { kind: 'refer', prospect, need, provider: candidates[0]! };
  if (candidates.length === 0 && !written && asked.length === 1) return { kind: 'refer', prospect, need, provider: asked[0]! };
  return { kind: 'needs_provider', prospect, need, candidates: candidates.length > 1 ? candidates : [...asked], ...(written ? { written } : {}) };
}

export type CampaignReplyOutcome = 'logged' | 'asked_for_provider' | 'help' | 'stopped' | 'refused' | 'ignored';

const owns = (m: Member, address: string) => [m.email, ...m.extraAddresses].some((a) => a.toLowerCase() === address.toLowerCase());

/**
 * Acts on a reply to a campaign ask (handle-inbound routes tokens of kind `campaign_ask` here).
 * Only the member the ask went to (or a verified extra address) is heard; a repeated delivery of
 * the same message does nothing.
 */
export async function handleCampaignReply(deps: RelayDeps, mail: ParsedMail, token: ReplyTokenPayload): Promise<CampaignReplyOutcome> {
  if (token.kind !== 'campaign_ask') return 'ignored';
  const member = await deps.store.getMember(token.referralId);
  const group = member ? await deps.store.getGroup(member.groupId) : undefined;
  if (!member || !group) {
    deps.log.warn('campaign reply for an unknown member dropped', { memberId: token.referralId });
    return 'ignored';
  }
  const from = mail.from?.email ?? '';
  if (!owns(member, from)) {
    deps.log.warn('campaign reply from another address dropped', { memberId: member.id, from });
    return 'ignored';
  }
  if (member.status !== 'active') {
    deps.log.info('campaign reply from a removed member ignored', { memberId: member.id });
    return 'ignored';
  }
  const now = deps.clock.now();
  if (!(await deps.store.claimOnce(`campaign-reply:${member.id}:${mail.messageId ?? mail.contentHash}`))) return 'ignored';

  const text = extractReplyText({ text: mail.text, html: mail.html });
  const members = await deps.store.listMembers(group.id);
  const roster = members.filter((m) => m.status === 'active' && m.id !== member.id);
  const asked = campaignPicks(member, members, campaignWeekIndex(group, now));
  const reading = readCampaignReply(text, roster, asked, group.currency);
  const quoted = text.slice(0, 1000);
  // Every answer counts against one daily allowance per member, so a robot replying to our answers stops.
  const answer = async (problem: string, picks: readonly Member[] = asked) => {
    if (await claimAnswer(deps, `campaign:${member.id}`)) await sendCampaignEmail(deps, group, member, picks, { problem, reply: quoted });
    else deps.log.info('campaign answer skipped: daily allowance used', { memberId: member.id });
  };

  switch (reading.kind) {
    case 'stop':
      await turnOffOptionalEmails(deps.store, member.id);
      return 'stopped';
    case 'help':
      await answer('Here is how to answer the referral-month ask.');
      return 'help';
    case 'unreadable': {
      // At most one such answer a day (on top of the shared allowance): unreadable replies are what robots send.
      if (await claimAnswer(deps, `campaign-unreadable:${member.id}`, 1)) {
        await answer('We could not find a referral in your reply. Write it as one line: refer Name <email> what they need for <member>.');
      }
      return 'help';
    }
    case 'needs_provider': {
      const options = reading.candidates;
      const problem =
        reading.written && options.length > 1
          ? `"${reading.written}" could be ${options.map((m) => m.name).join(' or ')}. Which member is your referral of ${reading.prospect.name} for? Reply again with the refer line ending in "for <full name>".`
          : `Which member is your referral of ${reading.prospect.name} for? Reply again with the refer line ending in "for <member name>", for example one of the members below.`;
      await answer(problem, options);
      return 'asked_for_provider';
    }
    case 'refer': {
      if (reading.need.length < 3) {
        await answer(`What does ${reading.prospect.name} need? Reply again with the refer line: refer Name <email> what they need for ${reading.provider.name}.`, [reading.provider]);
        return 'asked_for_provider';
      }
      try {
        await logReferral(
          deps,
          {
            groupId: group.id,
            referrerId: member.id,
            providerId: reading.provider.id,
            prospect: reading.prospect,
            need: reading.need,
            // Consent is stated by the member, as in logging by email (the ask says so).
            consent: true,
            source: 'reply',
          },
          { via: 'reply', actorId: member.id, idempotency: { key: `campaign:${member.id}:${mail.messageId ?? mail.contentHash}` } },
        );
        return 'logged';
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        await answer(`That referral could not be logged: ${err.message}`, [reading.provider]);
        return 'refused';
      }
    }
  }
}

