/**
 * relay → provider or referrer: words passed between them. An `ask` question (either way), the
 * provider's `pass` suggestion ("re-refer to Tom? reply ok"), their `good` / `poor` verdict, or the
 * prospect's experience rating.
 */
import type { EmailData, RelayDetail } from '../src/mail/render.js';
import { details, heading, muted, name, p, quote, strong, word, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, referralSubject, subjectName } from './lib/format.js';
import { referralDetails } from './lib/referral.js';
import { greeting, memberView, view, type EmailView } from './lib/view.js';

export function subject(d: EmailData): string {
  const v = view(d);
  const relay = d.relay;
  const prospect = subjectName(v.prospect, 'your prospect');
  const provider = subjectName(v.provider, 'the provider');
  switch (relay?.type) {
    case 'question':
      return referralSubject(`A question from ${subjectName(relay.fromName, 'a member')}`, v.prospect, v.provider);
    case 'pass_suggestion':
      return headerValue(`${provider} passed: re-refer ${prospect} to ${subjectName(relay.suggested.name, 'another member')}?`);
    case 'quality':
      return headerValue(`${provider} on your referral of ${prospect}: ${relay.verdict}`);
    case 'rating':
      return headerValue(`${prospect} rated ${provider}${v.rating ? ` ${v.rating}/5` : ''}`);
    default:
      return referralSubject('A message', v.prospect, v.provider);
  }
}

function question(v: EmailView, relay: Extract<RelayDetail, { type: 'question' }>): MaybeBlock[] {
  const from = oneLine(relay.fromName) || (relay.fromRole === 'provider' ? v.provider : v.referrer);
  return [
    p(name(from), ' has a question about the referral of ', name(v.prospect), ' to ', name(v.provider), ':'),
    quote(v.text, from),
    p('To answer, reply ', word('ask <your answer>'), ' and we will pass it on to ', name(from), '.'),
  ];
}

function passSuggestion(v: EmailView, relay: Extract<RelayDetail, { type: 'pass_suggestion' }>): MaybeBlock[] {
  const suggested = memberView(relay.suggested)!;
  return [
    p(
      name(v.provider),
      ' has passed on ',
      name(v.prospect),
      ' and thinks ',
      name(suggested.name),
      suggested.business ? ` (${suggested.business})` : '',
      ' is better placed to help.',
    ),
    quote(v.text, `${v.provider}'s reason`),
    quote(suggested.tellPeople, `About ${suggested.name}`),
    details([['Good fit for', suggested.goodReferral]]),
    heading('Re-refer ', name(v.prospect), ' to ', name(suggested.name), '?'),
    p('Reply ', word('ok'), ' and we will log the referral to them. Nothing is re-referred without your ', word('ok'), '.'),
  ];
}

function quality(v: EmailView, relay: Extract<RelayDetail, { type: 'quality' }>): MaybeBlock[] {
  return [
    relay.verdict === 'good'
      ? p(name(v.provider), ' says ', name(v.prospect), ' was a good referral. Thank you!')
      : p(name(v.provider), ' says ', name(v.prospect), ' was not a great fit.'),
    quote(v.text, v.provider),
    relay.verdict === 'poor' && muted('Feedback like this helps you refer even better next time.'),
  ];
}

function rating(v: EmailView): MaybeBlock[] {
  return [
    p(
      name(v.prospect),
      ' rated their experience with ',
      name(v.provider),
      ...(v.rating ? [' ', strong(`${v.rating} out of 5`)] : []),
      '.',
    ),
    v.text ? quote(v.text, `${v.prospect} said`) : muted('They did not leave a comment.'),
  ];
}

function body(v: EmailView, d: EmailData): MaybeBlock[] {
  const relay = d.relay;
  switch (relay?.type) {
    case 'question':
      return question(v, relay);
    case 'pass_suggestion':
      return passSuggestion(v, relay);
    case 'quality':
      return quality(v, relay);
    case 'rating':
      return rating(v);
    default:
      return [referralDetails(v, { provider: true, referrer: true }), quote(v.text)];
  }
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `About the referral of ${v.prospect} to ${v.provider}.`,
    replyNote: REPLY_ACTS,
    body: [p(greeting(v)), ...body(v, d)],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
