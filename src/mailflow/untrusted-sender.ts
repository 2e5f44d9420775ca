import type { UntrustedReason } from '../inbound/sender-authentication.js';
import { verifyReplyAddress } from '../mail/reply-token.js';
import { renderEmail } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';
import { sendOnceThisWeek } from '../digest/once-a-week.js';

export interface UntrustedMail {
  /** The From address the mail claims; undefined when it has none or several. */
  from?: string;
  reason: UntrustedReason;
  envelopeFrom: string;
  /** Recipients on the inbound domain. */
  recipients: string[];
  /** The mail says it was sent by a robot (Auto-Submitted, Precedence: bulk/junk/list). */
  automated: boolean;
}

const WHY: Record<UntrustedReason, (domain: string) => string> = {
  dmarc_fail: (d) => `The domain ${d} publishes a DMARC policy and this email failed it, so it may not have been sent by you.`,
  no_aligned_pass: (d) =>
    `${d} publishes no DMARC policy and the email carried no SPF or DKIM pass for ${d} itself (a pass for another domain, such as a mailing service's, does not prove the From address). Whoever runs email for ${d} can fix this by turning on DKIM signing for ${d} or publishing a DMARC record.`,
  unverifiable: () => 'We could not check where it came from (no single From address, or its domain could not be checked at that moment). If you sent it, please send it again.',
};

/**
 * Mail whose sender is not proven is never read nor acted on. Nobody is answered — a forged sender would
 * otherwise receive our reply (backscatter) — except a member of a group: their own address gets one
 * short note a week explaining why their mail was not trusted, so a member whose domain has no DMARC
 * and no aligned SPF/DKIM is not silently ignored. A note to a member's own registered address tells
 * a forger nothing and cannot be aimed at strangers.
 */
export async function tellUntrustedSender(deps: RelayDeps, mail: UntrustedMail): Promise<boolean> {
  deps.log.warn('inbound mail not trusted: sender not authenticated', { from: mail.from, reason: mail.reason });
  if (!mail.from || !mail.envelopeFrom || mail.automated) return false;
  const memberships = (await deps.store.findMembersByEmail(mail.from)).filter((m) => m.status === 'active');
  if (memberships.length === 0) return false;
  const addressedGroups = await groupsAddressed(deps, mail.recipients);
  const member = memberships.find((m) => addressedGroups.has(m.groupId)) ?? memberships[0]!;
  const group = await deps.store.getGroup(member.groupId);
  if (!group) return false;
  const now = deps.clock.now();
  const domain = mail.from.slice(mail.from.lastIndexOf('@') + 1);
  return sendOnceThisWeek(deps, { kind: 'untrusted-notice', groupId: group.id, memberId: `${member.id}:${mail.from}`, timezone: group.timezone, now }, async () => {
    const email = renderEmail('refusal', { groupName: group.name, recipientName: member.name, replyWords: [], refusal: { reason: 'unauthenticated', address: mail.from }, text: WHY[mail.reason](domain) });
    await deps.mail.send({ to: [mail.from!], subject: email.subject, html: email.html, text: email.text });
  });
}

async function groupsAddressed(deps: RelayDeps, recipients: string[]): Promise<Set<string>> {
  const domain = deps.config.inboundDomain.toLowerCase();
  const ids = new Set<string>();
  for (const r of recipients) {
    const token = verifyReplyAddress(r, deps.config.replyKeys, domain);
    const referral = token && token.referralId ? await deps.store.getReferral(token.referralId) : undefined;
    const group = referral ? undefined : await deps.store.getGroupBySlug(r.slice(0, r.lastIndexOf('@')));
    const id = referral?.groupId ?? group?.id;
    if (id) ids.add(id);
  }
  return ids;
}
