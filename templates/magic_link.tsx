/** magic_link → a member asking to sign in: a single-use link, valid 15 minutes. */
import type { EmailData } from '../src/mail/render.js';
import { button, muted, name, p } from './lib/blocks.js';
import { EmailHtml, emailText, NO_REPLY_NEEDED, type EmailParts } from './lib/email.js';
import { headerValue } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return headerValue(`Your sign-in link for ${v.group}`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const minutes =
    typeof d.expiresInMinutes === 'number' && Number.isFinite(d.expiresInMinutes) && d.expiresInMinutes > 0
      ? Math.round(d.expiresInMinutes)
      : 15;
  return {
    groupName: v.group,
    replyWords: [],
    title: subject(d),
    preheader: `Valid for ${minutes} minutes.`,
    replyNote: NO_REPLY_NEEDED,
    body: [
      p(greeting(v)),
      p('Here is your link to sign in to ', name(v.group), ' on Referral Relay.'),
      v.links.signIn ? button(v.links.signIn, 'Sign in', true) : p('Sorry, this link could not be created. Please ask for a new one.'),
      muted(`It works once and expires in ${minutes} minutes. If you did not ask to sign in, you can ignore this email.`),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
