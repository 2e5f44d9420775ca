/** thank_you_prompt → provider, logging + 1 h: thank the referrer now, whatever the outcome. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject, subjectName } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject(`Say thank you to ${subjectName(v.referrer, 'your referrer')}`, v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `A quick thank-you to ${v.referrer} keeps referrals coming.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(
        name(v.referrer),
        ' referred ',
        name(v.prospect),
        ' to you. A quick thank-you now, whatever the outcome, is what keeps referrals coming.',
      ),
      p('Reply ', word('thanks'), ' followed by your own words and we will pass them on to ', name(v.referrer), ', for example:'),
      p(word('thanks, really appreciate you thinking of me!')),
      p('Already thanked them yourself? Reply ', word('thanked'), ' so it is recorded.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
