/** progress_request → provider, logging + 7 days and every 7 days after the last update. */
import type { EmailData } from '../src/mail/render.js';
import { muted, name, p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject, STATUS_LABEL } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject('How is it going?', v.prospect, v.provider);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const status = d.referral ? STATUS_LABEL[d.referral.status] : undefined;
  const lastOne = d.progress !== undefined && d.progress.max > 0 && d.progress.number >= d.progress.max;
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `A one-word reply keeps ${v.referrer} in the loop.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p('How is it going with ', name(v.prospect), '? A one-word reply keeps ', name(v.referrer), ' in the loop.'),
      referralDetails(v, { referrer: true, extra: [['Status now', status]] }),
      p(
        'For example ',
        word('met'),
        ', ',
        word('proposal'),
        ', ',
        word('won 4500'),
        ' or ',
        word('lost they chose a cheaper quote'),
        '. Too early to say? ',
        word('snooze 2 weeks'),
        '.',
      ),
      muted(
        name(v.referrer),
        ' sees the milestone only: never an amount unless you reply ',
        word('share'),
        ', and never your notes.',
      ),
      lastOne && p('This is the last reminder: without an update the referral will be marked dormant.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
