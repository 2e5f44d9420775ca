/** connection_check → prospect, intro + 3 days: "Did Jane reach out?" yes / no. Carries the stop link. */
import type { EmailData } from '../src/mail/render.js';
import { heading, muted, name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, subjectName } from './lib/format.js';
import { firstName, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return headerValue(`${subjectName(firstName(v.prospect), 'Hello')}, did ${subjectName(v.provider, 'your contact')} reach out?`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    // The prospect never signs in: no web link.
    web: undefined,
    about: undefined,
    title: subject(d),
    preheader: 'Just reply yes or no.',
    replyNote: 'Reply yes or no; one word is enough.',
    body: [
      p('Hi ', name(firstName(v.prospect)), ','),
      p(
        'A few days ago ',
        name(v.referrer),
        ' introduced you to ',
        name(v.provider),
        v.providerBusiness ? ` (${v.providerBusiness})` : '',
        v.need ? ` about ${v.need}` : '',
        '.',
      ),
      heading('Did ', name(v.provider), ' reach out?'),
      p('Just reply ', word('yes'), ' or ', word('no'), '. It takes a second and helps ', name(v.referrer), ' make sure you are looked after.'),
      muted('Thank you!'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
