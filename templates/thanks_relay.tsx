/** thanks_relay → referrer: the provider's own thank-you words. */
import type { EmailData } from '../src/mail/render.js';
import { muted, name, p, quote } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { headerValue, subjectName } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return headerValue(`${subjectName(v.provider, 'Your provider')} thanks you for referring ${subjectName(v.prospect, 'a prospect')}`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `A thank-you from ${v.provider}.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(name(v.provider), ' says thank you for referring ', name(v.prospect), v.text ? ':' : '.'),
      quote(v.text),
      muted('You will hear about each milestone as it happens.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
