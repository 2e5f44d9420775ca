/** needs_info → referrer: email logging could not tell who is who; asks exactly what is missing. */
import type { EmailData } from '../src/mail/render.js';
import { p, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject } from './lib/format.js';
import { missingBlocks } from './lib/needs-info.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject(
    'One more detail, please',
    v.prospectKnown ? v.prospect : 'prospect?',
    v.providerKnown ? v.provider : 'provider?',
  );
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: 'Your referral is on hold until you tell us one more thing.',
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p('Thanks for your referral! We could not tell everything from your email, so it is on hold until you tell us:'),
      ...missingBlocks(v, d),
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
