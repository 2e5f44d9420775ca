/** experience_check → prospect, won or lost + 2 days: a 1–5 rating and a comment. Carries the stop link. */
import type { EmailData } from '../src/mail/render.js';
import { heading, muted, name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, subjectName } from './lib/format.js';
import { firstName, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return headerValue(`${subjectName(firstName(v.prospect), 'Hello')}, how was your experience with ${subjectName(v.provider, 'us')}?`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    web: undefined,
    about: undefined,
    title: subject(d),
    preheader: 'Reply with a number from 1 to 5.',
    replyNote: 'Reply with a number from 1 to 5; a comment is welcome but optional.',
    body: [
      p('Hi ', name(firstName(v.prospect)), ','),
      p(
        name(v.referrer),
        ' introduced you to ',
        name(v.provider),
        v.providerBusiness ? ` (${v.providerBusiness})` : '',
        '. We would love to know how it went.',
      ),
      heading('How was your experience with ', name(v.provider), '?'),
      p(
        'Reply with a number from ',
        word('1'),
        ' (poor) to ',
        word('5'),
        ' (excellent), and a few words if you like, for example:',
      ),
      p(word('5 Quick, friendly and fair')),
      muted('Your answer goes to ', name(v.provider), ' and ', name(v.referrer), '. Thank you!'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
