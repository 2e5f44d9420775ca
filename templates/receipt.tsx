/** receipt → referrer, at logging: what was understood, consent, when the intro goes. */
import type { EmailData } from '../src/mail/render.js';
import { name, p, strong, word, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { firstName, greeting, view, type EmailView } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject('Referral logged', v.prospect, v.provider);
}

function introWhen(v: EmailView): string {
  if (!v.consent) return 'none: no consent to contact them';
  if (v.introducedByReferrer) return 'your own email was the introduction';
  return v.introAt || 'shortly';
}

/** We will send an introduction (consent, and the referrer did not introduce them already). */
const introComing = (v: EmailView) => v.consent && !v.introducedByReferrer;

/** The case's own words: our introduction to come, the referrer's own email as the introduction, or none. */
function whatHappensNext(v: EmailView): MaybeBlock[] {
  const prospect = firstName(v.prospect);
  const provider = firstName(v.provider);
  if (!v.consent)
    return [p(strong('No consent: '), 'we will not email ', name(prospect), ". We've told ", name(provider), ' that ', name(prospect), ' will contact them directly.')];
  if (v.introducedByReferrer)
    return [p('Your own email was the introduction, so we will not send another. ', name(provider), ' has been asked to follow up within 24 hours.')];
  return [
    p(
      strong('Consent: '),
      name(prospect),
      ' agreed to be contacted, so we will introduce ',
      name(prospect),
      ' to ',
      name(provider),
      ' by email, copying you (reply ',
      word('no intro'),
      ' before then to stop it). It presents ',
      name(provider),
      v.introLine ? ` in your words: “${v.introLine}”` : ' from their profile; to add your own line, reply ',
      v.introLine ? '' : word('intro: <one line>'),
      '.',
    ),
  ];
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
      ...whatHappensNext(v),
      p('Something not right? The words below correct or cancel it', introComing(v) ? ' before the introduction goes.' : '.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
