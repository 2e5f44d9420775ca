/** contact_reminder → provider, intro + 24 h while not contacted: first contact is the highest priority. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, strong, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject('Please get in touch', v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `${v.prospect} is expecting to hear from you.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(
        'We introduced you to ',
        name(v.prospect),
        v.introAt ? ` (${v.introAt})` : '',
        ' and have not heard that you have been in touch yet.',
      ),
      p(strong('First contact is the highest priority:'), ' a short call or email today makes all the difference.'),
      referralDetails(v, { contact: 'with_consent', referrer: true }),
      p('Reply ', word('contacted'), ' once you have been in touch. Not the right person? Reply ', word('pass <who is better>'), '.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
