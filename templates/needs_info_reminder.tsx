/** needs_info_reminder → referrer, needs_info + 2 days: still missing; the draft is withdrawn after the deadline. */
import type { EmailData } from '../src/mail/render.js';
import { p, strong, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { oneLine, referralSubject } from './lib/format.js';
import { missingBlocks } from './lib/needs-info.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject(
    'Still on hold',
    v.prospectKnown ? v.prospect : 'prospect?',
    v.providerKnown ? v.provider : 'provider?',
  );
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const deadline = oneLine(d.deadline, 80);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: 'We still need one detail to log your referral.',
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p('Your referral is still on hold: we need one more detail before anyone is contacted.'),
      ...missingBlocks(v, d),
      deadline
        ? p('If we do not hear from you by ', strong(deadline), ', the draft will be withdrawn. You can always send it again.')
        : p('If we do not hear from you, the draft will be withdrawn in a few days. You can always send it again.'),
      p('Changed your mind? Reply ', word('cancel'), '.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
