/**
 * refusal → a sender whose referral could not be logged: by default, not a member of the group
 * (at most one a day, the caller's job). Also self-referral, inactive member and duplicate.
 */
import type { EmailData, RefusalReason } from '../src/mail/render.js';
import { button, details, muted, name, p, strong, type Inline, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, NO_REPLY_NEEDED, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, referralSubject } from './lib/format.js';
import { firstName, view, type EmailView } from './lib/view.js';

type Existing = { prospect: string; provider: string; loggedOn: string; url?: string };

/** The open referral a duplicate collides with, cleaned for display. */
function existingOf(d: EmailData): Existing | undefined {
  const e = d.refusal?.existing;
  if (!e) return undefined;
  const url = e.url && /^https?:\/\/[^\s"<>]+$/.test(e.url) ? e.url : undefined;
  return { prospect: oneLine(e.prospect, 120) || 'This prospect', provider: oneLine(e.provider, 120) || 'the same member', loggedOn: oneLine(e.loggedOn, 60), ...(url ? { url } : {}) };
}

function reasonOf(d: EmailData): RefusalReason {
  return d.refusal?.reason ?? 'not_member';
}

export function subject(d: EmailData): string {
  const v = view(d);
  if (reasonOf(d) === 'unauthenticated') return headerValue(`Your email to ${v.group} could not be trusted`);
  const existing = existingOf(d);
  if (reasonOf(d) === 'duplicate' && existing) return referralSubject('Already referred', existing.prospect, existing.provider);
  if (reasonOf(d) !== 'not_member' && v.hasReferral) return referralSubject('Not logged', v.prospect, v.provider);
  return headerValue(`Your email to ${v.group} was not logged`);
}

function explanation(reason: RefusalReason, v: EmailView, address: string, existing?: Existing): MaybeBlock[] {
  // Without a referral (refused before one existed) the sentences leave the names out.
  const of: Inline[] = v.hasReferral ? ['the referral of ', name(v.prospect)] : ['your referral'];
  const ofTo: Inline[] = v.hasReferral ? [...of, ' to ', name(v.provider)] : of;
  switch (reason) {
    case 'not_member':
      return [
        p(
          'Thank you for your email. We could not log it because ',
          address ? strong(address) : 'this address',
          ' does not belong to a member of ',
          name(v.group),
          ', and only members can log referrals here.',
        ),
        p(
          'If you are a member, please send it again from the address you registered with, or ask an admin of ',
          name(v.group),
          ' to add this one.',
        ),
      ];
    case 'self_referral':
      return [p('We could not log ', ...of, ': you cannot refer someone to yourself. Please choose another member as the provider.')];
    case 'inactive_member':
      return [
        p(
          'We could not log ',
          ...ofTo,
          ': only active members of ',
          name(v.group),
          ' can give or receive referrals.',
        ),
      ];
    case 'unreadable':
      return [
        p('We could not read your email, so nothing was logged. It has been kept safely and an admin of ', name(v.group), ' can see it.'),
        p('Please send it again (a plain forward works best) or use the web form.'),
      ];
    case 'unauthenticated':
      return [
        p(
          'We received an email from ',
          address ? strong(address) : 'your address',
          ' but could not confirm that it really came from you, so we did not read it or act on it.',
        ),
        p('Until this is fixed, please use the web form or the links in our emails. We send this note at most once a week.'),
      ];
    case 'duplicate':
      if (existing)
        return [
          p(
            name(existing.prospect),
            ' was already referred to ',
            name(existing.provider),
            existing.loggedOn ? ` on ${existing.loggedOn}` : ' in the last 30 days',
            ', and that referral is still open, so we did not log a second one. Anything new about it can go on the open one.',
          ),
          button(existing.url, 'See the open referral'),
        ];
      return [
        v.hasReferral
          ? p(
              name(v.prospect),
              ' was already referred to ',
              name(v.provider),
              ' in the last 30 days and that referral is still open, so we did not log a second one.',
            )
          : p('This prospect was already referred to the same member in the last 30 days and that referral is still open, so we did not log a second one.'),
        button(v.links.web, 'See the open referral'),
      ];
  }
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const reason = reasonOf(d);
  return {
    ...baseParts(v, d),
    web: reason === 'duplicate' ? undefined : v.links.web,
    title: subject(d),
    preheader: 'We could not log this referral.',
    replyNote: NO_REPLY_NEEDED,
    body: [
      p(v.recipient && !v.recipient.includes('@') ? `Hi ${firstName(v.recipient)},` : 'Hello,'),
      ...explanation(reason, v, oneLine(d.refusal?.address, 254), existingOf(d)),
      v.text && details([['Details', v.text]]),
      muted('This is an automatic reply from Referral Relay.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
