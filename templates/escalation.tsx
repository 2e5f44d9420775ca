/** escalation → provider, intro + 48 h while not contacted; the referrer gets an escalation_notice. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject('Still waiting for first contact', v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `${v.prospect} is still waiting to hear from you.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(
        name(v.prospect),
        ' is still waiting to hear from you since the introduction',
        v.introAt ? ` (${v.introAt})` : '',
        '. We have let ',
        name(v.referrer),
        ' know, so they can follow up with you both.',
      ),
      referralDetails(v, { contact: 'with_consent', referrer: true }),
      p('Please get in touch today, then reply ', word('contacted'), '.'),
      p(
        'If you cannot take this on, reply ',
        word('pass <who is better>'),
        ' so ',
        name(v.prospect),
        ' is not left waiting.',
      ),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
