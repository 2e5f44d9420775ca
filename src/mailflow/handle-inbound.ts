import { createHash } from 'node:crypto';
import { newId } from '../domain/ids.js';
import { MailParseError, parseMail, type ParsedMail } from '../inbound/parse-mail.js';
import { isAutoReply } from '../inbound/auto-reply.js';
import { headerFields, singleFromAddress } from '../inbound/sender-authentication.js';
import { verifyReplyAddress } from '../mail/reply-token.js';
import type { RelayDeps } from '../referrals/deps.js';
import { handleCampaignReply } from '../reports/campaign-reply.js';
import { actOnReply } from './act-on-reply.js';
import { logByEmail } from './log-by-email.js';
import { sendRefusal } from './refuse.js';

export interface InboundMail {
  raw: Uint8Array;
  /** SMTP MAIL FROM / SES returnPath; empty for bounces (null sender). */
  envelopeFrom: string;
  /** SMTP RCPT TO / SES receipt recipients (includes Bcc). */
  envelopeTo: string[];
  /**
   * The sender's address is proven: locally always (mail on the SMTP port); in AWS decided by the
   * Lambda entry before the mail is read (`authenticateSender`), which never hands over unproven mail.
   */
  authenticated: boolean;
  /** The From address the door already proved (AWS); else read from the header block when needed. */
  provenFrom?: string;
  /** Where the raw message already sits (AWS: the SES S3 object), so a dead letter can point at it. */
  rawRef?: string;
}

/** Raw mail up to this size is kept inside the dead-letter item (DynamoDB items hold 400 KB, base64 adds a third). */
export const RAW_INLINE_LIMIT = 192 * 1024;

/**
 * The one inbound pipeline behind both doors (local SMTP, SES receipt → S3 → Lambda). Mail to a
 * group's log address logs a referral; mail to a signed reply address acts on a referral. Nothing is
 * lost: mail that cannot be read is kept as a dead letter and the sender told.
 */
export async function handleInboundMail(deps: RelayDeps, inbound: InboundMail): Promise<void> {
  const domain = deps.config.inboundDomain.toLowerCase();
  // Authentication before anything is parsed or answered: nothing goes back to a forged sender.
  if (!inbound.authenticated) {
    deps.log.warn('inbound mail dropped: sender not authenticated');
    return;
  }
  const recipients = [...new Set(inbound.envelopeTo.map((a) => a.toLowerCase()).filter((a) => a.endsWith(`@${domain}`)))];
  let mail: ParsedMail;
  try {
    mail = await parseMail(inbound.raw);
  } catch (err) {
    await keepDeadLetter(deps, inbound, recipients, err instanceof MailParseError ? err.message : `unreadable: ${String(err)}`);
    return;
  }
  // Bounces, auto-replies and out-of-office are never answered and never parsed as commands.
  if (mail.autoReply || !inbound.envelopeFrom) {
    deps.log.info('inbound auto-reply or bounce ignored', { from: mail.from?.email, messageId: mail.messageId });
    return;
  }
  const groupsDone = new Set<string>();
  for (const recipient of recipients) {
    const local = recipient.slice(0, recipient.lastIndexOf('@'));
    const token = verifyReplyAddress(recipient, deps.config.replyKeys, domain);
    if (token) {
      if (token.kind !== 'campaign_ask') deps.log.appendKeys?.({ referralId: token.referralId });
      // A campaign ask is about no referral: its replies log new ones.
      if (token.kind === 'campaign_ask') await handleCampaignReply(deps, mail, token);
      else await actOnReply(deps, mail, token);
      continue;
    }
    const group = await deps.store.getGroupBySlug(local);
    if (group) {
      if (groupsDone.has(group.id)) continue;
      groupsDone.add(group.id);
      deps.log.appendKeys?.({ groupId: group.id });
      // One sender cannot flood a group with referrals (or the relay with answers): past the
      // allowance the mail is kept as a dead letter for the admins, and not answered.
      const sender = (inbound.provenFrom ?? mail.from?.email ?? inbound.envelopeFrom).toLowerCase();
      const allowance = await deps.limits.tryTake('inboundLogging', sender);
      if (!allowance.ok) {
        deps.log.warn('log mail over the sender rate limit', { group: group.slug, sender, messageId: mail.messageId });
        await keepDeadLetter(deps, inbound, [recipient], `rate limited: too many emails logged from ${sender}; not logged (the limit resets in ${allowance.retryAfterSeconds} s)`, group.id, mail);
        continue;
      }
      try {
        const outcome = await logByEmail(deps, group, mail, inbound.envelopeTo);
        deps.log.info('log mail', { group: group.slug, outcome, messageId: mail.messageId });
        const metric = outcome === 'logged' ? 'InboundLogged' : outcome === 'needs_info' ? 'InboundNeedsInfo' : outcome === 'refused' ? 'InboundRefused' : undefined;
        if (metric) deps.metrics?.count(metric);
      } catch (err) {
        await keepDeadLetter(deps, inbound, [recipient], `could not log: ${String((err as Error).message ?? err)}`, group.id, mail);
      }
      continue;
    }
    deps.log.warn('inbound mail for an unknown or forged address dropped', { recipient });
  }
}

async function keepDeadLetter(deps: RelayDeps, inbound: InboundMail, recipients: string[], reason: string, groupId?: string, mail?: ParsedMail) {
  const domain = deps.config.inboundDomain.toLowerCase();
  let gid = groupId;
  if (!gid) {
    for (const r of recipients) {
      const group = await deps.store.getGroupBySlug(r.slice(0, r.lastIndexOf('@')));
      if (group) gid = group.id;
      else {
        const token = verifyReplyAddress(r, deps.config.replyKeys, domain);
        const referral = token && (await deps.store.getReferral(token.referralId));
        if (referral) gid = referral.groupId;
      }
      if (gid) break;
    }
  }
  const id = createHash('sha256').update(inbound.raw).digest('hex').slice(0, 32) || newId();
  await deps.store.putDeadLetter({
    id,
    groupId: gid,
    receivedAt: deps.clock.now().toISOString(),
    reason,
    from: inbound.provenFrom ?? mail?.from?.email ?? singleFromAddress(headerFields(inbound.raw)) ?? (inbound.envelopeFrom || undefined),
    envelopeTo: inbound.envelopeTo,
    size: inbound.raw.byteLength,
    ...(await rawOfDeadLetter(deps, inbound, id)),
  });
  deps.metrics?.count('InboundDeadLettered');
  deps.log.warn('inbound mail kept as a dead letter', { id, reason, groupId: gid });
  // Only the proven From address is ever answered, never the envelope sender (anyone can set it).
  const sender = inbound.provenFrom ?? mail?.from?.email ?? singleFromAddress(headerFields(inbound.raw));
  const group = gid ? await deps.store.getGroup(gid) : undefined;
  const fields = Object.fromEntries(headerFields(inbound.raw).map((h) => [h.name.toLowerCase(), h.value]));
  const automated = !inbound.envelopeFrom || isAutoReply({ headers: fields, fromEmail: sender, subject: fields['subject'] ?? '' });
  if (sender && group && !automated) {
    await sendRefusal(deps, group, sender, 'unreadable', reason);
  }
}

/**
 * Small mail sits in the item; anything larger (up to the 40 MB SES accepts) is kept outside and the item
 * holds a pointer, so keeping a dead letter never fails on its size.
 */
async function rawOfDeadLetter(deps: RelayDeps, inbound: InboundMail, id: string): Promise<{ rawBase64?: string; rawRef?: string }> {
  if (inbound.raw.byteLength <= RAW_INLINE_LIMIT) return { rawBase64: Buffer.from(inbound.raw).toString('base64') };
  const rawRef = inbound.rawRef ?? (await deps.rawMail?.keep(id, inbound.raw));
  if (rawRef) return { rawRef };
  // No archive configured (never the case in AWS or locally): keep the start rather than nothing.
  return { rawBase64: Buffer.from(inbound.raw.subarray(0, RAW_INLINE_LIMIT)).toString('base64') };
}
