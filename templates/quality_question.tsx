/** quality_question → provider, at won or lost: was this a good referral? Relayed to the referrer. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject, STATUS_LABEL } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject('Was this a good referral?', v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `Your answer helps ${v.referrer} send you better referrals.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(
        'Was ',
        name(v.prospect),
        ' a good referral? Your answer goes to ',
        name(v.referrer),
        ' and helps them send you better ones, whatever the outcome.',
      ),
      referralDetails(v, { referrer: true, extra: [['Outcome', d.referral ? STATUS_LABEL[d.referral.status] : undefined]] }),
      p('Reply ', word('good'), ', or ', word('poor'), ' and why, for example:'),
      p(word('poor they needed a much smaller job')),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
