/** dormant_notice → referrer: the progress requests went unanswered, the referral is now dormant. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { headerValue, subjectName } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return headerValue(`No news from ${subjectName(v.provider, 'the provider')} on ${subjectName(v.prospect, 'your referral')}`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const times = d.progress && d.progress.max > 0 ? ` ${d.progress.max} times` : '';
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: 'The referral is now marked dormant.',
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(
        'We have asked ',
        name(v.provider),
        ' for news about ',
        name(v.prospect),
        `${times} without an answer, so the referral is now marked dormant.`,
      ),
      p(
        'It reopens as soon as ',
        name(v.provider),
        ' sends an update. If you would like to know where things stand, a quick word with ',
        name(v.provider),
        ' or ',
        name(v.prospect),
        ' is the best next step.',
      ),
      p('Reply ', word('ask <question>'), ' to send ', name(v.provider), ' a question, or ', word('cancel'), ' to close the referral.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
