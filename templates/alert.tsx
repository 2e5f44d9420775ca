/**
 * alert → provider and referrer (one email each, `recipientRole` picks the wording): the prospect
 * said the provider never reached out, or rated the experience 1–2. Carries their comment and
 * what to do: apologise, fix it.
 */
import type { EmailData } from '../src/mail/render.js';
import { name, p, quote, strong, word, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { headerValue, referralSubject, subjectName } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, view, type EmailView } from './lib/view.js';

function reasonOf(d: EmailData) {
  return d.alert?.reason ?? (d.rating !== undefined ? 'low_rating' : 'not_contacted');
}

export function subject(d: EmailData): string {
  const v = view(d);
  if (reasonOf(d) === 'not_contacted') {
    return headerValue(
      `${subjectName(v.prospect, 'Your prospect')} says ${subjectName(v.provider, 'the provider')} has not been in touch`,
    );
  }
  return referralSubject(v.rating ? `Rated ${v.rating}/5, needs attention` : 'Low rating, needs attention', v.prospect, v.provider);
}

function notContacted(v: EmailView, toReferrer: boolean): MaybeBlock[] {
  if (toReferrer) {
    return [
      p(name(v.prospect), ' told us ', name(v.provider), ' has not been in touch yet. ', name(v.provider), ' has been told too.'),
      quote(v.text, `${v.prospect} said`),
      p(
        strong('What you can do: '),
        'a quick word with ',
        name(v.provider),
        ' usually sorts it out, and a short note to ',
        name(v.prospect),
        ' lets them know help is on the way.',
      ),
    ];
  }
  return [
    p(name(v.prospect), ' told us you have not been in touch yet. ', name(v.referrer), ' has been told too.'),
    quote(v.text, `${v.prospect} said`),
    p(strong('What to do: '), 'contact ', name(v.prospect), ' today and apologise for the wait. Then reply ', word('contacted'), '.'),
    referralDetails(v, { contact: 'with_consent' }),
  ];
}

function lowRating(v: EmailView, toReferrer: boolean): MaybeBlock[] {
  const rating = v.rating ? `${v.rating} out of 5` : 'poorly';
  const comment = v.text ? quote(v.text, `${v.prospect} said`) : p('They did not leave a comment.');
  if (toReferrer) {
    return [
      p(name(v.prospect), ' rated their experience with ', name(v.provider), ' ', strong(rating), '.'),
      comment,
      p(
        strong('What you can do: '),
        'have a word with ',
        name(v.provider),
        ', who has been asked to apologise and put it right. A short note thanking ',
        name(v.prospect),
        ' for the honest answer goes a long way.',
      ),
    ];
  }
  return [
    p(name(v.prospect), ' rated their experience with you ', strong(rating), '. ', name(v.referrer), ' has seen it too.'),
    comment,
    p(strong('What to do: '), 'call ', name(v.prospect), ', apologise, and ask what would put it right. Then fix it.'),
    referralDetails(v, { contact: 'with_consent' }),
  ];
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const toReferrer = v.role === 'referrer';
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: 'Something needs your attention today.',
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      ...(reasonOf(d) === 'not_contacted' ? notContacted(v, toReferrer) : lowRating(v, toReferrer)),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
