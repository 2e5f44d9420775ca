/** escalation_notice → referrer, with the escalation: the referrer can follow up with both parties. */
import type { EmailData } from '../src/mail/render.js';
import { list, name, p, word, type Inline } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { headerValue, subjectName } from './lib/format.js';
import { greeting, view } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return headerValue(`${subjectName(v.provider, 'The provider')} has not reached ${subjectName(v.prospect, 'your prospect')} yet`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const prospectContact = [v.prospectEmail, v.prospectPhone].filter(Boolean).join(' · ');
  const contacts: Inline[][] = [];
  if (v.providerEmail) contacts.push([name(v.provider), `: ${v.providerEmail}`]);
  if (prospectContact) contacts.push([name(v.prospect), `: ${prospectContact}`]);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `A quick nudge from you can get things moving.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(
        name(v.provider),
        ' has not yet confirmed contacting ',
        name(v.prospect),
        ' since the introduction',
        v.introAt ? ` (${v.introAt})` : '',
        '. We have reminded them.',
      ),
      p('You know them both, so a quick word from you can get things moving.'),
      contacts.length > 0 && list(contacts),
      p(
        'Reply ',
        word('ask <question>'),
        ' to send ',
        name(v.provider),
        ' a question, or ',
        word('cancel'),
        ' to withdraw the referral.',
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
