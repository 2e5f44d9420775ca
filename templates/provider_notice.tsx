/** provider_notice → provider, at logging: who, need, the referrer's note, consent; make contact within 24 hours. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, quote, strong, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject, subjectName } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view, type EmailView } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject(`New referral from ${subjectName(v.referrer, 'a member')}`, v.prospect, v.provider);
}

function introRow(v: EmailView): string | undefined {
  if (!v.consent) return undefined;
  if (v.introducedByReferrer) return `${v.referrer} has already introduced you by email`;
  return v.introAt ? `by email, copying you and ${v.referrer}: ${v.introAt}` : undefined;
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: v.consent
      ? `${v.referrer} referred ${v.prospect} to you. Please make contact within 24 hours.`
      : `${v.referrer} referred ${v.prospect} to you. They will get in touch with you.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p('Good news: ', name(v.referrer), ' has referred ', name(v.prospect), ' to you.'),
      referralDetails(v, { contact: 'with_consent', temperature: true, noteShown: true, extra: [['Introduction', introRow(v)]] }),
      quote(v.note, `${v.referrer}'s note`),
      v.consent
        ? p(
            strong('Please make contact within 24 hours.'),
            ' ',
            name(v.prospect),
            ' has agreed to be contacted, and a quick first contact matters more than anything else.',
          )
        : p(
            name(v.prospect),
            ' has not agreed to be contacted yet, so please do not reach out: ',
            strong('the prospect will get in touch with you.'),
          ),
      p('Reply ', word('contacted'), ' once you have been in touch. Not the right person? Reply ', word('pass <who is better>'), '.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
