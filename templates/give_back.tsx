/**
 * give_back → provider, at won: the referrer's "good referral for me" profile and how to refer
 * someone back. Optional email: carries the unsubscribe link.
 */
import type { EmailData } from '../src/mail/render.js';
import { muted, name, p, quote, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { referralSubject, subjectName } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject(`Refer someone back to ${subjectName(v.referrer, 'your referrer')}?`, v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  // `profile` is the referrer's card; the referral's own referrer name wins when both are given.
  const referrer = d.referral?.referrerName || !v.profile ? v.referrer : v.profile.name;
  const goodReferral = v.profile?.goodReferral ?? '';
  const about = [v.profile?.business, v.profile?.category].filter(Boolean).join(', ');
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `The best thank-you is a referral back to ${referrer}.`,
    replyNote: 'Reply to this email to refer someone back.',
    body: [
      p(greeting(v)),
      p(
        'Congratulations on winning the work with ',
        name(v.prospect),
        '! ',
        name(referrer),
        about ? ` (${about})` : '',
        ' made it happen, and the best thank-you is a referral back.',
      ),
      goodReferral
        ? quote(goodReferral, `A good referral for ${referrer}`)
        : p('Not sure who would suit ', name(referrer), '? Ask them what a good referral looks like.'),
      p('Know someone? Reply ', word('refer Name <email> what they need'), ', for example:'),
      p(word('refer Sam Patel <sam@example.com> needs a new website')),
      muted('By replying you confirm they agreed to be contacted, just as when you log a referral by email.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
