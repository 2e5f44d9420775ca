/**
 * notice → a member (or the prospect): a short factual notice. Referral cancelled, prospect said
 * stop, email to the prospect bounced, provider replaced, reply from an unknown address, member
 * removed, draft withdrawn, referral reopened; and, without a referral, confirming an extra address.
 * Optional extra words in `text`.
 */
import type { EmailData, NoticeReason } from '../src/mail/render.js';
import { button, details, muted, name, p, quote, strong, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, NO_REPLY_NEEDED, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, referralSubject, STATUS_LABEL } from './lib/format.js';
import { greeting, view, type EmailView } from './lib/view.js';

const HEADLINE: Record<NoticeReason, string> = {
  cancelled: 'Referral cancelled',
  prospect_stopped: 'Prospect asked for no more emails',
  bounced: 'Email to the prospect bounced',
  provider_replaced: 'Referral moved to another member',
  unknown_sender: 'A reply came from another address',
  member_removed: 'Member removed',
  needs_info_expired: 'Draft referral withdrawn',
  reopened: 'Referral reopened',
  confirm_address: 'Please confirm your extra address',
  undone: 'An update was taken back',
};

export function subject(d: EmailData): string {
  const v = view(d);
  const headline = d.notice ? HEADLINE[d.notice.reason] : 'An update';
  return v.hasReferral ? referralSubject(headline, v.prospect, v.provider) : headerValue(`${headline} – ${v.group}`);
}

function body(reason: NoticeReason | undefined, v: EmailView, d: EmailData): MaybeBlock[] {
  const prospect = name(v.prospect);
  const provider = name(v.provider);
  const address = oneLine(d.notice?.address, 254);
  switch (reason) {
    case 'cancelled':
      return [
        p(name(v.referrer), ' has cancelled the referral of ', prospect, ' to ', provider, '. There is nothing more to do, and no more reminders will come.'),
        quote(v.text, v.referrer),
      ];
    case 'prospect_stopped':
      return [
        p(
          prospect,
          ' asked not to receive more emails from ',
          name(v.group),
          ', so the referral to ',
          provider,
          ' is withdrawn and its reminders have stopped. Please respect their wish.',
        ),
        quote(v.text),
      ];
    case 'bounced':
      return [
        p(
          'Our email to ',
          prospect,
          v.prospectEmail ? ` (${v.prospectEmail})` : '',
          ' bounced, so we have stopped emailing them about the referral to ',
          provider,
          '. If you have another way to reach them, a call may still work.',
        ),
        quote(v.text),
      ];
    case 'provider_replaced':
      // Sent to the replaced provider; depending on the caller `providerName` may be either one,
      // so the wording never says who "you" are and names the current provider only when it differs.
      return [
        p(name(v.referrer), ' has corrected the referral of ', prospect, ': another member will look after it, so there is nothing more for you to do.'),
        details([['Provider now', v.providerKnown && v.provider !== v.recipient ? v.provider : undefined]]),
        quote(v.text),
      ];
    case 'unknown_sender':
      return [
        p(
          'A reply about the referral of ',
          prospect,
          ' to ',
          provider,
          ' came from ',
          address ? strong(address) : 'an address we do not know',
          ', so we did not act on it.',
        ),
        v.role === 'prospect'
          ? p('If that was you, please reply again from the address this email was sent to.')
          : p('If that was you, add it as an extra address in your profile, then reply again.'),
      ];
    case 'member_removed':
      return [
        p(provider, ' is no longer an active member of ', name(v.group), '. An admin can pass the referral of ', prospect, ' to another member.'),
        quote(v.text),
      ];
    case 'needs_info_expired':
      return [
        p('We did not hear back about the referral of ', prospect, ', so the draft has been withdrawn. You can send it again any time.'),
        quote(v.text),
      ];
    case 'undone': {
      // The member who took it back is the other party: a provider's update told the referrer, and the other way round.
      const who = v.role === 'referrer' ? provider : name(v.referrer);
      return [
        p(who, ' took back their last update on the referral of ', prospect, ' within minutes: ', strong(v.text || 'the update'), ' was a mistake, so please disregard our email about it.'),
        p('The referral is ', strong(STATUS_LABEL[d.referral?.status ?? 'logged'].toLowerCase()), ' again.'),
      ];
    }
    case 'reopened':
      return [p('The referral of ', prospect, ' to ', provider, ' has been reopened, and its reminders start again.'), quote(v.text)];
    case 'confirm_address': {
      const toConfirm = address || oneLine(d.text, 254);
      return [
        p(
          'Please confirm that ',
          toConfirm ? strong(toConfirm) : 'this address',
          ' is yours, so your emails from it count as coming from you in ',
          name(v.group),
          '.',
        ),
        button(v.links.signIn ?? v.links.web, 'Confirm this address', true),
        muted('If you did not add this address, ignore this email and nothing changes.'),
      ];
    }
    default:
      return [
        v.hasReferral ? p('An update on the referral of ', prospect, ' to ', provider, '.') : p('An update from ', name(v.group), '.'),
        quote(v.text),
      ];
  }
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const reason = d.notice?.reason;
  return {
    ...baseParts(v, d),
    web: reason === 'confirm_address' ? undefined : v.links.web,
    title: subject(d),
    preheader: reason ? HEADLINE[reason] : undefined,
    replyNote: v.hasReferral && (d.replyWords ?? []).length > 0 ? REPLY_ACTS : NO_REPLY_NEEDED,
    body: [p(greeting(v)), ...body(reason, v, d)],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
