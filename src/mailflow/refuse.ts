import type { Group } from '../domain/types.js';
import { sendableAddress } from '../mail/mime/build-mime.js';
import { renderEmail, type EmailData, type RefusalReason } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';

/**
 * A polite refusal to whoever sent mail we cannot act on, at most once a day per sender and reason
 * (the day on the local clock), so a loop with another robot cannot start.
 */
export async function sendRefusal(
  deps: RelayDeps,
  group: Group,
  to: string,
  reason: RefusalReason,
  text?: string,
  /** Who the sender is when they are a member (greeted by name), and the referral a duplicate collides with. */
  about?: { recipientName?: string; existing?: NonNullable<EmailData['refusal']>['existing'] },
): Promise<boolean> {
  // Whoever cannot be written to is not answered (a broken header must never turn into a crash).
  if (!sendableAddress(to)) {
    deps.log.warn('refusal not sent: the sender address cannot be written to', { reason });
    return false;
  }
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  const first = await deps.store.claimOnce(`refusal:${group.id}:${to.toLowerCase()}:${reason}:${day}`, new Date(now.getTime() + 2 * 86_400_000), now);
  if (!first) return false;
  const email = renderEmail('refusal', {
    groupName: group.name,
    recipientName: about?.recipientName ?? to,
    replyWords: [],
    refusal: { reason, address: to, ...(about?.existing ? { existing: about.existing } : {}) },
    text,
  });
  await deps.mail.send({ to: [to], subject: email.subject, html: email.html, text: email.text });
  return true;
}
