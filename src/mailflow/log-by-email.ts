import { DomainError } from '../domain/errors.js';
import type { Group } from '../domain/types.js';
import type { ParsedMail } from '../inbound/parse-mail.js';
import { resolveReferralFromMail } from '../inbound/resolve-parties.js';
import { logAddress } from '../members/members.js';
import type { RefusalReason } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';
import { logReferral } from '../referrals/log-referral.js';
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
  const dedupeKey = `logmail:${group.id}:${mail.messageId ?? mail.contentHash}`;
  if (!(await deps.store.claimOnce(dedupeKey))) return 'duplicate_message';
  try {
    const base = {
      groupId: group.id,
      referrerId: resolution.referrerId,
      need: resolution.need,
      consent: resolution.consent,
      note: resolution.note || undefined,
      source: 'email' as const,
      introducedByReferrer: resolution.introducedByReferrer,
      messageId: mail.messageId,
    };
    if (resolution.kind === 'referral') {
      await logReferral(deps, { ...base, providerId: resolution.providerId, prospect: resolution.prospect }, { via: 'email', actorId: resolution.referrerId });
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
      { via: 'email', actorId: resolution.referrerId },
    );
    return 'needs_info';
  } catch (err) {
    if (err instanceof DomainError) {
      const sender = mail.from?.email;
      if (sender) await sendRefusal(deps, group, sender, REFUSAL_BY_CODE[err.code] ?? 'inactive_member', err.message);
      return 'refused';
    }
    // Let the caller keep the mail as a dead letter; free the dedupe key so a retry can log it.
    await deps.store.releaseOnce(dedupeKey);
    throw err;
  }
}
