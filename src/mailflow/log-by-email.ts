import { DomainError } from '../domain/errors.js';
import type { Group, Member } from '../domain/types.js';
import { formatInZone } from '../domain/zoned-time.js';
import type { ParsedMail } from '../inbound/parse-mail.js';
import { resolveReferralFromMail } from '../inbound/resolve-parties.js';
import { logAddress } from '../members/members.js';
import type { RefusalReason } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';
import { logMailKey } from '../referrals/guards.js';
import { logReferral } from '../referrals/log-referral.js';
import { GuardTakenError, type Guard } from '../store/referral-store.js';
import { sendRefusal } from './refuse.js';

export type LogOutcome = 'logged' | 'needs_info' | 'duplicate_message' | 'refused' | 'ignored';

const REFUSAL_BY_CODE: Record<string, RefusalReason> = { conflict: 'duplicate', inactive_member: 'inactive_member', invalid: 'self_referral' };

/**
 * Mail to a group's log address: who is who (PRODUCT.md "Logging by email"), then the same
 * `logReferral` as the form. The same Message-ID (or content hash) never logs twice.
 */
export async function logByEmail(deps: RelayDeps, group: Group, mail: ParsedMail, envelopeTo: string[]): Promise<LogOutcome> {
  const roster = await deps.store.listMembers(group.id);
  const resolution = resolveReferralFromMail({ mail, envelopeTo, logAddress: logAddress(group, deps.config.inboundDomain), inboundDomain: deps.config.inboundDomain, roster });
  if (resolution.kind === 'ignore') return 'ignored';
  if (resolution.kind === 'not_member') {
    await sendRefusal(deps, group, resolution.senderEmail, 'not_member');
    return 'refused';
  }
  // The Message-ID guard is written with the referral: a mail whose logging fails claims nothing,
  // so the sending server's retry logs it; a repeated delivery of a logged one logs nothing.
  const dedupeKey = logMailKey(group.id, mail.messageId ?? mail.contentHash);
  if (await deps.store.getGuard(dedupeKey, deps.clock.now())) return 'duplicate_message';
  const guards: Guard[] = [{ key: dedupeKey, data: { groupId: group.id } }];
  try {
    const base = {
      groupId: group.id,
      referrerId: resolution.referrerId,
      need: resolution.need,
      consent: resolution.consent,
      note: resolution.note || undefined,
      introLine: resolution.introLine,
      source: 'email' as const,
      introducedByReferrer: resolution.introducedByReferrer,
      messageId: mail.messageId,
    };
    if (resolution.kind === 'referral') {
      await logReferral(deps, { ...base, providerId: resolution.providerId, prospect: resolution.prospect }, { via: 'email', actorId: resolution.referrerId, guards });
      return 'logged';
    }
    await logReferral(
      deps,
      {
        ...base,
        providerId: resolution.providerId,
        prospect: { name: resolution.prospect?.name ?? '', ...resolution.prospect },
        needsInfo: { missing: resolution.missing, candidates: resolution.providerCandidates, question: resolution.question },
      },
      { via: 'email', actorId: resolution.referrerId, guards },
    );
    return 'needs_info';
  } catch (err) {
    if (err instanceof GuardTakenError && err.key === dedupeKey) return 'duplicate_message';
    if (err instanceof DomainError) {
      // A refused mail is answered once, however often it is delivered.
      const sender = mail.from?.email;
      const reason = REFUSAL_BY_CODE[err.code] ?? 'inactive_member';
      if (sender && (await deps.store.claimOnce(`${dedupeKey}:refused`))) {
        const referrer = roster.find((m) => m.id === resolution.referrerId);
        const existing = reason === 'duplicate' ? duplicateDetails(err, group, roster, resolution) : undefined;
        // A duplicate's sentence says it all; other refusals add the precise reason as details.
        await sendRefusal(deps, group, sender, reason, existing ? undefined : err.message, { recipientName: referrer?.name, existing });
      }
      return 'refused';
    }
    // The caller keeps the mail as a dead letter; nothing was claimed, so a retry can log it.
    throw err;
  }
}

/** The open referral a duplicate collides with, as the refusal names it: who, to whom, the day, its page. */
function duplicateDetails(err: DomainError, group: Group, roster: Member[], resolution: { providerId?: string; prospect?: { name?: string; email?: string } }) {
  const details = (err.details ?? {}) as { url?: string; createdAt?: string };
  return {
    prospect: resolution.prospect?.name || resolution.prospect?.email || 'This prospect',
    provider: roster.find((m) => m.id === resolution.providerId)?.name ?? 'the same member',
    loggedOn: details.createdAt ? formatInZone(Date.parse(details.createdAt), group.timezone, 'cccc d LLLL') : undefined,
    url: details.url,
  };
}
