import { randomBytes } from 'node:crypto';
import type { Member } from '../domain/types.js';
import { hashSecret } from '../members/api-keys.js';
import { renderEmail } from '../mail/render.js';
import type { RelayDeps } from '../referrals/deps.js';

export const MAGIC_LINK_MINUTES = 15;
const CONFIRM_DAYS = 3;

const base = (deps: RelayDeps) => deps.config.webBaseUrl.replace(/\/$/, '');

/** A single-use sign-in link, valid 15 minutes on the (local) clock, sent through the SES port. */
export async function sendMagicLink(deps: RelayDeps, member: Member, groupName: string): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.store.putToken(hashSecret(token), { purpose: 'signin', memberId: member.id }, new Date(now.getTime() + MAGIC_LINK_MINUTES * 60_000));
  const email = renderEmail('magic_link', {
    groupName,
    recipientName: member.name,
    recipientRole: 'member',
    replyWords: [],
    links: { signIn: `${base(deps)}/signin/${token}` },
    expiresInMinutes: MAGIC_LINK_MINUTES,
  });
  await deps.mail.send({ to: [member.email], subject: email.subject, html: email.html, text: email.text });
}

/** Confirmation links for extra sender addresses a member added; they count only once clicked. */
export async function sendAddressConfirmations(deps: RelayDeps, member: Member, addresses: string[]): Promise<void> {
  const group = await deps.store.getGroup(member.groupId);
  for (const address of addresses) {
    const token = randomBytes(32).toString('base64url');
    await deps.store.putToken(hashSecret(token), { purpose: 'confirm_address', memberId: member.id, address }, new Date(deps.clock.now().getTime() + CONFIRM_DAYS * 86_400_000));
    const email = renderEmail('notice', {
      groupName: group?.name ?? '',
      recipientName: member.name,
      recipientRole: 'member',
      replyWords: [],
      links: { signIn: `${base(deps)}/confirm-address/${token}` },
      notice: { reason: 'confirm_address', address },
    });
    await deps.mail.send({ to: [address], subject: email.subject, html: email.html, text: email.text });
  }
}
