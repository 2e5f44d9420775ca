/** receipt → referrer, at logging: what was understood, consent, when the intro goes. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, strong, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view, type EmailView } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject('Referral logged', v.prospect, v.provider);
}

function introWhen(v: EmailView): string {
  if (!v.consent) return 'none: no consent to contact them';
  if (v.introducedByReferrer) return 'your own email was the introduction';
  return v.introAt || 'shortly';
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: 'Here is what we understood. Reply to correct or cancel it.',
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p('Thanks for referring ', name(v.prospect), ' to ', name(v.provider), '. Here is what we understood; please check it.'),
      referralDetails(v, {
        contact: 'always',
        provider: true,
        note: true,
        temperature: true,
        extra: [['Introduction', introWhen(v)]],
      }),
      v.consent
        ? p(strong('Consent: '), 'you have told us ', name(v.prospect), ' agreed to be contacted.')
        : p(
            strong('No consent: '),
            'we will not email ',
            name(v.prospect),
            ' and there will be no introduction. ',
            name(v.provider),
            ' knows they may get in touch.',
          ),
      v.consent &&
        !v.introducedByReferrer &&
        p(
          'We will introduce ',
          name(v.prospect),
          ' to ',
          name(v.provider),
          ' by email, copying you. To stop it, reply ',
          word('no intro'),
          ' before then.',
        ),
      v.consent &&
        v.introducedByReferrer &&
        p('We will not send another introduction. ', name(v.provider), ' has been asked to follow up within 24 hours.'),
      p(
        'Something not right? Reply ',
        word('provider: Name'),
        ' or ',
        word('prospect: Name <email>'),
        ' to correct it before the introduction goes, or ',
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
