/** welcome → a member imported from the group's roster (sent at most once, only when the admin asks). */
import type { EmailData } from '../src/mail/render.js';
import { button, list, muted, name, p, strong, word } from './lib/blocks.js';
import { EmailHtml, emailText, NO_REPLY_NEEDED, type EmailParts } from './lib/email.js';
import { headerValue, oneLine } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  return headerValue(`Welcome to ${view(d).group} on Referral Relay`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const logAddress = oneLine(d.welcome?.logAddress, 254);
  return {
    groupName: v.group,
    replyWords: [],
    title: subject(d),
    preheader: 'How to pass a referral, and what happens after.',
    replyNote: NO_REPLY_NEEDED,
    body: [
      p(greeting(v)),
      p('Your group ', name(v.group), ' uses Referral Relay to follow up on the referrals members pass each other, so none of them goes quiet.'),
      p(strong('To pass a referral'), ', any of these works:'),
      list([
        logAddress ? ['Forward the email to ', word(logAddress), ', or Bcc it on an introduction you write yourself.'] : ['Forward the email to your group’s log address, or Bcc it on an introduction you write yourself.'],
        ['Use the form on the web.'],
      ]),
      p('After that the relay tells the other member, nudges them to make contact, and keeps you posted. Every email it sends lists the words you can reply with, like ', word('contacted'), ' or ', word('won'), '.'),
      v.links.web ? button(v.links.web, 'Pass a referral') : false,
      muted('You are receiving this because the group’s admin added you to its roster.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
